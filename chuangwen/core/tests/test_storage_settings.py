"""S3 timeouts and retries are settings (a hung endpoint must fail within seconds)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

PROBE = """
import json
from chuangwen import settings
from storages.backends.s3 import S3Storage
options = settings.STORAGES["default"]["OPTIONS"]
config = S3Storage(**options).connection.meta.client.meta.config
print(json.dumps({
    "connect": config.connect_timeout,
    "read": config.read_timeout,
    "attempts": config.retries["total_max_attempts"],
    "overwrite": options["file_overwrite"],
}))
"""


def probe(tmp_path, **env: str) -> dict:
    pytest.importorskip("storages.backends.s3")
    environment = {
        **os.environ,
        "CHUANGWEN_DATA": str(tmp_path),
        "MEDIA_STORAGE": "s3",
        "S3_BUCKET": "b",
        "S3_ENDPOINT_URL": "http://127.0.0.1:9049",
        **env,
    }
    for name in ("S3_CONNECT_TIMEOUT", "S3_READ_TIMEOUT", "S3_MAX_ATTEMPTS"):
        if name not in env:
            environment.pop(name, None)
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_the_s3_client_gives_up_within_seconds_by_default(tmp_path):
    assert probe(tmp_path) == {"connect": 3, "read": 10, "attempts": 2, "overwrite": False}


def test_the_s3_timeouts_and_retries_come_from_the_environment(tmp_path):
    got = probe(tmp_path, S3_CONNECT_TIMEOUT="1", S3_READ_TIMEOUT="4", S3_MAX_ATTEMPTS="3")
    assert (got["connect"], got["read"], got["attempts"]) == (1, 4, 3)


def test_a_timeout_that_is_not_a_number_stops_the_start(tmp_path):
    environment = {**os.environ, "CHUANGWEN_DATA": str(tmp_path), "S3_READ_TIMEOUT": "soon"}
    done = subprocess.run(
        [sys.executable, "-c", "import chuangwen.settings"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode != 0 and "S3_READ_TIMEOUT must be an integer" in done.stderr
