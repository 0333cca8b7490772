"""Photo checks by content: real images pass, everything else gets a clear refusal."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image

from chuangwen.core import images
from chuangwen.core.tests.awkward import awkward_images

MB = 1024 * 1024


def jpeg_bytes(size=(64, 48), exif_datetime: str | None = None, orientation: int | None = None) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    if exif_datetime:
        exif.get_ifd(0x8769)[0x9003] = exif_datetime
    if orientation:
        exif[0x0112] = orientation
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def png_bytes(size=(32, 32), mode="RGBA") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, (10, 20, 30, 128) if mode == "RGBA" else 0).save(out, "PNG")
    return out.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    """A tiny PNG that declares a huge canvas: the classic decompression bomb."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b"")
    )


def test_a_jpeg_photo_is_accepted_with_its_size_hash_and_time_taken():
    data = jpeg_bytes(exif_datetime="2025:05:01 09:30:00")
    info = images.inspect_photo(data, max_bytes=MB)
    assert (info.format, info.width, info.height, info.size) == ("JPEG", 64, 48, len(data))
    assert info.content_type == "image/jpeg" and info.extension == "jpg"
    assert len(info.sha256) == 64
    assert info.taken_at is not None and info.taken_at.hour == 9


def test_a_png_with_transparency_is_accepted_and_displayed_on_white():
    data = png_bytes()
    assert images.inspect_photo(data, max_bytes=MB).format == "PNG"
    copy = Image.open(io.BytesIO(images.display_copy(data)))
    assert copy.format == "JPEG" and copy.mode == "RGB"


def test_a_text_file_renamed_to_jpg_is_refused():
    with pytest.raises(images.PhotoError, match="not a photo"):
        images.inspect_photo(b"hello, this is not an image at all", max_bytes=MB)


def test_a_truncated_jpeg_is_refused_as_damaged():
    data = jpeg_bytes()
    with pytest.raises(images.PhotoError):
        images.inspect_photo(data[:20], max_bytes=MB)


def test_a_photo_over_the_size_cap_is_refused():
    with pytest.raises(images.PhotoError, match="too large"):
        images.inspect_photo(jpeg_bytes(), max_bytes=100)


def test_an_empty_upload_is_refused():
    with pytest.raises(images.PhotoError, match="empty"):
        images.inspect_photo(b"", max_bytes=MB)


def test_a_decompression_bomb_is_refused_before_decoding():
    bomb = png_header_only(100_000, 100_000)
    assert len(bomb) < 200
    with pytest.raises(images.PhotoError):
        images.inspect_photo(bomb, max_bytes=MB)


def test_an_image_over_the_pixel_cap_is_refused():
    with pytest.raises(images.PhotoError, match="pixels"):
        images.inspect_photo(jpeg_bytes(size=(200, 200)), max_bytes=MB, max_pixels=10_000)


def test_a_heic_photo_gets_advice_to_switch_to_jpeg():
    heic = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic"
    with pytest.raises(images.PhotoError, match="HEIC"):
        images.inspect_photo(heic, max_bytes=MB)


def test_the_display_copy_is_upright_small_and_without_metadata():
    data = jpeg_bytes(size=(4000, 1000), exif_datetime="2025:05:01 09:30:00", orientation=6)
    copy = Image.open(io.BytesIO(images.display_copy(data, max_side=800)))
    # Orientation 6 means "rotate 90°": the wide photo is shown tall.
    assert max(copy.size) <= 800 and copy.size[1] > copy.size[0]
    assert not copy.getexif()


def test_the_display_copy_drops_the_jpeg_comment_segment():
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (1, 2, 3)).save(
        out, "JPEG", comment=b"<script>alert(1)</script> GPS 30.27,120.15"
    )
    assert b"alert(1)" in out.getvalue()
    copy = images.display_copy(out.getvalue())
    assert b"alert(1)" not in copy and b"\xff\xfe" not in copy  # no COM marker at all
    assert "comment" not in Image.open(io.BytesIO(copy)).info


@pytest.mark.parametrize("name", sorted(awkward_images()))
def test_every_awkward_image_is_either_accepted_or_refused_with_a_message(name):
    data = awkward_images()[name]
    try:
        info = images.inspect_photo(data, max_bytes=MB)
    except images.PhotoError as refused:
        assert str(refused)
        return
    try:
        copy = images.display_copy(data)
    except images.PhotoError as refused:  # a truncated JPEG passes verify() and fails decoding
        assert "damaged" in str(refused)
        return
    assert info.width * info.height >= 1
    assert Image.open(io.BytesIO(copy)).format == "JPEG"


def test_a_crash_while_decoding_is_a_refusal_not_a_dead_process(monkeypatch):
    from chuangwen.core import isolation
    from chuangwen.core.tests import test_isolation

    monkeypatch.setattr(
        images, "run_isolated", lambda func, *args, **kw: isolation.run_isolated(test_isolation.segfault)
    )
    with pytest.raises(images.PhotoError, match="damaged"):
        images.display_copy(jpeg_bytes())


def test_any_other_decoder_error_is_a_refusal_too(monkeypatch):
    from chuangwen.core import isolation
    from chuangwen.core.tests import test_isolation

    monkeypatch.setattr(
        images, "run_isolated", lambda func, *a, **kw: isolation.run_isolated(test_isolation.refuse)
    )
    with pytest.raises(images.PhotoError, match="damaged"):
        images.inspect_photo(jpeg_bytes(), max_bytes=MB)


def test_an_upload_is_checked_and_copied_for_display_in_one_isolated_call():
    info, copy = images.inspect_and_copy(
        jpeg_bytes(size=(4000, 1000), exif_datetime="2025:05:01 09:30:00"), MB
    )
    assert (info.format, info.width, info.height) == ("JPEG", 4000, 1000)
    assert info.taken_at is not None and max(Image.open(io.BytesIO(copy)).size) <= images.DISPLAY_MAX_SIDE
    with pytest.raises(images.PhotoError, match="not a photo"):
        images.inspect_and_copy(b"<html>", MB)
