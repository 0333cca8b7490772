"""`chuangwen import-units FILE.xlsx`: dry run, --commit, --json, and the exit status."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from chuangwen.org.models import Person, Unit
from chuangwen.org.tests.workbooks import roster, unit_row

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English, whatever the catalogue translates them to."""
    with translation.override("en"):
        yield


GOOD = roster(
    [unit_row("YC", "云城市", "市"), unit_row("YX", "云西区", "区/县", "YC")],
    [["李桃", "13811112222", "书记", "云西区"]],
)
BAD = roster(
    [unit_row("YC", "云城市", "市"), unit_row("YX", "云西区", "区/县", "云东区")],
    [["李桃", "13811112222", "书记", "云西区"]],
)


@pytest.fixture
def good_file(tmp_path):
    path = tmp_path / "good.xlsx"
    path.write_bytes(GOOD)
    return path


@pytest.fixture
def bad_file(tmp_path):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(BAD)
    return path


def run(*args: str) -> str:
    """The command in this process (call_command: the test database stays open)."""
    out = io.StringIO()
    call_command("import_units", *args, stdout=out, stderr=out)
    return out.getvalue()


def test_it_fails_with_status_1_and_names_the_row_and_column_of_each_problem(bad_file):
    with pytest.raises(CommandError) as exc:
        run(str(bad_file), "--commit")

    assert exc.value.returncode == 1
    assert not Unit.objects.exists() and not Person.objects.exists()


def test_it_prints_each_problem_with_its_sheet_row_and_column(bad_file):
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_units", str(bad_file), stdout=out, stderr=out)

    assert "sheet “单位”, row 5, column F" in out.getvalue() and "云东区" in out.getvalue()


def test_it_is_a_dry_run_unless_told_to_commit(good_file):
    out = run(str(good_file))

    assert "2 new" in out and "云西区" in out and "--commit" in out
    assert not Unit.objects.exists()


def test_it_imports_with_commit(good_file):
    run(str(good_file), "--commit")

    assert Unit.objects.get(code="YX").parent == Unit.objects.get(code="YC")
    assert Person.objects.get().name == "李桃"


def test_it_prints_a_machine_readable_summary_with_json(good_file):
    out = io.StringIO()
    call_command("import_units", str(good_file), "--json", stdout=out)

    summary = json.loads(out.getvalue())
    assert summary["ok"] is True and summary["committed"] is False
    assert summary["units"] == {"new": 2, "updated": 0, "unchanged": 0}
    assert summary["people"]["new"] == 1
    assert summary["preview"]["units"][1]["parent"] == "云城市"


def test_its_json_lists_the_errors_and_it_still_fails(bad_file):
    out = io.StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("import_units", str(bad_file), "--json", stdout=out)

    assert exc.value.returncode == 1
    summary = json.loads(out.getvalue())
    assert summary["ok"] is False
    assert [(e["sheet"], e["row"], e["column"]) for e in summary["errors"]] == [("单位", 5, "F")]


def test_it_refuses_a_file_that_is_not_excel(tmp_path):
    path = tmp_path / "units.csv"
    path.write_text("单位编码,单位名称\nYC,云城市\n")

    with pytest.raises(CommandError, match="not an Excel file") as exc:
        run(str(path), "--commit")

    assert exc.value.returncode == 1


def test_the_console_script_exits_with_status_1_on_errors_and_0_on_success(tmp_path):
    # A real process on its own database, so the exit status is the shell's, not a mock's.
    env = {**os.environ, "CHUANGWEN_DATA": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path}/cw.sqlite3"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    (tmp_path / "bad.xlsx").write_bytes(BAD)
    (tmp_path / "good.xlsx").write_bytes(GOOD)

    def cli(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "chuangwen.cli", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )

    # Only the tables an import touches (the units, people and audit apps and what they need).
    assert cli("migrate", "org", "-v0").returncode == 0
    assert cli("migrate", "audit", "-v0").returncode == 0
    bad = cli("import-units", str(tmp_path / "bad.xlsx"), "--commit")
    assert bad.returncode == 1
    assert "F" in bad.stderr and "云东区" in bad.stderr
    assert cli("import-units", str(tmp_path / "good.xlsx"), "--commit").returncode == 0
