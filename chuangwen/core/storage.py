"""The one path by which media files are written and read, so that a failing storage loses nothing.

Writing (`FileBatch`): every file of a request is written under a fresh random name *before*
the database transaction opens, so a slow or hung storage never holds a row lock; if anything
fails afterwards (a later write, a check, the transaction) the batch deletes exactly the files
it wrote, and nothing else. Names are never derived from the content: on S3 two records with
the same photo would otherwise share one object, and deleting one record's copy would delete
the other's. A record that deliberately points at another's file (a material's resubmission
keeps photos) never deletes it; `chuangwen sweep-files` deletes only objects that no row
references.

Reading (`serve`, `read`): a missing object is a 404 with a clear message wherever it is served
(`FileMissing`); a storage that does not answer is `StorageUnavailable` (HTTP 503, the same
Chinese message everywhere). The detail (an endpoint URL, a bucket name) goes to the log only.
"""

from __future__ import annotations

import contextlib
import logging
import uuid
from collections.abc import Iterator
from types import TracebackType
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage
from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chuangwen.core.errors import DomainError

log = logging.getLogger(__name__)

UNAVAILABLE = gettext_lazy("File storage is temporarily unavailable; please try again later.")


class StorageUnavailable(DomainError):
    """The storage did not answer or refused (HTTP 503). A DomainError, so that a page that shows
    a domain error beside its form keeps what the user typed; the API answers 503."""

    status = 503

    def __init__(self, detail: str = "") -> None:
        super().__init__(str(UNAVAILABLE))
        self.detail = detail


class FileMissing(Exception):
    """A row points at a file the storage no longer has (HTTP 404 with a clear message)."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name

    @property
    def message(self) -> str:
        return _("The file of this record is missing from the file storage. Tell the campaign office.")


def _client_error_code(exc: BaseException) -> str:
    response = getattr(exc, "response", None) or {}
    return str(response.get("Error", {}).get("Code", ""))


def is_storage_error(exc: BaseException) -> bool:
    """An exception raised by the storage backend (botocore's, or an OSError of the file system)."""
    if isinstance(exc, OSError):
        return True
    try:
        from botocore.exceptions import BotoCoreError, ClientError
    except ImportError:  # local storage only: botocore is an optional dependency
        return False
    return isinstance(exc, BotoCoreError | ClientError)


def is_missing(exc: BaseException) -> bool:
    if isinstance(exc, FileNotFoundError):
        return True
    return _client_error_code(exc) in ("404", "NoSuchKey", "NotFound")


@contextlib.contextmanager
def guard(action: str, name: str = "") -> Iterator[None]:
    """Turn the backend's errors into FileMissing / StorageUnavailable, logging the detail."""
    try:
        yield
    except (StorageUnavailable, FileMissing):
        raise
    except Exception as exc:
        if not is_storage_error(exc):
            raise
        if is_missing(exc):
            log.warning("storage: %s %s: missing (%s)", action, name, exc)
            raise FileMissing(name) from exc
        log.error("storage: %s %s failed: %s: %s", action, name, type(exc).__name__, exc)
        raise StorageUnavailable(f"{type(exc).__name__}: {exc}") from exc


def fresh_name(folder: str, extension: str) -> str:
    """folder/YYYY/MM/<random>.<extension>: unique, so no two records ever share an object."""
    extension = "".join(ch for ch in extension.lower() if ch.isalnum() or ch == ".")[:16] or "bin"
    return f"{folder.strip('/')}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension}"


class FileBatch:
    """Files written for one request; all of them deleted again if the request fails.

    Use as a context manager around the writes *and* the transaction that records them:

        with FileBatch() as batch:
            name = batch.write("problems/original", "jpg", data)
            with transaction.atomic():
                ...  # row.original.name = name

    An exception anywhere inside deletes what this batch wrote (and only that), then propagates.
    """

    def __init__(self, storage: Storage | None = None) -> None:
        self.storage = storage or default_storage
        self.names: list[str] = []

    def write(self, folder: str, extension: str, data: bytes) -> str:
        name = fresh_name(folder, extension)
        with guard("write", name):
            saved = self.storage.save(name, ContentFile(data))
        self.names.append(saved)
        return saved

    def discard(self) -> None:
        for name in self.names:
            try:
                self.storage.delete(name)
            except Exception as exc:  # noqa: BLE001 - the sweep deletes it later; never mask the first error
                log.warning(
                    "storage: could not delete %s after a failed request (%s); the sweep will", name, exc
                )
        self.names.clear()

    def __enter__(self) -> FileBatch:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if kind is not None:
            self.discard()


def read(field_file: Any) -> bytes:
    """The bytes of a stored file (FileMissing / StorageUnavailable on failure)."""
    name = getattr(field_file, "name", "") or ""
    if not name:
        raise FileMissing("")
    with guard("read", name), field_file.open("rb") as handle:
        return handle.read()


def serve(
    field_file: Any,
    *,
    content_type: str | None = None,
    filename: str | None = None,
    as_attachment: bool = False,
) -> FileResponse:
    """A stored file streamed through the application (the storage is never exposed to the
    browser). The object is opened before the response starts, so a missing or unreachable one
    is a clear 404 or 503 instead of a broken download."""
    name = getattr(field_file, "name", "") or ""
    if not name:
        raise FileMissing("")
    with guard("open", name):
        handle = field_file.open("rb")
        # S3 opens lazily: read now, while an error can still be answered with a clear page.
        handle.read(1)
        handle.seek(0)
    return FileResponse(handle, content_type=content_type, filename=filename, as_attachment=as_attachment)


def check_storage(storage: Storage | None = None) -> str:
    """Empty when the storage answers (and, on S3, the bucket exists); else what is wrong."""
    storage = storage or default_storage
    bucket = getattr(storage, "bucket", None)
    try:
        if bucket is not None and hasattr(storage, "connection"):
            storage.connection.meta.client.head_bucket(Bucket=storage.bucket_name)
        else:
            storage.listdir("")
    except Exception as exc:
        if not is_storage_error(exc):
            raise
        if _client_error_code(exc) in ("404", "NoSuchBucket", "NotFound"):
            return f"bucket {getattr(storage, 'bucket_name', '')!r} does not exist"
        if isinstance(exc, FileNotFoundError):
            return ""  # a local media folder is made on the first upload
        return f"{type(exc).__name__}: {exc}"
    return ""
