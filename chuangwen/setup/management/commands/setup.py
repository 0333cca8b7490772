"""`chuangwen setup`: from an empty database to a running campaign.

On a terminal it asks for what is missing, step by step; with options or `--config FILE.toml`
it runs without questions (scripted installs). It migrates the database first, skips the steps
that are done (setup can be left and run again) and ends with the checklist of what is still
empty. The same steps are on the setup page (chuangwen/setup/services.py).

Example TOML::

    [root]
    name = "青石区"
    code = "330106"
    kind = "district"          # city | district
    office = "青石区文明办"

    [admin]
    username = "wenmingban"
    name = "王主任"
    phone = "13800000000"
    password = ""              # empty: generated, shown once, changed at first sign-in

    [campaign]
    name = "青石区2027年度创建工作"
    level = "county"           # prefecture | county
    year = 2027
    inspection_start = 2027-06-01
    inspection_end = 2027-08-31
    # optional; without phases the four standard ones run from today to the inspection
    phases = [
      { name = "宣传发动", start = 2027-01-01, end = 2027-02-28 },
    ]

    [catalogues]
    load = ["categories", "checklists", "indicators"]

    [units]
    file = "units.xlsx"        # the unit import (units and people)
"""

from __future__ import annotations

import datetime as dt
import getpass
import sys
import tomllib
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from chuangwen.campaigns.models import CampaignLevel
from chuangwen.campaigns.services import PhaseSpec
from chuangwen.core.errors import DomainError
from chuangwen.org.models import UnitKind
from chuangwen.setup import services

ACTOR = "setup"
KINDS = {"city": UnitKind.CITY, "district": UnitKind.DISTRICT, "county": UnitKind.DISTRICT}


class Command(BaseCommand):
    help = (
        "Set up a district from an empty database: root unit, office admin, campaign, catalogues, "
        "unit tree. Asks on a terminal; --config FILE.toml or options for scripted installs."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--config", help="a TOML file with the answers (see the README)")
        parser.add_argument("--no-input", action="store_true", help="never ask; fail on what is missing")
        parser.add_argument("--root-name")
        parser.add_argument("--root-code")
        parser.add_argument("--root-kind", choices=sorted(KINDS))
        parser.add_argument("--office-name")
        parser.add_argument("--admin-username")
        parser.add_argument("--admin-name")
        parser.add_argument("--admin-phone")
        parser.add_argument("--admin-password", help="initial password (default: generated and printed once)")
        parser.add_argument("--campaign-name")
        parser.add_argument("--level", choices=CampaignLevel.values)
        parser.add_argument("--year", type=int)
        parser.add_argument("--inspection-start", help="YYYY-MM-DD")
        parser.add_argument("--inspection-end", help="YYYY-MM-DD")
        parser.add_argument(
            "--catalogues", help="comma-separated: categories,checklists,indicators (default: all), or none"
        )
        parser.add_argument("--units", help="unit roster .xlsx to import (units and people)")

    def handle(self, *args: Any, **options: Any) -> None:
        self.options = options
        self.config = self._read_config(options.get("config"))
        self.interactive = not options["no_input"] and not options.get("config") and sys.stdin.isatty()
        call_command("migrate", interactive=False, verbosity=0)
        try:
            self._root()
            self._admin()
            self._campaign()
            self._catalogues()
            self._units()
        except DomainError as exc:
            raise CommandError(str(exc)) from exc
        self._report()

    # -- answers -------------------------------------------------------------------------

    def _read_config(self, path: str | None) -> dict[str, Any]:
        if not path:
            return {}
        try:
            with Path(path).open("rb") as handle:
                return tomllib.load(handle)
        except OSError as exc:
            raise CommandError(_("Cannot read %(path)s: %(error)s") % {"path": path, "error": exc}) from exc
        except tomllib.TOMLDecodeError as exc:
            raise CommandError(
                _("%(path)s is not valid TOML: %(error)s") % {"path": path, "error": exc}
            ) from exc

    def _value(
        self, section: str, key: str, option: str, question: str, default: Any = None, secret: bool = False
    ) -> Any:
        """An answer from the options, the TOML file, the terminal, or the default."""
        value = self.options.get(option)
        if value in (None, ""):
            value = self.config.get(section, {}).get(key)
        if value in (None, "") and self.interactive:
            prompt = f"{question}" + (f" [{default}]" if default not in (None, "") else "") + ": "
            value = (getpass.getpass(prompt) if secret else input(prompt)).strip() or default
        if value in (None, ""):
            value = default
        return value

    def _required(self, section: str, key: str, option: str, question: str, default: Any = None) -> Any:
        value = self._value(section, key, option, question, default)
        if value in (None, ""):
            raise CommandError(
                _("Missing: %(question)s (option --%(option)s or [%(section)s] %(key)s in the TOML file).")
                % {"question": question, "option": option.replace("_", "-"), "section": section, "key": key}
            )
        return value

    def _date(self, value: Any, question: str) -> dt.date | None:
        if value in (None, "") or isinstance(value, dt.date):
            return value or None
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError as exc:
            raise CommandError(
                _("%(question)s: “%(value)s” is not a date (YYYY-MM-DD).")
                % {"question": question, "value": value}
            ) from exc

    def _say(self, text: str) -> None:
        self.stdout.write(self.style.SUCCESS("✓ ") + text)

    # -- steps ---------------------------------------------------------------------------

    def _root(self) -> None:
        root = services.root_unit()
        if root is not None:
            self._say(_("Root unit: %(name)s") % {"name": root.name})
            return
        name = self._required("root", "name", "root_name", _("Name of the city, district or county"))
        code = self._required("root", "code", "root_code", _("Code of the root unit"))
        kind = str(
            self._required("root", "kind", "root_kind", _("Kind (city / district / county)"), "district")
        )
        if kind not in KINDS:
            raise CommandError(_("Kind must be city, district or county, not “%(kind)s”.") % {"kind": kind})
        office = self._value("root", "office", "office_name", _("Name of the campaign office unit"), "")
        root, office_unit = services.create_root(
            ACTOR, name=name, code=code, kind=KINDS[kind], office_name=office
        )
        self._say(
            _("Root unit %(root)s and office %(office)s created.")
            % {"root": root.name, "office": office_unit.name}
        )

    def _admin(self) -> None:
        admins = services.office_admins()
        if admins:
            self._say(_("Office admin: %(names)s") % {"names": "、".join(a.username for a in admins)})
            return
        username = self._required("admin", "username", "admin_username", _("Username of the office admin"))
        name = self._value("admin", "name", "admin_name", _("Name of the office admin"), "")
        phone = self._value("admin", "phone", "admin_phone", _("Mobile number of the office admin"), "")
        password = self._value(
            "admin", "password", "admin_password", _("Password (empty: generate one)"), "", secret=True
        )
        # A password typed by the admin at this terminal is theirs; a generated one must be replaced.
        user, password_used = services.create_office_admin(
            ACTOR,
            username=username,
            display_name=name,
            phone=phone,
            password=password,
            must_change=not password,
        )
        self._say(_("Office admin %(name)s created.") % {"name": user.username})
        if not password:
            self.stdout.write(
                _("Initial password (shown once, to be changed at first sign-in): %(password)s")
                % {"password": password_used}
            )

    def _campaign(self) -> None:
        from chuangwen.campaigns.models import Campaign

        campaign = Campaign.objects.current()
        if campaign is not None:
            self._say(_("Campaign: %(name)s") % {"name": campaign.name})
            return
        root = services.root_unit()
        year = int(self._required("campaign", "year", "year", _("Campaign year"), dt.date.today().year))
        name = self._required(
            "campaign", "name", "campaign_name", _("Campaign name"), f"{root.name}{year}年度创建工作"
        )
        level = str(
            self._required(
                "campaign",
                "level",
                "level",
                _("Level (prefecture / county)"),
                CampaignLevel.COUNTY if root.kind == UnitKind.DISTRICT else CampaignLevel.PREFECTURE,
            )
        )
        if level not in CampaignLevel.values:
            raise CommandError(_("Level must be prefecture or county, not “%(level)s”.") % {"level": level})
        start_q = _("Inspection window opens (YYYY-MM-DD)")
        start = self._date(
            self._required("campaign", "inspection_start", "inspection_start", start_q), start_q
        )
        end_q = _("Inspection window closes (YYYY-MM-DD, may be empty)")
        end = self._date(self._value("campaign", "inspection_end", "inspection_end", end_q, ""), end_q)
        phases = None
        if self.config.get("campaign", {}).get("phases"):
            phases = []
            for row in self.config["campaign"]["phases"]:
                label = _("Phase %(name)s") % {"name": row.get("name", "?")}
                begin, finish = self._date(row.get("start"), label), self._date(row.get("end"), label)
                if not row.get("name") or not begin or not finish:
                    raise CommandError(_("Each phase needs a name, a start and an end date."))
                phases.append(PhaseSpec(str(row["name"]), begin, finish))
        campaign = services.create_campaign(
            ACTOR,
            name=name,
            level=level,
            year=year,
            inspection_start=start,
            inspection_end=end,
            phases=phases,
        )
        self._say(
            _("Campaign %(name)s created with %(count)d phases.")
            % {"name": campaign.name, "count": campaign.phases.count()}
        )

    def _catalogues(self) -> None:
        wanted = self.options.get("catalogues")
        if wanted is None:
            wanted = self.config.get("catalogues", {}).get("load", list(services.CATALOGUES))
        if isinstance(wanted, str):
            wanted = [] if wanted.strip() in ("", "none") else [w.strip() for w in wanted.split(",")]
        if wanted:
            services.load_catalogues(ACTOR, tuple(wanted))
        counts = services.catalogue_counts()
        self._say(
            _("Catalogues: %(counts)s")
            % {"counts": "；".join(f"{services.CATALOGUE_LABELS[k]} {v}" for k, v in counts.items())}
        )

    def _units(self) -> None:
        path = self.options.get("units") or self.config.get("units", {}).get("file")
        if not path:
            return
        file = Path(path)
        if not file.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": file})
        result = services.import_unit_tree(ACTOR, file, filename=file.name)
        if not result.ok:
            for problem in result.errors:
                self.stderr.write(f"  {problem}")
            raise CommandError(
                _("The file has %(count)d problem(s); nothing was written.") % {"count": len(result.errors)}
            )
        self._say(
            _("Units: %(new)d new, %(updated)d updated, %(unchanged)d unchanged") % result.units.as_dict()
        )

    def _report(self) -> None:
        self.stdout.write("")
        for step in services.steps():
            mark = "✓" if step.done else "·"
            self.stdout.write(f"{mark} {step.label}: {step.detail}")
        gaps = services.gaps()
        if gaps:
            self.stdout.write("")
            self.stdout.write(_("Still empty (also listed on the office's home page):"))
            for gap in gaps:
                self.stdout.write(f"  - {gap.label}  {gap.url}")
        self.stdout.write("")
        self.stdout.write(_("Next: start the server (chuangwen serve) and sign in as the office admin."))
