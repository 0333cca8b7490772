"""Headless Debian Chromium driven by Playwright, against pytest-django's live server.

Chromium is not optional here: when /usr/bin/chromium is missing the tests fail and say how
to install it (`.ci/run` and `scripts/test.sh` do), rather than skip and hide the gap.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"
# Without the background-networking flags Chromium keeps calling home, which a closed
# government network (and this CI) refuses, slowly.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def browser(transactional_db):
    """A fresh headless Chromium per test.

    Playwright's sync API keeps an event loop running in this thread while it is started, and
    Django refuses ORM calls beside a running loop. So this fixture starts after the database
    fixture and stops before it (the flush at teardown), and tests set up their rows in fixtures
    requested before this one.
    """
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium is not installed at {CHROMIUM}: run `apt-get install -y chromium` "
            "(scripts/test.sh does this when run as root).",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
