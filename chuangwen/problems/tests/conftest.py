import pytest

from chuangwen.problems.calendar import forget_calendar


@pytest.fixture(autouse=True)
def _fresh_calendar():
    """Each test reads the holiday table it set up, not one cached by an earlier test."""
    forget_calendar()
    yield
    forget_calendar()
