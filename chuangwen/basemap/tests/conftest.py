import pytest

from chuangwen.problems.queries import forget_categories
from chuangwen.problems.routing import forget_grids
from chuangwen.tests.browser.conftest import artifacts, browser  # noqa: F401 (the shared Chromium fixtures)


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Grids and categories cached by an earlier test must not leak into this one."""
    forget_grids()
    forget_categories()
    yield
    forget_grids()
    forget_categories()
