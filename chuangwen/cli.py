"""`chuangwen`: the console script. Django's management commands under friendlier names.

`chuangwen import-units FILE` runs the `import_units` command; `chuangwen audit verify` runs
`audit verify`. Everything else is passed to Django as is.

Before a command runs, two mistakes are caught with one line instead of a traceback: a bad
setting (chuangwen.envconf.ConfigError names the variable), and a command started from the
wrong folder. Without CHUANGWEN_DATA the data folder is ./data, so `chuangwen backup` run
elsewhere used to create a new, empty folder and "succeed" at backing up an empty database.
Only the commands that start a new installation may create the data folder and the database.
"""

from __future__ import annotations

import gettext as pygettext
import os
import sys
from pathlib import Path

# Commands that create the data folder or the database, or need neither.
STARTS_A_NEW_INSTALLATION = {"demo", "setup", "migrate", "restore"}
NEEDS_NO_DATABASE = {
    "help",
    "version",
    "bench",
    "makemessages",
    "compilemessages",
    "test",
    "startapp",
    "startproject",
}
HELP_FLAGS = {"-h", "--help", "--version"}


class StartRefused(Exception):
    """The command would run on a data folder or a database that is not the office's."""


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chuangwen.settings")
    args = list(sys.argv if argv is None else argv)
    if len(args) > 1 and "-" in args[1] and not args[1].startswith("-"):
        args[1] = args[1].replace("-", "_")
    command = args[1] if len(args) > 1 else "help"
    checked = (
        command not in STARTS_A_NEW_INSTALLATION | NEEDS_NO_DATABASE
        and not command.startswith("-")
        and not HELP_FLAGS.intersection(args[2:])
    )
    from chuangwen import envconf

    try:
        # Help needs no folder either: only a command that may start an installation creates one.
        envconf.CREATE_DATA_DIR = command in STARTS_A_NEW_INSTALLATION | NEEDS_NO_DATABASE - {
            "help",
            "version",
        }
        from django.conf import settings

        settings.INSTALLED_APPS  # noqa: B018 (loads the settings: a bad one raises ConfigError)
        if checked:
            # Before django.setup(): the job queue's SQLite file would be opened in the folder.
            _refuse_a_missing_data_folder()
        import django

        django.setup()
        if checked:
            _refuse_an_empty_database()
    except envconf.ConfigError as exc:
        sys.stderr.write(f"chuangwen: {exc}\n")
        raise SystemExit(2) from None
    except StartRefused as exc:
        sys.stderr.write(f"chuangwen: {exc}\n")
        raise SystemExit(1) from None
    from django.core.management import execute_from_command_line

    execute_from_command_line(args)


def _catalogue_gettext(message: str) -> str:
    """The interface-language text of a message, before Django's translations can load.

    Django's gettext needs the app registry, and loading it opens the job queue's file in the
    data folder; Python's gettext reads the same compiled catalogue.
    """
    from django.conf import settings

    if settings.LANGUAGE_CODE.startswith("en"):
        return message
    locale = Path(__file__).resolve().parent / "locale"
    catalogue = pygettext.translation("django", localedir=locale, languages=["zh_Hans"], fallback=True)
    return catalogue.gettext(message)


def _refuse_a_missing_data_folder() -> None:
    from django.conf import settings
    from django.utils.translation import gettext_noop

    folder = settings.DATA_DIR
    if not folder.is_dir():
        message = _catalogue_gettext(
            gettext_noop(
                "There is no data folder at %(path)s. Run the command in the folder that holds "
                "Chuangwen's data or set CHUANGWEN_DATA to it; `chuangwen migrate`, `chuangwen setup` "
                "and `chuangwen demo` create a new one."
            )
        ) % {"path": folder}
        raise StartRefused(message)


def _refuse_an_empty_database() -> None:
    """Refuse a SQLite file that is not there and a database without Django's migration table."""
    from django.conf import settings
    from django.db import DatabaseError, connection
    from django.utils import translation
    from django.utils.translation import gettext as _

    conf = settings.DATABASES["default"]
    name = str(conf["NAME"])
    where = {"name": name, "path": settings.DATA_DIR}
    with translation.override(settings.LANGUAGE_CODE):
        in_memory = name == ":memory:" or name.startswith("file:")
        if connection.vendor == "sqlite" and not in_memory and not Path(name).is_file():
            raise StartRefused(
                _(
                    "There is no database at %(name)s (data folder %(path)s). Run `chuangwen migrate` "
                    "to create it, or set CHUANGWEN_DATA or DATABASE_URL to the one you meant."
                )
                % where
            )
        try:
            tables = connection.introspection.table_names()
        except DatabaseError as exc:
            raise StartRefused(
                _("Cannot open the database %(name)s: %(error)s") % {"name": name, "error": exc}
            ) from exc
        if "django_migrations" not in tables:
            raise StartRefused(
                _(
                    "The database %(name)s (data folder %(path)s) has no tables yet. Run "
                    "`chuangwen migrate` first, or set CHUANGWEN_DATA or DATABASE_URL to the one you meant."
                )
                % where
            )


if __name__ == "__main__":
    main()
