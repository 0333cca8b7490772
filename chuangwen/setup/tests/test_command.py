from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from chuangwen.accounts.models import User
from chuangwen.campaigns.models import Campaign
from chuangwen.org.models import Unit

pytestmark = pytest.mark.django_db
INSPECTION = (dt.date.today() + dt.timedelta(days=200)).isoformat()

CONFIG = f"""
[root]
name = "青石区"
code = "330106"
kind = "district"
office = "青石区文明办"

[admin]
username = "wmb"
name = "王主任"

[campaign]
name = "青石区创建工作"
level = "county"
year = 2027
inspection_start = {INSPECTION}
"""


def run(*args: str, **options) -> str:
    out = io.StringIO()
    call_command("setup", *args, stdout=out, stderr=io.StringIO(), **options)
    return out.getvalue()


def test_a_toml_file_takes_an_empty_database_to_a_campaign(tmp_path: Path):
    config = tmp_path / "setup.toml"
    config.write_text(CONFIG, encoding="utf-8")
    output = run(config=str(config))
    campaign = Campaign.objects.get()
    assert campaign.name == "青石区创建工作" and campaign.root_unit.code == "330106"
    assert campaign.phases.count() == 4
    assert User.objects.get(username="wmb").must_change_password
    assert "Initial password" in output, "a generated password is shown once"
    assert "No points yet" in output, "the command ends with what is still empty"


def test_running_it_again_skips_what_is_done(tmp_path: Path):
    config = tmp_path / "setup.toml"
    config.write_text(CONFIG, encoding="utf-8")
    run(config=str(config))
    again = run(config=str(config))
    assert "Root unit: 青石区" in again and "Initial password" not in again
    assert Unit.objects.filter(parent__isnull=True).count() == 1 and Campaign.objects.count() == 1


def test_options_alone_are_enough_and_a_missing_answer_names_its_option():
    with pytest.raises(CommandError, match="--root-code"):
        run(no_input=True, root_name="青石区")
    assert not Unit.objects.exists()
    run(
        no_input=True,
        root_name="青石区",
        root_code="330106",
        root_kind="district",
        admin_username="wmb",
        admin_password="Qs-district-2027!",
        inspection_start=INSPECTION,
        catalogues="none",
    )
    assert Campaign.objects.get().name.startswith("青石区")
    assert not User.objects.get(username="wmb").must_change_password, "a password the admin typed is theirs"


def test_a_bad_date_or_a_broken_file_says_what_is_wrong(tmp_path: Path):
    with pytest.raises(CommandError, match="not a date"):
        run(no_input=True, root_name="青石区", root_code="1", admin_username="wmb", inspection_start="6月底")
    broken = tmp_path / "broken.toml"
    broken.write_text("[root\nname=", encoding="utf-8")
    with pytest.raises(CommandError, match="not valid TOML"):
        run(config=str(broken))


def test_the_units_file_must_exist(tmp_path: Path):
    with pytest.raises(CommandError, match="No such file"):
        run(
            no_input=True,
            root_name="青石区",
            root_code="1",
            admin_username="wmb",
            inspection_start=INSPECTION,
            catalogues="none",
            units=str(tmp_path / "missing.xlsx"),
        )


def test_it_speaks_the_interface_language(tmp_path: Path, chinese):
    config = tmp_path / "setup.toml"
    config.write_text(CONFIG, encoding="utf-8")
    output = run(config=str(config))
    assert "尚无点位" in output and "初始密码" in output


def test_on_a_terminal_it_asks_for_each_missing_answer(monkeypatch):
    # root: name, code, kind, office; admin: username, name, phone, password; campaign: year,
    # name, level (empty answers take the defaults), inspection window opens, closes.
    answers = iter(["青石区", "330106", "district", "", "wmb", "王主任", "", "", "", "", "", INSPECTION, ""])
    asked: list[str] = []

    def answer(prompt: str) -> str:
        asked.append(prompt)
        return next(answers)

    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", answer)
    monkeypatch.setattr("getpass.getpass", answer)
    run(catalogues="none")
    assert Campaign.objects.get().root_unit.name == "青石区"
    assert any("Code of the root unit" in q for q in asked)
    assert any("Inspection window opens" in q for q in asked)
