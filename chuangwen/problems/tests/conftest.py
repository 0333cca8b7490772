import pytest

from chuangwen.problems.calendar import forget_calendar
from chuangwen.problems.queries import forget_categories
from chuangwen.problems.routing import forget_grids
from chuangwen.tests.browser.conftest import artifacts, browser  # noqa: F401 (the shared Chromium fixtures)


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Each test reads the holidays and grids it set up, not those cached by an earlier test."""
    forget_calendar()
    forget_grids()
    forget_categories()
    yield
    forget_calendar()
    forget_grids()
    forget_categories()
