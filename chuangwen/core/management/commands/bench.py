"""`chuangwen bench AREA [--scale F] [--out FILE] [--database sqlite|postgres]`: run a benchmark
and print its JSON.

`--database` picks the database the benchmark builds its scratch copy in, whatever
DATABASE_URL says: `sqlite` (a temporary file) or `postgres` (DATABASE_URL when it names a
PostgreSQL server, else BENCH_POSTGRES_URL, else postgres://postgres@127.0.0.1:5432/chuangwen_bench).
The command starts itself again with that DATABASE_URL, so the settings, the forked client
processes and any server a benchmark starts all see the same database.
"""

from __future__ import annotations

import importlib
import json
import os
import pkgutil
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils.translation import gettext as _

DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/chuangwen_bench"
VENDORS = {"sqlite": "sqlite", "postgres": "postgresql"}


def _areas() -> list[str]:
    import chuangwen.bench as package

    return sorted(m.name for m in pkgutil.iter_modules(package.__path__) if not m.name.startswith("_"))


def database_url_for(choice: str, environ: dict[str, str] | None = None) -> str:
    """The DATABASE_URL a benchmark runs with for `--database CHOICE` ("" = SQLite in the data
    folder; the benchmark itself works in a temporary copy)."""
    env = os.environ if environ is None else environ
    if choice == "sqlite":
        return ""
    current = env.get("DATABASE_URL", "")
    if current.split("://", 1)[0] in ("postgres", "postgresql", "pgsql"):
        return current
    return env.get("BENCH_POSTGRES_URL") or DEFAULT_POSTGRES_URL


class Command(BaseCommand):
    help = "Run a benchmark (org, tasks, …) and print the results as JSON."

    def add_arguments(self, parser) -> None:
        parser.add_argument("area", help=f"one of: {', '.join(_areas())}")
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="fraction of the full-size data set (e.g. 0.1 for a quick run)",
        )
        parser.add_argument("--out", help="also write the JSON to this file")
        parser.add_argument(
            "--database",
            choices=sorted(VENDORS),
            help="run on this database instead of DATABASE_URL's (postgres: BENCH_POSTGRES_URL or "
            f"{DEFAULT_POSTGRES_URL})",
        )
        parser.add_argument(
            "--duration",
            type=float,
            default=None,
            help="seconds each load step runs (load and faults benchmarks only)",
        )
        parser.add_argument(
            "--outage",
            type=float,
            default=None,
            help="seconds the media storage stays down (faults benchmark only; default 30)",
        )
        parser.add_argument(
            "--users",
            type=lambda text: [int(x) for x in text.split(",") if x.strip()],
            default=None,
            help="concurrent users of each load step, e.g. 50,200,500 (load benchmark only)",
        )

    def handle(self, *args, **options) -> None:
        area = options["area"]
        if area not in _areas():
            raise CommandError(
                _("There is no benchmark “%(area)s”; choose from %(areas)s.")
                % {"area": area, "areas": ", ".join(_areas())}
            )
        choice = options.get("database")
        if choice and connection.vendor != VENDORS[choice]:
            self._run_again_on(choice, options)
            return
        module = importlib.import_module(f"chuangwen.bench.{area}")
        result = module.run(options)
        if isinstance(result, dict):
            result.setdefault("database", connection.vendor)  # which column of the docs' table
        text = json.dumps(result, ensure_ascii=False, indent=2, default=str)
        if options.get("out"):
            Path(options["out"]).write_text(text)
        self.stdout.write(text)
        if isinstance(result, dict) and result.get("must_pass") and not result.get("ok"):
            # The faults bench: a loss is a failure, for scripts and CI as for people.
            raise CommandError(_("The benchmark found a loss; see the counts above."))

    def _run_again_on(self, choice: str, options: dict) -> None:
        """Start the same benchmark in a new process whose settings name the chosen database."""
        import subprocess

        env = dict(os.environ)
        url = database_url_for(choice, env)
        if url:
            env["DATABASE_URL"] = url
        else:
            env.pop("DATABASE_URL", None)
        argv = [
            sys.executable,
            "-m",
            "chuangwen.cli",
            "bench",
            options["area"],
            "--scale",
            str(options["scale"]),
        ]
        argv += ["--database", choice]
        if options.get("out"):
            argv += ["--out", str(Path(options["out"]).resolve())]
        if options.get("duration") is not None:
            argv += ["--duration", str(options["duration"])]
        if options.get("outage") is not None:
            argv += ["--outage", str(options["outage"])]
        if options.get("users"):
            argv += ["--users", ",".join(str(n) for n in options["users"])]
        result = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
        self.stderr.write(result.stderr, ending="")
        self.stdout.write(result.stdout, ending="")  # the counts, also when the bench failed
        if result.returncode:
            raise CommandError(
                _("The benchmark on %(database)s failed (exit %(code)d).")
                % {"database": choice, "code": result.returncode},
                returncode=result.returncode,
            )
