"""The material ledger (台账, xlsx) and the archive (档案, zip: indicator → unit → period).

The archive is streamed: files are read from storage in chunks and written into a ZIP whose
bytes go out as they are produced (an unseekable sink, so ZIP data descriptors are used), so
its size never sits in memory. Photos are stored uncompressed (JPEG does not shrink).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangwen.core.xlsx import workbook
from chuangwen.materials.models import Decision, ReviewAction, Submission
from chuangwen.materials.uploads import clean_name

CHUNK = 256 * 1024


def ledger_queryset(submissions: QuerySet[Submission]) -> QuerySet[Submission]:
    return (
        submissions.select_related("requirement__task__indicator", "unit", "submitted_by")
        .annotate(n_photos=Count("photos", distinct=True), n_documents=Count("documents", distinct=True))
        .prefetch_related(
            Prefetch(
                "reviews",
                queryset=ReviewAction.objects.filter(decision=Decision.APPROVE)
                .select_related("actor")
                .order_by("acted_at"),
            )
        )
        .order_by(
            "requirement__task__indicator__position", "requirement_id", "unit__path", "period", "version"
        )
    )


def _headers() -> list[str]:
    return [
        _("Indicator code"),
        _("Indicator"),
        _("Task"),
        _("Requirement"),
        _("Unit"),
        _("Period"),
        _("Title"),
        _("Activity date"),
        _("Place"),
        _("Organiser"),
        _("Participants"),
        _("Photos"),
        _("Documents"),
        _("Version"),
        _("Status"),
        _("Flags"),
        _("Submitted by"),
        _("Submitted at"),
        _("First review (初审)"),
        _("Second review (复审)"),
        _("Final review (终审)"),
    ]


def ledger_row(s: Submission) -> list[Any]:
    approvals = {
        r.level: f"{r.actor or ''} {timezone.localtime(r.acted_at):%Y-%m-%d}" for r in s.reviews.all()
    }
    indicator = s.requirement.task.indicator
    return [
        indicator.code,
        indicator.name,
        s.requirement.task.title,
        s.requirement.title,
        s.unit.name,
        s.period_label,
        s.title,
        s.activity_date.isoformat() if s.activity_date else "",
        s.place,
        s.organiser,
        s.participants if s.participants is not None else "",
        s.n_photos,
        s.n_documents,
        s.version,
        s.get_status_display(),
        s.flag_count,
        str(s.submitted_by or ""),
        timezone.localtime(s.submitted_at).strftime("%Y-%m-%d %H:%M"),
        approvals.get("first", ""),
        approvals.get("second", ""),
        approvals.get("final", ""),
    ]


def ledger_xlsx(submissions: Iterable[Submission]) -> bytes:
    """The ledger as an .xlsx (rows written as they come: constant memory)."""
    out = io.BytesIO()
    book = workbook(out, in_memory=False)
    sheet = book.add_worksheet(_("Material ledger"))
    bold = book.add_format({"bold": True, "bg_color": "#F2F2F2", "border": 1})
    for col, title in enumerate(_headers()):
        sheet.write(0, col, title, bold)
    widths = [10, 24, 30, 20, 16, 10, 30, 12, 18, 16, 8, 6, 6, 6, 14, 6, 10, 16, 16, 16, 16]
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width)
    for row, submission in enumerate(submissions, start=1):
        sheet.write_row(row, 0, ledger_row(submission))
    sheet.freeze_panes(1, 0)
    book.close()
    return out.getvalue()


class _Sink(io.RawIOBase):
    """An unseekable file that only collects what is written, drained by the generator."""

    def __init__(self) -> None:
        self._chunks: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self._chunks.append(bytes(data))
        return len(data)

    def drain(self) -> bytes:
        data = b"".join(self._chunks)
        self._chunks.clear()
        return data


def _folder(s: Submission) -> str:
    indicator = s.requirement.task.indicator
    parts = [
        clean_name(f"{indicator.code} {indicator.name}", "indicator"),
        clean_name(s.unit.name, "unit"),
        clean_name(s.period_label, "period"),
        clean_name(f"{s.title} v{s.version} #{s.pk}", "submission"),
    ]
    return "/".join(parts)


def archive_entries(submissions: list[Submission]) -> Iterator[tuple[str, Any]]:
    """(path in the archive, field file) for every original photo and document."""
    for s in submissions:
        folder = _folder(s)
        for photo in s.photos.all():
            yield f"{folder}/{photo.seq:02d}_{clean_name(photo.original_name, 'photo.jpg')}", photo.original
        for document in s.documents.all():
            yield (
                f"{folder}/D{document.seq:02d}_{clean_name(document.original_name, 'document')}",
                document.file,
            )


def stream_archive(submissions: QuerySet[Submission]) -> Iterator[bytes]:
    """The archive's bytes, piece by piece: index.xlsx first, then every file."""
    rows = list(ledger_queryset(submissions).prefetch_related("photos", "documents"))
    sink = _Sink()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as archive:
        index = ledger_xlsx(rows)
        with archive.open(_("index") + ".xlsx", "w") as handle:
            handle.write(index)
        yield sink.drain()
        for path, field_file in archive_entries(rows):
            try:
                source = field_file.open("rb")
            except OSError:
                continue  # a file missing from storage is reported by its absence, not a broken zip
            with (
                source,
                archive.open(
                    zipfile.ZipInfo(path, date_time=timezone.localtime().timetuple()[:6]),
                    "w",
                    force_zip64=True,
                ) as target,
            ):
                while chunk := source.read(CHUNK):
                    target.write(chunk)
                    if data := sink.drain():
                        yield data
            yield sink.drain()
    yield sink.drain()
