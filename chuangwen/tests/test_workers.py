"""Each pytest-xdist worker works in its own data folder (chuangwen/tests/workers.py)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings

from chuangwen.core.tests.storage_fixtures import PORTS, free_port
from chuangwen.tests import workers


def test_under_xdist_the_data_folder_media_and_ports_are_the_workers_own():
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        pytest.skip("a serial run: one process, nothing to keep apart")
    assert Path(settings.DATA_DIR).name == worker
    assert Path(os.environ["CHUANGWEN_DATA"]) == Path(settings.DATA_DIR)
    assert (
        Path(settings.MEDIA_ROOT).is_relative_to(settings.DATA_DIR)
        or Path(settings.MEDIA_ROOT).name == worker
    )
    share = len(PORTS) // workers.worker_count()
    assert free_port() in PORTS[workers.worker_index() * share : (workers.worker_index() + 1) * share]


def test_the_worker_number_is_read_from_xdists_name(monkeypatch):
    monkeypatch.setenv("PYTEST_XDIST_WORKER", "gw3")
    assert (workers.worker_id(), workers.worker_index()) == ("gw3", 3)
    monkeypatch.delenv("PYTEST_XDIST_WORKER")
    assert (workers.worker_id(), workers.worker_index()) == (None, 0)
