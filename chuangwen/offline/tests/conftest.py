import pytest

from chuangwen.inspections.tests.fixtures import inspection as make_inspection
from chuangwen.points.tests.fixtures import field as make_field
from chuangwen.tests.browser.conftest import artifacts, browser  # noqa: F401 (the shared Chromium fixtures)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def field(world):
    return make_field(world)


@pytest.fixture
def inspection(world):
    return make_inspection(world)
