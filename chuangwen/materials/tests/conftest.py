import pytest


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Uploaded files go to a throw-away folder, in English (messages are asserted in English)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.LANGUAGE_CODE = "en"


from chuangwen.tests.browser.conftest import artifacts, browser  # noqa: E402, F401 (the shared Chromium fixtures)
