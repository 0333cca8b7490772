import io

import pytest
from PIL import Image

from chuangwen.core.tests.awkward import awkward_images
from chuangwen.problems.photos import PhotoError, check, display_copy
from chuangwen.problems.tests.factories import jpeg_bytes, png_bytes


def test_a_jpeg_is_accepted_with_its_size_and_hash():
    photo = check(jpeg_bytes(64, 48), name="a.jpg")
    assert (photo.kind, photo.width, photo.height) == ("jpeg", 64, 48)
    assert len(photo.sha256) == 64


def test_a_png_with_transparency_is_accepted_and_displayed_as_jpeg():
    photo = check(png_bytes(), name="a.png")
    shown = Image.open(io.BytesIO(display_copy(photo)))
    assert photo.kind == "png"
    assert shown.format == "JPEG"


def test_a_text_file_named_like_a_photo_is_refused_by_its_content():
    with pytest.raises(PhotoError):
        check(b"GIF89a not really" * 10, name="photo.jpg")
    with pytest.raises(PhotoError):
        check(b"<html>hello</html>", name="photo.jpg")


def test_a_truncated_jpeg_is_refused():
    data = jpeg_bytes(400, 300)
    with pytest.raises(PhotoError):
        check(data[: len(data) // 3], name="cut.jpg")


def test_an_empty_upload_is_refused():
    with pytest.raises(PhotoError):
        check(b"", name="empty.jpg")


def test_a_photo_over_the_size_limit_is_refused(settings):
    settings.UPLOAD_MAX_BYTES = 500
    with pytest.raises(PhotoError):
        check(jpeg_bytes(400, 300), name="big.jpg")


def test_a_decompression_bomb_is_refused_before_it_is_decoded(settings):
    settings.PHOTO_MAX_PIXELS = 10_000
    with pytest.raises(PhotoError):
        check(jpeg_bytes(200, 200), name="bomb.jpg")


def test_the_display_copy_is_upright_bounded_and_without_exif(settings):
    settings.PHOTO_DISPLAY_SIDE = 100
    image = Image.new("RGB", (400, 200), (10, 10, 10))
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° to show upright
    exif[0x0132] = "2026:03:02 10:15:00"
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    photo = check(out.getvalue(), name="phone.jpg")
    assert photo.taken_at is not None and photo.taken_at.hour == 10
    shown = Image.open(io.BytesIO(display_copy(photo)))
    assert shown.size == (50, 100)  # turned upright, then fitted into 100 px
    assert not shown.getexif()


@pytest.mark.parametrize("name", sorted(awkward_images()))
def test_every_awkward_image_is_kept_with_a_display_copy_or_refused_with_its_name(name):
    data = awkward_images()[name]
    try:
        photo = check(data, name=name)
    except PhotoError as refused:
        assert name in str(refused) or "pixels" in str(refused)
        return
    assert Image.open(io.BytesIO(display_copy(photo))).format == "JPEG"


def test_a_decoder_crash_refuses_the_photo_and_leaves_the_process_running(monkeypatch):
    from chuangwen.core import isolation
    from chuangwen.core.tests import test_isolation
    from chuangwen.problems import photos

    monkeypatch.setattr(
        photos, "run_isolated", lambda *a, **k: isolation.run_isolated(test_isolation.segfault)
    )
    with pytest.raises(PhotoError, match="cannot be read"):
        check(jpeg_bytes(64, 48), name="crash.jpg")


def test_the_display_copy_keeps_no_jpeg_comment():
    out = io.BytesIO()
    Image.new("RGB", (64, 48)).save(out, "JPEG", comment=b"taken at home, 30.27N 120.15E")
    copy = display_copy(check(out.getvalue(), name="c.jpg"))
    assert b"taken at home" not in copy and b"\xff\xfe" not in copy
