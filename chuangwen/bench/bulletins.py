"""`chuangwen bench bulletins`: one bulletin of 500 problems with 200 photos, written as .docx and
PDF, beside the raw libraries writing the same table and pictures with no app logic.

Data: a district of 10 streets × 5 communities, 100 points, 500 problems in one week (a third
closed with before/after photos, the rest open, some overdue), 200 photos stored as 1600 px
display copies like the problems app keeps them. Then:

- product: the background job's body (`bulletins.generation.run`): gather the figures, scale
  the photos, write the .docx (python-docx) and the PDF (fpdf2, Chinese font subset embedded),
  store both. Target < 20 s. The stages are timed separately too.
- raw: python-docx writing a 500-row table and the same 200 (already scaled) pictures, and
  fpdf2 writing the same table and pictures with the same font: the floor of what the
  libraries cost.

`--scale 0.01` runs the same code on tiny data (the smoke test does, without timing asserts).
Photos and documents go to a temporary MEDIA_ROOT, removed afterwards.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

PROBLEMS = 500
PHOTOS = 200
TARGET_SECONDS = 20.0


def _photo_bytes(seed: int) -> bytes:
    """A 1600×1200 JPEG with texture (a flat colour would compress to nothing and flatter us)."""
    from PIL import Image, ImageDraw

    rnd = random.Random(seed)  # noqa: S311 - test data, not secrets
    image = Image.effect_noise((1600, 1200), 40).convert("RGB")
    draw = ImageDraw.Draw(image)
    for _ in range(40):
        x, y = rnd.randrange(1600), rnd.randrange(1200)
        draw.rectangle(
            (x, y, x + rnd.randrange(50, 400), y + rnd.randrange(50, 300)),
            fill=tuple(rnd.randrange(256) for _ in range(3)),
        )
    out = io.BytesIO()
    image.save(out, "JPEG", quality=82)
    return out.getvalue()


def _world(problems: int, photos: int) -> dict[str, Any]:
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from chuangwen.accounts.models import Membership, Role, User
    from chuangwen.bulletins import services
    from chuangwen.campaigns.models import Campaign
    from chuangwen.org.models import Unit, UnitKind
    from chuangwen.points.models import Point, PointType
    from chuangwen.problems.models import PhotoKind, Problem, ProblemCategory, ProblemPhoto, Status
    from chuangwen.problems.seed import load_categories

    rnd = random.Random(8)  # noqa: S311 - test data, not secrets
    district = Unit.objects.create(name="基准区", code="BB", kind=UnitKind.DISTRICT)
    office_unit = Unit.objects.create(
        name="基准区创建办", code="BB-OFF", kind=UnitKind.DEPARTMENT, parent=district
    )
    communities = []
    for s in range(10):
        street = Unit.objects.create(
            name=f"第{s + 1}街道", code=f"BB-{s}", kind=UnitKind.STREET, parent=district
        )
        for c in range(5):
            communities.append(
                Unit.objects.create(
                    name=f"第{s + 1}街道{c + 1}社区",
                    code=f"BB-{s}-{c}",
                    kind=UnitKind.COMMUNITY,
                    parent=street,
                )
            )
    office = User.objects.create_user("bench_bulletins", password="x")  # noqa: S106 - a throw-away database
    Membership.objects.create(user=office, unit=office_unit, role=Role.OFFICE_ADMIN)
    campaign = Campaign.objects.create(
        name="基准年度", year=2026, root_unit=district, office_unit=office_unit, is_current=True
    )
    if not ProblemCategory.objects.exists():
        load_categories(ProblemCategory)
    categories = list(ProblemCategory.objects.exclude(parent=None)[:20])
    types = list(PointType.objects.all()[:8]) or [PointType.objects.create(code="BT", name="基准类型")]
    points = [
        Point.objects.create(
            name=f"点位{i + 1}", point_type=types[i % len(types)], unit=communities[i % len(communities)]
        )
        for i in range(100)
    ]
    now = timezone.now()
    rows = []
    for i in range(problems):
        point = points[i % len(points)]
        closed = i % 3 == 0
        rows.append(
            Problem(
                source="inspection",
                category=categories[i % len(categories)],
                description=f"第{i + 1}号问题：路面破损、垃圾未清理、占道经营，需限期整改到位",
                address=f"基准路{i + 1}号",
                point_ref=f"P{point.pk}",
                unit=point.unit,
                status=Status.CLOSED
                if closed
                else rnd.choice([Status.DISPATCHED, Status.ACCEPTED, Status.RECTIFYING]),
                reported_at=now - dt.timedelta(hours=rnd.randrange(1, 150)),
                deadline=now + dt.timedelta(hours=rnd.randrange(-72, 72)),
                closed_at=now if closed else None,
            )
        )
    Problem.objects.bulk_create(rows, batch_size=500)
    closed_ids = list(
        Problem.objects.filter(status=Status.CLOSED).order_by("id").values_list("pk", flat=True)
    )
    samples = [_photo_bytes(seed) for seed in range(8)]
    photo_rows = []
    for n in range(photos):
        problem_id = closed_ids[(n // 2) % len(closed_ids)]
        data = samples[n % len(samples)]
        photo = ProblemPhoto(
            problem_id=problem_id,
            kind=PhotoKind.BEFORE if n % 2 == 0 else PhotoKind.AFTER,
            content_type="image/jpeg",
            sha256=f"{n:064d}",
            size=len(data),
            width=1600,
            height=1200,
        )
        photo.original.save(f"bench-{n}.jpg", ContentFile(data), save=False)
        photo.display.save(f"bench-{n}-d.jpg", ContentFile(data), save=False)
        photo_rows.append(photo)
    ProblemPhoto.objects.bulk_create(photo_rows)
    today = timezone.localdate()
    bulletin, _ = services.create_draft(
        office, campaign=campaign, start=today - dt.timedelta(days=7), end=today
    )
    return {"office": office, "bulletin": bulletin}


def _raw(content: dict[str, Any], scaled: dict[int, Any]) -> dict[str, Any]:
    """python-docx and fpdf2 writing the same problem table and pictures, no app logic."""
    from docx import Document
    from docx.shared import Cm
    from fpdf import FPDF

    from chuangwen.bulletins.fonts import pdf_font

    rows = [
        [str(p["number"]), p["description"], p["category"], p["unit"], p["status"]]
        for street in content["groups"]
        for t in street["types"]
        for point in t["points"]
        for p in point["problems"]
    ]
    images = list(scaled.values())
    with timed() as docx_time:
        document = Document()
        table = document.add_table(rows=len(rows), cols=5)
        for row, values in zip(table.rows, rows, strict=True):
            for cell, value in zip(row.cells, values, strict=True):
                cell.text = value
        for image in images:
            document.add_paragraph().add_run().add_picture(io.BytesIO(image.data), width=Cm(6.5))
        document.save(io.BytesIO())
    font = pdf_font()
    with timed() as pdf_time:
        pdf = FPDF()
        pdf.add_font("cw", fname=font.path, collection_font_number=font.index)
        pdf.add_page()
        pdf.set_font("cw", size=9)
        with pdf.table(first_row_as_headings=False) as pdf_table:
            for values in rows:
                row = pdf_table.row()
                for value in values:
                    row.cell(value)
        for image in images:
            pdf.image(io.BytesIO(image.data), w=62)
        pdf.output()
    return {"docx": docx_time, "pdf": pdf_time, "rows": len(rows), "pictures": len(images)}


@contextmanager
def timed() -> Iterator[dict[str, float]]:
    """Wall time only: tracemalloc (bench.measure) slows pure-Python code such as fpdf2's line
    breaking several times over, which would misstate both the product and the raw run."""
    result: dict[str, float] = {}
    start = time.perf_counter()
    try:
        yield result
    finally:
        result["seconds"] = round(time.perf_counter() - start, 3)


def run(options: dict[str, Any]) -> dict[str, Any]:
    from contextlib import nullcontext

    from django.db import connection
    from django.test import override_settings

    from chuangwen.bench import scratch_database, verdict
    from chuangwen.bulletins import blocks, content, docx_writer, generation, images, pdf_writer
    from chuangwen.bulletins.models import Bulletin, JobState

    scale = float(options.get("scale") or 1.0)
    problems = max(20, int(PROBLEMS * scale))
    photos = max(4, int(PHOTOS * scale))
    with (
        tempfile.TemporaryDirectory(prefix="cw-bench-media-") as media,
        override_settings(MEDIA_ROOT=media),
        scratch_database() if options.get("scratch", True) else nullcontext(),
    ):
        start = time.perf_counter()
        world = _world(problems, photos)
        fill = round(time.perf_counter() - start, 1)
        bulletin: Bulletin = world["bulletin"]
        Bulletin.objects.filter(pk=bulletin.pk).update(job_state=JobState.QUEUED, job_token=1)
        with timed() as total:
            outcome = generation.run(bulletin.pk, 1)
        bulletin.refresh_from_db()
        if outcome != "done":
            raise RuntimeError(f"generation {outcome}: {bulletin.job_error}")
        # The stages one by one, on the same data.
        with timed() as gather_time:
            data = content.gather(bulletin)
        with timed() as photos_time:
            scaled = images.load(blocks.photo_ids(data))
        layout = blocks.build(bulletin, data)
        with timed() as docx_time:
            docx = docx_writer.render(layout, scaled)
        with timed() as pdf_time:
            pdf = pdf_writer.render(layout, scaled)
        raw = _raw(data, scaled)
        result: dict[str, Any] = {
            "area": "bulletins",
            "scale": scale,
            "database": connection.vendor,
            "sizes": {
                "problems": data["summary"]["total"],
                "photos_embedded": data["photo_count"],
                "docx_kb": len(docx) // 1024,
                "pdf_kb": len(pdf) // 1024,
            },
            "fill_seconds": fill,
            "product": {
                "total": total,
                "gather": gather_time,
                "scale_photos": photos_time,
                "docx": docx_time,
                "pdf": pdf_time,
            },
            "raw_library": raw,
        }
    result["verdicts"] = {"bulletin_seconds": verdict(total["seconds"], TARGET_SECONDS)}
    result["ok"] = all(v["ok"] for v in result["verdicts"].values())
    return result
