"""Static files collect with the production storage (hashed names, compressed copies)."""

from __future__ import annotations

import io
import re

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command

MANIFEST = "whitenoise.storage.CompressedManifestStaticFilesStorage"


@pytest.fixture
def manifest_storage(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": MANIFEST}}
    return tmp_path / "static"


def test_every_static_file_collects_under_the_manifest_storage(manifest_storage):
    # STATIC_MANIFEST=true (docs/operations.md) once stopped serve and demo with a MissingFileError
    # for bootstrap.bundle.min.js.map: a vendored file referred to a source map we do not ship.
    call_command("collectstatic", interactive=False, verbosity=0, stdout=io.StringIO())
    hashed = list((manifest_storage / "vendor" / "bootstrap").glob("bootstrap.bundle.min.*.js"))
    assert hashed, "the bundle is collected under a hashed name"
    assert (manifest_storage / "staticfiles.json").exists()


def test_no_file_of_ours_refers_to_a_source_map_we_do_not_ship():
    missing = []
    for path, storage in finders.get_finder("django.contrib.staticfiles.finders.FileSystemFinder").list([]):
        if not path.endswith((".js", ".css")):
            continue
        text = storage.open(path).read().decode("utf-8", "replace")
        for target in re.findall(r"sourceMappingURL=([^\s*]+)", text):
            sibling = path.rsplit("/", 1)[0] + "/" + target if "/" in path else target
            if not storage.exists(sibling):
                missing.append(f"{path} → {target}")
    assert not missing, missing
