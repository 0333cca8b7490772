import pytest

from chuangwen.points.tests.fixtures import field as make_field


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Photos written by tests go to a throw-away folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def field(world):
    return make_field(world)
