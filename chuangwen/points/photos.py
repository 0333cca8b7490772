"""Keeping an uploaded photo: checked by content, original kept, display copy re-encoded."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone

from chuangwen.core.actors import user_or_none
from chuangwen.core.errors import DomainError
from chuangwen.core.images import PhotoError, PhotoInfo, display_copy, inspect_photo
from chuangwen.core.storage import FileBatch
from chuangwen.points.models import PhotoFields


def read_upload(upload: Any) -> bytes:
    """The bytes of an UploadedFile (or bytes), refusing more than the cap without reading it all."""
    if isinstance(upload, bytes):
        return upload
    limit = settings.UPLOAD_MAX_BYTES
    if getattr(upload, "size", 0) and upload.size > limit:
        return upload.read(limit + 1)  # inspect_photo reports "too large" from the length
    upload.seek(0)
    return upload.read(limit + 1)


def check_photo(upload: Any) -> tuple[bytes, PhotoInfo]:
    """(bytes, info) of a photo fit to keep, or DomainError with the reason for the user."""
    data = read_upload(upload)
    name = getattr(upload, "name", "") or ""
    try:
        return data, inspect_photo(data, max_bytes=settings.UPLOAD_MAX_BYTES)
    except PhotoError as exc:
        raise DomainError(f"{name}: {exc}" if name else str(exc)) from exc


def build_photo(
    model: type[PhotoFields],
    data: bytes,
    info: PhotoInfo,
    user: Any,
    client_key: str = "",
    with_display: bool = True,
    original_name: str = "",
    **links: Any,
) -> PhotoFields:
    """An unsaved photo row with its files attached (saving it writes them). Without
    `with_display` only the original is stored; `ensure_display` makes the copy later.
    `original_name`: the original already written (by `write_originals`, before the
    transaction), so no storage I/O happens here."""
    photo = model(
        sha256=info.sha256,
        content_type=info.content_type,
        size=info.size,
        width=info.width,
        height=info.height,
        taken_at=timezone.make_aware(info.taken_at) if info.taken_at else None,
        client_key=client_key[:64],
        uploaded_by=user_or_none(user),
        **links,
    )
    if original_name:
        photo.original.name = original_name
    else:
        photo.original.save(f"photo.{info.extension}", ContentFile(data), save=False)
    if with_display:
        photo.display.save("photo.jpg", ContentFile(display_copy(data)), save=False)
    return photo


def write_originals(batch: FileBatch, app_label: str, checked: list[tuple[bytes, PhotoInfo]]) -> list[str]:
    """Write the originals of checked photos before the transaction opens (a slow storage then
    holds no lock); `batch` deletes them again if the request fails."""
    return [batch.write(app_label, info.extension, data) for data, info in checked]


def ensure_display(photo: PhotoFields) -> bool:
    """Make the display copy of a photo stored without one; True when one was made."""
    if photo.display:
        return False
    with photo.original.open("rb") as handle:
        data = handle.read()
    photo.display.save("photo.jpg", ContentFile(display_copy(data)), save=False)
    type(photo).objects.filter(pk=photo.pk, display="").update(display=photo.display.name)
    return True
