"""Backup and restore: one tar.gz holding the database, the media folder and a manifest.

The database is copied consistently while the server runs: SQLite through its online backup
API (one step, so it is a single point in time), PostgreSQL through `pg_dump -Fc` (one
repeatable-read snapshot). Media are copied after the database, so every file a database row
names is in the archive (files uploaded meanwhile may be there too, which does no harm).

Layout of the archive:
    manifest.json       format, Chuangwen version, time, database vendor, applied migrations
    database.sqlite3    or database.pgdump
    media/...           the media folder (absent when media live in S3-compatible storage)
"""

from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils.translation import gettext as _

FORMAT = 1
MANIFEST = "manifest.json"
DB_MEMBER = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
# Tables that any migrated database has rows in; rows elsewhere mean somebody's data.
_BOOKKEEPING = {"django_migrations", "django_content_type", "auth_permission", "django_session"}
_PG_ENV = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "application_name": "PGAPPNAME",
}


class SnapshotError(Exception):
    """The snapshot cannot be written or restored; the message says why."""


def chuangwen_version() -> str:
    try:
        return metadata.version("chuangwen")
    except metadata.PackageNotFoundError:
        return "unknown"


def applied_migrations(alias: str = "default") -> list[str]:
    recorder = MigrationRecorder(connections[alias])
    if not recorder.has_table():
        return []
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


def media_is_local() -> bool:
    return isinstance(default_storage, FileSystemStorage)


def _media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


# --- writing -------------------------------------------------------------------------------


def _pg_env(alias: str) -> dict[str, str]:
    conf = connections[alias].settings_dict
    env = dict(os.environ)
    for key, name in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ):
        if conf.get(key):
            env[name] = str(conf[key])
    for key, value in (conf.get("OPTIONS") or {}).items():
        if key in _PG_ENV:
            env[_PG_ENV[key]] = str(value)
    return env


def _run_pg_tool(argv: list[str], alias: str, **kwargs) -> subprocess.CompletedProcess:
    if shutil.which(argv[0]) is None:
        raise SnapshotError(
            _("%(tool)s is not installed; install the PostgreSQL client (apt-get install postgresql-client).")
            % {"tool": argv[0]}
        )
    result = subprocess.run(argv, env=_pg_env(alias), capture_output=True, text=True, check=False, **kwargs)
    if result.returncode != 0:
        raise SnapshotError(f"{argv[0]}: {result.stderr.strip()}")
    return result


def dump_database(alias: str, dest: Path) -> None:
    """Copy the database consistently into `dest` (a SQLite file or a pg_dump custom archive)."""
    connection = connections[alias]
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(dest)
        try:
            # pages=-1 copies everything in one step: one consistent point in time, even while
            # the web server writes (WAL lets it carry on meanwhile).
            connection.connection.backup(target, pages=-1)
            target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
            ok = target.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            target.close()
        if ok != "ok":
            raise SnapshotError(
                _("The copied SQLite database failed its integrity check: %(msg)s") % {"msg": ok}
            )
    elif connection.vendor == "postgresql":
        _run_pg_tool(
            ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(dest)], alias
        )
    else:
        raise SnapshotError(
            _("Backups of %(vendor)s databases are not supported.") % {"vendor": connection.vendor}
        )


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(datetime.now(UTC).timestamp())
    info.mode = 0o600
    tar.addfile(info, io.BytesIO(data))


def _media_files(root: Path) -> Iterator[Path]:
    if root.is_dir():
        for path in sorted(root.rglob("*")):
            if path.is_file() and not path.is_symlink():
                yield path


def create_snapshot(archive: Path, alias: str = "default") -> dict:
    """Write the snapshot to `archive` (atomically: a half-written file never has its name)."""
    connection = connections[alias]
    vendor = connection.vendor
    if vendor not in DB_MEMBER:
        raise SnapshotError(_("Backups of %(vendor)s databases are not supported.") % {"vendor": vendor})
    archive = archive.expanduser().resolve()
    archive.parent.mkdir(parents=True, exist_ok=True)
    partial = archive.with_name(f".{archive.name}.partial")
    with tempfile.TemporaryDirectory(prefix="chuangwen-backup-") as tmp:
        db_file = Path(tmp) / DB_MEMBER[vendor]
        migrations = applied_migrations(alias)
        dump_database(alias, db_file)
        media = list(_media_files(_media_root())) if media_is_local() else []
        manifest = {
            "format": FORMAT,
            "chuangwen_version": chuangwen_version(),
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "database": {"vendor": vendor, "member": db_file.name, "bytes": db_file.stat().st_size},
            "migrations": migrations,
            "media": {
                "included": media_is_local(),
                "files": len(media),
                "bytes": sum(p.stat().st_size for p in media),
            },
        }
        try:
            # The archive holds password hashes and personal data: readable by its owner only.
            fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
                _add_bytes(tar, MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False).encode())
                tar.add(db_file, arcname=db_file.name)
                root = _media_root()
                for path in media:
                    tar.add(path, arcname=f"media/{path.relative_to(root).as_posix()}")
            os.replace(partial, archive)
        finally:
            partial.unlink(missing_ok=True)
    return manifest


# --- reading -------------------------------------------------------------------------------


def read_manifest(archive: Path) -> dict:
    try:
        with tarfile.open(archive, "r:gz") as tar:
            member = tar.extractfile(MANIFEST)
            manifest = json.loads(member.read()) if member else None
    except (OSError, tarfile.TarError, KeyError, json.JSONDecodeError) as exc:
        raise SnapshotError(
            _("%(file)s is not a Chuangwen backup: %(error)s") % {"file": archive, "error": exc}
        ) from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise SnapshotError(_("%(file)s is not a backup this version can read.") % {"file": archive})
    return manifest


def _safe_members(tar: tarfile.TarFile) -> list[tarfile.TarInfo]:
    """Regular files and folders with relative, non-escaping names; anything else refuses."""
    members = []
    for member in tar.getmembers():
        path = PurePosixPath(member.name)
        if path.is_absolute() or ".." in path.parts or not (member.isfile() or member.isdir()):
            raise SnapshotError(_("The backup contains an unsafe entry: %(name)s") % {"name": member.name})
        members.append(member)
    return members


def extract(archive: Path, dest: Path) -> None:
    with tarfile.open(archive, "r:gz") as tar:
        members = _safe_members(tar)
        if hasattr(tarfile, "data_filter"):
            tar.extractall(dest, members=members, filter="data")
        else:  # Python 3.11 before 3.11.4: the names were checked above
            tar.extractall(dest, members=members)  # noqa: S202


def unknown_migrations(manifest: dict) -> list[str]:
    """Migrations the snapshot had applied that this version of the code does not have."""
    known = {
        f"{app}.{name}" for app, name in MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    }
    return [m for m in manifest.get("migrations", []) if m not in known]


def target_has_data(alias: str = "default") -> bool:
    """True when the database holds somebody's data (or media files exist).

    Migrations create a few rows of their own (content types, permissions, the audit chain's
    head row), so a fresh database counts as empty: no user account and no table beyond the
    bookkeeping ones with more than one row.
    """
    from django.contrib.auth import get_user_model

    connection = connections[alias]
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        users = get_user_model()._meta.db_table
        if users in tables and get_user_model().objects.using(alias).exists():
            return True
        for table in tables:
            if table in _BOOKKEEPING:
                continue
            query = f"SELECT COUNT(*) FROM (SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 2) t"  # noqa: S608
            cursor.execute(query)
            if cursor.fetchone()[0] > 1:
                return True
    return media_is_local() and any(True for _ in _media_files(_media_root()))


# --- restoring -----------------------------------------------------------------------------


def _restore_sqlite(alias: str, source: Path) -> None:
    connection = connections[alias]
    connection.close()
    connection.ensure_connection()
    snapshot = sqlite3.connect(source)
    try:
        # The backup API replaces the whole database (schema and rows) in one locked step.
        snapshot.backup(connection.connection, pages=-1)
    finally:
        snapshot.close()
    connection.close()


def _restore_postgresql(alias: str, source: Path, tmp: Path) -> None:
    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT quote_ident(schemaname) || '.' || quote_ident(tablename) FROM pg_tables"
            " WHERE schemaname = current_schema()"
        )
        tables = [row[0] for row in cursor.fetchall()]
    connection.close()
    drops = tmp / "drop.sql"
    drops.write_text("".join(f"DROP TABLE IF EXISTS {t} CASCADE;\n" for t in tables))
    for tool in ("pg_restore", "psql"):
        if shutil.which(tool) is None:
            raise SnapshotError(
                _(
                    "%(tool)s is not installed; install the PostgreSQL client (apt-get install postgresql-client)."
                )
                % {"tool": tool}
            )
    env = _pg_env(alias)
    # Dropping the old tables and loading the dump happen in one transaction: a failure half-way
    # leaves the database as it was.
    restore = subprocess.Popen(
        ["pg_restore", "--no-owner", "--no-privileges", "--file", "-", str(source)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    load = subprocess.run(
        [
            "psql",
            "--no-psqlrc",
            "--quiet",
            "--single-transaction",
            "--set",
            "ON_ERROR_STOP=1",
            "--file",
            str(drops),
            "--file",
            "-",
        ],
        env=env,
        stdin=restore.stdout,
        capture_output=True,
        text=True,
        check=False,
    )
    restore.stdout.close()
    restore_err = restore.stderr.read().decode(errors="replace")
    restore.wait()
    if restore.returncode != 0:
        raise SnapshotError(f"pg_restore: {restore_err.strip()}")
    if load.returncode != 0:
        raise SnapshotError(f"psql: {load.stderr.strip()}")


@contextmanager
def temporary_sqlite(path: Path, alias: str = "chuangwen_snapshot") -> Iterator[str]:
    """A second database alias pointing at a SQLite file, for as long as the block runs.

    The connection is registered by itself, not added to the settings: Django (and its test
    runner) treat it as a dynamically created connection.
    """
    from django.db.utils import load_backend

    from chuangwen.envconf import database_from_url

    conf = database_from_url(f"sqlite:///{path}", path.parent)
    # configure_settings fills in Django's defaults; it insists on seeing a 'default' beside it.
    conf = connections.configure_settings({"default": dict(connections.settings["default"]), alias: conf})[
        alias
    ]
    connections[alias] = load_backend(conf["ENGINE"]).DatabaseWrapper(conf, alias)
    try:
        yield alias
    finally:
        connections[alias].close()
        del connections[alias]


def _convert_from_sqlite(alias: str, source: Path, tmp: Path) -> None:
    """Load a SQLite snapshot into another database through Django's serializers.

    The copy is first brought to this version's migrations, the target is migrated, emptied and
    filled in one transaction, keeping every primary key and every value to the microsecond (so
    the audit chain stays intact: `audit verify` passes on the converted database).
    """
    from django.core import serializers
    from django.core.management import call_command
    from django.db import transaction

    from chuangwen.core.management import exact_json

    # Times to the microsecond: the default JSON format cuts them to milliseconds.
    serializers.register_serializer(exact_json.FORMAT, "chuangwen.core.management.exact_json")
    fixture = tmp / f"data.{exact_json.FORMAT}"
    with temporary_sqlite(source) as snap:
        call_command("migrate", database=snap, interactive=False, verbosity=0)
        call_command("dumpdata", database=snap, format=exact_json.FORMAT, output=str(fixture), verbosity=0)
    call_command("migrate", database=alias, interactive=False, verbosity=0)
    with transaction.atomic(using=alias):
        call_command("flush", database=alias, interactive=False, inhibit_post_migrate=True, verbosity=0)
        call_command("loaddata", str(fixture), database=alias, verbosity=0)


def _restore_media(tmp: Path) -> int:
    extracted = tmp / "media"
    files = list(_media_files(extracted))
    if media_is_local():
        root = _media_root()
        root.parent.mkdir(parents=True, exist_ok=True)
        incoming = Path(tempfile.mkdtemp(prefix=".media-restore-", dir=root.parent))
        if extracted.is_dir():
            shutil.copytree(extracted, incoming, dirs_exist_ok=True)
        # Swap folders so the media folder is never seen half-restored.
        old = root.with_name(f".{root.name}-before-restore")
        shutil.rmtree(old, ignore_errors=True)
        if root.exists():
            os.replace(root, old)
        os.replace(incoming, root)
        shutil.rmtree(old, ignore_errors=True)
        return len(files)
    for path in files:
        name = path.relative_to(extracted).as_posix()
        if default_storage.exists(name):
            default_storage.delete(name)
        with path.open("rb") as fh:
            default_storage.save(name, File(fh, name=name))
    return len(files)


def restore_snapshot(archive: Path, alias: str = "default", convert: bool = False) -> dict:
    """Replace the database (and media) with the snapshot's. Returns the manifest."""
    manifest = read_manifest(archive)
    vendor = manifest["database"]["vendor"]
    here = connections[alias].vendor
    if vendor != here and not (convert and vendor == "sqlite"):
        if vendor == "sqlite":
            raise SnapshotError(
                _(
                    "The backup is of a SQLite database and this one is %(here)s. "
                    "Pass --convert to copy its rows over (slower; keeps every id)."
                )
                % {"here": here}
            )
        raise SnapshotError(
            _("The backup is of a %(vendor)s database and this one is %(here)s; restore it into %(vendor)s.")
            % {"vendor": vendor, "here": here}
        )
    unknown = unknown_migrations(manifest)
    if unknown:
        raise SnapshotError(
            _("The backup was made by a newer version of Chuangwen (it has migration %(m)s). Upgrade first.")
            % {"m": unknown[0]}
        )
    with tempfile.TemporaryDirectory(prefix="chuangwen-restore-") as name:
        tmp = Path(name)
        extract(archive, tmp)
        source = tmp / manifest["database"]["member"]
        if not source.is_file():
            raise SnapshotError(_("The backup has no database file."))
        if vendor != here:
            _convert_from_sqlite(alias, source, tmp)
        elif here == "sqlite":
            _restore_sqlite(alias, source)
        else:
            _restore_postgresql(alias, source, tmp)
        manifest["media"]["restored"] = _restore_media(tmp) if manifest["media"]["included"] else 0
    return manifest
