"""Real storages for the tests of storage failures: the local folder, an S3-compatible server
(moto's server mode, on loopback), a server that accepts connections and never answers, and a
way to make the Nth write fail. Import the fixtures into a test module to use them."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.utils.functional import empty

PORTS = range(9040, 9050)  # this work's port range on shared machines
BUCKET = "chuangwen-test"


def free_port() -> int:
    """A free port of PORTS; under pytest-xdist each worker probes its own share of the range,
    so two workers never both find one port free before either binds it."""
    from chuangwen.tests.workers import worker_count, worker_index

    share = max(1, len(PORTS) // worker_count())
    mine = PORTS[worker_index() * share : (worker_index() + 1) * share] or PORTS
    for port in mine:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 9040-9049")


def s3_options(endpoint: str, bucket: str = BUCKET, **config: Any) -> dict[str, Any]:
    from botocore.config import Config

    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint,
            "access_key": "test",
            "secret_key": "test",  # noqa: S106 - moto accepts any
            "region_name": "us-east-1",
            "default_acl": None,
            # django-storages' default: names must be unique by themselves (settings.py also
            # refuses overwrites, as a second line).
            "file_overwrite": True,
            "client_config": Config(
                connect_timeout=config.get("connect_timeout", 2),
                read_timeout=config.get("read_timeout", 5),
                retries={"total_max_attempts": config.get("max_attempts", 1), "mode": "standard"},
            ),
        },
    }


@pytest.fixture(scope="session")
def s3_server() -> Iterator[str]:
    """An S3-compatible server on loopback for the whole run; yields its endpoint URL."""
    pytest.importorskip("storages.backends.s3")
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


@pytest.fixture
def s3_storage(s3_server: str, settings) -> Iterator[str]:
    """MEDIA_STORAGE=s3 against the test server, with an empty bucket."""
    import boto3

    client = boto3.client(
        "s3",
        endpoint_url=s3_server,
        aws_access_key_id="test",
        aws_secret_access_key="test",
        region_name="us-east-1",
    )
    with contextlib.suppress(client.exceptions.BucketAlreadyOwnedByYou):
        client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {**settings.STORAGES, "default": s3_options(s3_server)}
    yield s3_server
    listed = client.list_objects_v2(Bucket=BUCKET).get("Contents", [])
    for obj in listed:
        client.delete_object(Bucket=BUCKET, Key=obj["Key"])


@pytest.fixture(params=["local", "s3"])
def media_storage(request, settings, tmp_path) -> str:
    """Each test twice: on the local folder and on S3."""
    if request.param == "s3":
        request.getfixturevalue("s3_storage")
    else:
        settings.MEDIA_ROOT = tmp_path / "media"
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        }
    return request.param


def current_storage() -> Any:
    """The storage object behind default_storage (as configured now)."""
    if default_storage._wrapped is empty:
        default_storage._setup()
    return default_storage._wrapped


def stored_names() -> set[str]:
    """Every file name in the current default storage."""
    from chuangwen.core.sweep import _walk

    return {name for name, _modified in _walk(current_storage())}


class HungServer:
    """Accepts TCP connections and never answers (an S3 endpoint that hangs)."""

    def __init__(self) -> None:
        self.port = free_port()
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", self.port))
        self.sock.listen(16)
        self.accepted: list[socket.socket] = []
        self.connected = threading.Event()  # set once a client is waiting on this server
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        self.sock.settimeout(0.2)
        while not self._stop.is_set():
            try:
                conn, _addr = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.accepted.append(conn)  # held open, never read or answered
            self.connected.set()

    def close(self) -> None:
        self._stop.set()
        self.thread.join()
        for conn in self.accepted:
            conn.close()
        self.sock.close()


@pytest.fixture
def hung_storage(settings) -> Iterator[HungServer]:
    """MEDIA_STORAGE=s3 against an endpoint that never answers, with one-second timeouts."""
    pytest.importorskip("storages.backends.s3")
    server = HungServer()
    settings.STORAGES = {
        **settings.STORAGES,
        "default": s3_options(f"http://127.0.0.1:{server.port}", read_timeout=1, connect_timeout=1),
    }
    try:
        yield server
    finally:
        server.close()


def fail_write_number(monkeypatch, n: int) -> list[str]:
    """Make the nth write to the default storage fail as the backend would (botocore's
    connection error on S3, an OSError on disk); returns the names written before it."""
    storage = current_storage()
    original = storage._save
    written: list[str] = []

    def save(name, content):
        if len(written) + 1 == n:
            if hasattr(storage, "bucket_name"):
                from botocore.exceptions import EndpointConnectionError

                raise EndpointConnectionError(endpoint_url="http://storage.internal:9000/")
            raise OSError(28, "No space left on device")
        saved = original(name, content)
        written.append(saved)
        return saved

    monkeypatch.setattr(storage, "_save", save)
    return written
