"""Checking uploaded files before anything is stored, and storing them without leftovers.

Every file is read and checked by content first (photos: magic bytes, Pillow verify, size and
pixel caps through core.images; documents: magic bytes through tasks.attachments, then what
the ZIP really holds and what it unpacks to (core.archives: no ZIP bombs); videos: the MP4/MOV
"ftyp" box). Display copies are made and files are written before the database transaction
opens, so its locks are held only for the inserts; `StoredFiles` deletes them again if the
transaction fails, so a failed upload leaves neither a row nor a file.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from chuangwen.core.archives import ArchiveError, check_zip
from chuangwen.core.errors import DomainError
from chuangwen.core.images import PhotoError, PhotoInfo, inspect_and_copy
from chuangwen.core.storage import FileBatch
from chuangwen.materials.evidence.documents import has_macros, office_kind
from chuangwen.tasks.attachments import AttachmentError, check_attachment

MAX_FILES = 30  # per submission: more than any rule asks for, few enough for one request
DOCUMENT_EXTENSIONS = {"docx", "xlsx", "pdf"}
_VIDEO_BRANDS = {
    b"isom",
    b"iso2",
    b"iso4",
    b"iso5",
    b"iso6",
    b"mp41",
    b"mp42",
    b"avc1",
    b"qt  ",
    b"M4V ",
    b"3gp4",
    b"3gp5",
    b"3gp6",
    b"3g2a",
    b"MSNV",
    b"dash",
}


def clean_name(name: str, fallback: str = "file") -> str:
    """A file name safe to show and to put in an archive: no folders, no control characters,
    no leading dots, at most 120 characters (Chinese kept)."""
    base = os.path.basename(str(name or "").replace("\\", "/"))
    base = "".join(ch for ch in unicodedata.normalize("NFC", base) if unicodedata.category(ch)[0] != "C")
    base = re.sub(r'[<>:"/\\|?*]+', "_", base).strip(" .")
    if not base:
        return fallback
    stem, dot, extension = base.rpartition(".")
    if dot and len(extension) <= 8:
        return f"{stem[: 120 - len(extension) - 1]}.{extension}"
    return base[:120]


def read_upload(upload: Any) -> bytes:
    """The bytes of an UploadedFile, reading at most one byte past the cap."""
    if isinstance(upload, bytes):
        return upload
    upload.seek(0)
    return upload.read(settings.UPLOAD_MAX_BYTES + 1)


@dataclass
class CheckedPhoto:
    name: str
    data: bytes
    info: PhotoInfo
    display: bytes


@dataclass
class CheckedDocument:
    name: str
    data: bytes
    extension: str
    content_type: str
    sha256: str
    kind: str  # "document" or "video"


@dataclass
class CheckedUploads:
    photos: list[CheckedPhoto] = field(default_factory=list)
    documents: list[CheckedDocument] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.photos) + len(self.documents)


def _is_video(data: bytes) -> bool:
    return data[4:8] == b"ftyp" and data[8:12] in _VIDEO_BRANDS


def check_uploads(uploads: list[Any]) -> CheckedUploads:
    """Every upload checked; DomainError listing every refused file (nothing is kept then)."""
    if len(uploads) > MAX_FILES:
        raise DomainError(_("At most %(n)d files can be sent at once.") % {"n": MAX_FILES})
    checked = CheckedUploads()
    errors: list[str] = []
    for upload in uploads:
        name = clean_name(getattr(upload, "name", "") or "")
        data = read_upload(upload)
        try:
            _check_one(name, data, checked)
        except (PhotoError, AttachmentError, DomainError) as exc:
            errors.append(f"{name}: {exc}" if name not in str(exc) else str(exc))
    if errors:
        raise DomainError(" ".join(errors))
    return checked


def _check_one(name: str, data: bytes, checked: CheckedUploads) -> None:
    head = data[:16]
    is_heic = head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"heix", b"mif1", b"hevc")
    if (
        head.startswith((b"\xff\xd8\xff", b"\x89PNG"))
        or (head[:4] == b"RIFF" and head[8:12] == b"WEBP")
        or is_heic
    ):
        # HEIC goes to inspect_photo too, which explains how to set the camera to JPEG.
        info, display = inspect_and_copy(data, max_bytes=settings.UPLOAD_MAX_BYTES)
        checked.photos.append(CheckedPhoto(name, data, info, display))
        return
    if len(data) > settings.UPLOAD_MAX_BYTES:
        raise DomainError(
            _("larger than %(limit)d MB.") % {"limit": settings.UPLOAD_MAX_BYTES // 1024 // 1024}
        )
    if _is_video(data):
        checked.documents.append(
            CheckedDocument(
                name,
                data,
                "mp4" if data[8:12] != b"qt  " else "mov",
                "video/mp4" if data[8:12] != b"qt  " else "video/quicktime",
                hashlib.sha256(data).hexdigest(),
                "video",
            )
        )
        return
    result = check_attachment(data, name)
    if result.extension in ("zip", "docx", "xlsx", "pptx"):
        try:
            check_zip(data)  # a ZIP bomb is refused here, before the word count inflates it
        except ArchiveError as exc:
            raise DomainError(str(exc)) from exc
        # By content: a .docx renamed .xlsx is still a Word document.
        real = office_kind(data)
        if real not in ("docx", "xlsx"):
            raise DomainError(_("not a Word (.docx) or Excel (.xlsx) file."))
        if has_macros(data):
            raise DomainError(_("it contains macros; save it as a plain .docx or .xlsx without macros."))
        extension = real
        content_type = {
            "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }[real]
    elif result.extension == "pdf":
        extension, content_type = "pdf", "application/pdf"
    else:
        raise DomainError(
            _(
                "only photos, .docx, .xlsx, .pdf and MP4 videos are accepted (old .doc/.xls: save as the new format)."
            )
        )
    checked.documents.append(CheckedDocument(name, data, extension, content_type, result.sha256, "document"))


class StoredFiles(FileBatch):
    """The checked uploads written to storage *before* the transaction opens (a slow storage
    never holds a lock), under random names (two records never share an object, so deleting
    one record's files never breaks another's). Inside the transaction each record takes its
    pre-written names with `names_for`. Used as a context manager around the writes and the
    transaction: a failure anywhere deletes the files this request wrote, and only those."""

    def __init__(self, folder: str) -> None:
        super().__init__()
        self.folder = folder
        self._ready: dict[int, tuple[str, ...]] = {}

    def write_checked(self, checked: CheckedUploads) -> None:
        for photo in checked.photos:
            self._ready[id(photo)] = (
                self.write(self.folder, photo.info.extension, photo.data),
                self.write(self.folder, "display.jpg", photo.display),
            )
        for document in checked.documents:
            self._ready[id(document)] = (self.write(self.folder, document.extension, document.data),)

    def names_for(self, item: CheckedPhoto | CheckedDocument) -> tuple[str, ...]:
        """(original, display copy) of a photo, (file,) of a document."""
        return self._ready[id(item)]
