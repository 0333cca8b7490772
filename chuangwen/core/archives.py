"""Refusing ZIP bombs before a parser sees them (.xlsx, .docx and .zip are ZIP archives).

A 1 MB .xlsx can hold a 1 GiB shared string: the parser inflates it whole and a web worker
grows past 8 GB before any timeout fires. `check_zip()` therefore looks at the archive first:

1. the sizes the archive declares: number of parts, each part and the total unpacked, and how
   much each part grows when inflated (a ratio no real office file reaches);
2. the sizes it really unpacks to: every part is inflated once in chunks and counted, so an
   archive that declares small sizes and inflates to more is caught too (Python's zipfile
   stops at the declared size and the checksum then fails, which is reported as damage).

Only then do calamine or the XML reader open it. The limits are far above real files: the
50,000-person import of the org benchmark unpacks to a few tens of MB at a ratio near 10.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass

from django.utils.translation import gettext as _

MB = 1024 * 1024


class ArchiveError(ValueError):
    """The archive is refused; the message is shown to the user as is."""


class NotAZip(ArchiveError):
    """The bytes are not a readable ZIP archive at all (callers may say it their own way)."""


@dataclass(frozen=True)
class ZipLimits:
    unpacked_bytes: int = 256 * MB  # all parts together, inflated
    part_bytes: int = 128 * MB  # one part (one sheet, the shared strings, document.xml)
    ratio: int = 100  # inflated ÷ compressed, for parts above `ratio_from`
    ratio_from: int = 1 * MB
    parts: int = 10_000


DEFAULT_LIMITS = ZipLimits()
CHUNK = 1 * MB


def _too_large(size: int, limit: int) -> ArchiveError:
    return ArchiveError(
        _("The file unpacks to more than %(limit)d MB (%(size)d MB); split it and upload the parts.")
        % {"limit": limit // MB, "size": size // MB}
    )


def _too_dense(name: str) -> ArchiveError:
    return ArchiveError(
        _(
            "The file is refused: its part “%(name)s” unpacks to over 100 times its size, as a "
            "“ZIP bomb” does. Open it in Excel or Word, save it again and upload the new file."
        )
        % {"name": name[:60]}
    )


def _damaged() -> ArchiveError:
    return ArchiveError(
        _(
            "The file is damaged: its parts do not unpack to the sizes it declares. Save it again and upload it."
        )
    )


def check_zip(data: bytes, limits: ZipLimits = DEFAULT_LIMITS) -> None:
    """Raise ArchiveError unless the ZIP archive `data` unpacks within `limits`."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise NotAZip(_("The file is damaged or not a valid Office file.")) from exc
    with archive:
        parts = archive.infolist()
        if len(parts) > limits.parts:
            raise ArchiveError(
                _("The file has %(count)d parts; at most %(limit)d are accepted.")
                % {"count": len(parts), "limit": limits.parts}
            )
        declared = 0
        for info in parts:
            declared += info.file_size
            if info.file_size > limits.part_bytes or declared > limits.unpacked_bytes:
                raise _too_large(max(declared, info.file_size), limits.unpacked_bytes)
            if info.file_size > limits.ratio_from and info.file_size > limits.ratio * max(
                info.compress_size, 1
            ):
                raise _too_dense(info.filename)
        unpacked = 0
        for info in parts:
            if info.is_dir():
                continue
            size = 0
            try:
                with archive.open(info) as handle:
                    while chunk := handle.read(CHUNK):
                        size += len(chunk)
                        unpacked += len(chunk)
                        if size > limits.part_bytes or unpacked > limits.unpacked_bytes:
                            raise _too_large(unpacked, limits.unpacked_bytes)
            except (
                zipfile.BadZipFile,
                zlib.error,
                OSError,
                EOFError,
                NotImplementedError,
                RuntimeError,
            ) as exc:
                # RuntimeError: an encrypted part; NotImplementedError: an unknown compression.
                raise _damaged() from exc
            if size != info.file_size:
                raise _damaged()
