"""Test data for materials on top of the `world`: a task of street A with a photo requirement,
photos drawn with Pillow (with or without EXIF time and GPS), and documents made in memory."""

from __future__ import annotations

import datetime as dt
import io
import random
import zipfile
from fractions import Fraction
from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from chuangwen.indicators.models import EvaluationSystem, Indicator, Method
from chuangwen.materials import services
from chuangwen.materials.models import Cadence, MaterialKind, MaterialRequirement
from chuangwen.tasks.models import AssignmentRole, Task, TaskAssignment


def scene(seed: int, size: tuple[int, int] = (640, 480)) -> Image.Image:
    """A picture of coloured shapes, different for every seed (a stand-in for a real photo)."""
    rnd = random.Random(seed)
    image = Image.new("RGB", size, tuple(rnd.randrange(256) for _ in range(3)))
    draw = ImageDraw.Draw(image)
    w, h = size
    for _ in range(30):
        x, y, r = rnd.randrange(w), rnd.randrange(h), rnd.randrange(w // 20, w // 4)
        colour = tuple(rnd.randrange(256) for _ in range(3))
        if rnd.random() < 0.5:
            draw.ellipse([x - r, y - r, x + r, y + r], fill=colour)
        else:
            draw.rectangle([x - r, y - r // 2, x + r, y + r // 2], fill=colour)
    return image


def _dms(value: float) -> tuple[Fraction, Fraction, Fraction]:
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = round(((value - degrees) * 60 - minutes) * 60 * 1000)
    return (Fraction(degrees), Fraction(minutes), Fraction(seconds, 1000))


def jpeg(
    image: Image.Image,
    taken: dt.datetime | None = None,
    gps: tuple[float, float] | None = None,
    quality: int = 88,
) -> bytes:
    exif = Image.Exif()
    if taken is not None:
        exif.get_ifd(0x8769)[0x9003] = taken.strftime("%Y:%m:%d %H:%M:%S")
    if gps is not None:
        lat, lng = gps
        block = exif.get_ifd(0x8825)
        block[1] = "N" if lat >= 0 else "S"
        block[2] = _dms(abs(lat))
        block[3] = "E" if lng >= 0 else "W"
        block[4] = _dms(abs(lng))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality, exif=exif.tobytes())
    return out.getvalue()


def photo_upload(seed: int = 1, name: str = "IMG_0001.jpg", **kwargs) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg(scene(seed), **kwargs), content_type="image/jpeg")


def docx_bytes(text: str) -> bytes:
    out = io.BytesIO()
    body = "".join(f"<w:p><w:r><w:t>{line}</w:t></w:r></w:p>" for line in text.split("\n"))
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(
            "word/document.xml",
            '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
            f'wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>',
        )
    return out.getvalue()


def text_pdf(*lines: str) -> bytes:
    """A one-page PDF whose text layer holds `lines` (Helvetica: Latin text only)."""
    content = "BT /F1 12 Tf 72 720 Td 14 TL " + " ".join(f"({line}) Tj T*" for line in lines) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >>"
        " /Contents 5 0 R >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        f"<< /Length {len(content)} >>\nstream\n{content}\nendstream",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{offset:010d} 00000 n \n" for offset in offsets).encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


def pdf_upload(name: str = "报告.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", content_type="application/pdf"
    )


def make_task(world, unit=None, title: str = "开展诚信主题实践活动", text: str = "") -> Task:
    if "mat_indicator" not in world.__dict__:
        system = EvaluationSystem.objects.create(name="测评体系", edition="2023年版", campaign=world.campaign)
        indicator = Indicator.objects.create(
            system=system, level=3, code="Ⅲ-9", name="诚信建设", methods=[Method.PHOTOS], position=9
        )
        world.__dict__["mat_indicator"] = indicator
    task = Task.objects.create(
        campaign=world.campaign,
        indicator=world.__dict__["mat_indicator"],
        title=title,
        method=Method.PHOTOS,
        material_requirement=text,
    )
    TaskAssignment.objects.create(task=task, unit=unit or world.street_a, role=AssignmentRole.RESPONSIBLE)
    return task


def make_requirement(world, unit=None, **fields) -> MaterialRequirement:
    today = timezone.localdate()
    values = {
        "title": "诚信主题活动图片",
        "kind": MaterialKind.PHOTOS,
        "cadence": Cadence.QUARTERLY,
        "photos_min": 2,
        "min_participants": 10,
        "organiser_required": True,
        "window_from": dt.date(today.year, 1, 1),
        "window_to": dt.date(today.year, 12, 31),
    }
    values.update(fields)
    task = make_task(
        world, unit, text="每季度开展一次活动，提供不少于2张照片，参与人数不少于10人，注明主办单位"
    )
    return MaterialRequirement.objects.create(task=task, **values)


def activity(
    title: str = "诚信经营主题宣传活动", day: dt.date | None = None, **extra
) -> services.ActivityData:
    values = {
        "title": title,
        "activity_date": day or timezone.localdate(),
        "place": "松林街道文化广场",
        "organiser": "松林街道办事处",
        "participants": 25,
    }
    values.update(extra)
    return services.ActivityData(**values)


def file_activity(world, requirement, user="liaison_a", unit=None, seeds=(1, 2), key: str = "", **extra):
    uploads = [photo_upload(seed, name=f"IMG_{seed:04d}.jpg") for seed in seeds]
    extra_uploads = extra.pop("uploads", [])
    submission, _created = services.submit(
        actor=world.users[user],
        requirement=requirement,
        unit=unit or world.street_a,
        data=activity(**extra),
        uploads=uploads + extra_uploads,
        idempotency_key=key,
    )
    return submission


def materials_of(world) -> SimpleNamespace:
    """Street A's requirement with two filed activities (one for the pages, one for the API)."""
    if "materials" not in world.__dict__:
        requirement = make_requirement(world)
        page_submission = file_activity(world, requirement, uploads=[pdf_upload()])
        api_submission = file_activity(world, requirement, seeds=(3, 4), title="放心消费宣传活动")
        world.__dict__["materials"] = SimpleNamespace(
            requirement=requirement,
            submission=page_submission,
            api_submission=api_submission,
            photo=page_submission.photos.first(),
            document=page_submission.documents.first(),
        )
    return world.__dict__["materials"]
