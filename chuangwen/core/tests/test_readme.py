"""The README documents every environment variable the settings read, and its commands exist."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
README = ROOT / "README.md"
SETTINGS = ROOT / "chuangwen" / "settings.py"
ENVCONF = ROOT / "chuangwen" / "envconf.py"

pytestmark = pytest.mark.skipif(not README.exists(), reason="runs from a source checkout")


def _variables_read() -> set[str]:
    settings = SETTINGS.read_text()
    names = set(re.findall(r"\benv_[a-z_]+\(\s*\"([A-Z][A-Z0-9_]*)\"", settings))
    names |= set(
        re.findall(r"os\.environ(?:\.get)?[\[(]\s*\"([A-Z][A-Z0-9_]*)\"", settings + ENVCONF.read_text())
    )
    return names


def test_the_readme_documents_every_environment_variable_the_settings_read():
    documented = set(re.findall(r"`([A-Z][A-Z0-9_]+)`", README.read_text()))
    variables = _variables_read()
    assert {"DATABASE_URL", "CHUANGWEN_DATA", "SECRET_KEY", "REDIS_URL"} <= variables
    missing = sorted(variables - documented)
    assert not missing, f"add these to the configuration table in README.md: {', '.join(missing)}"


@pytest.mark.parametrize("script", ["scripts/demo.sh", "scripts/test.sh", ".ci/run"])
def test_the_commands_the_readme_and_ci_use_are_executable(script):
    path = ROOT / script
    assert path.exists() and os.access(path, os.X_OK), f"{script} must exist and be executable"


def _our_commands() -> set[str]:
    folders = (ROOT / "chuangwen").glob("*/management/commands/*.py")
    return {path.stem.replace("_", "-") for path in folders if not path.stem.startswith("_")}


def test_the_readme_command_table_lists_every_command_of_the_product():
    table = README.read_text().split("## The command", 1)[1].split("## Configuration", 1)[0]
    listed = set(re.findall(r"`chuangwen ([a-z][a-z0-9-]*)", table))
    assert {"demo", "serve", "import-units"} <= _our_commands()
    missing = sorted(_our_commands() - listed)
    assert not missing, f"add these to the command table in README.md: {', '.join(missing)}"


def test_the_readme_links_only_files_a_clone_has():
    text = README.read_text()
    links = re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", text)
    assert links, "the README links its documentation"
    broken = [link for link in links if not link.startswith("http") and not (ROOT / link).exists()]
    assert not broken, broken
    # The shared DOMAIN.md and ARCHITECTURE.md live beside the development checkout, not in a clone.
    assert "DOMAIN.md" not in text and "ARCHITECTURE.md" not in text
