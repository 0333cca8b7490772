"""Images a careless user or an attacker sends: sizes below every detector window, extreme
aspect ratios, truncated files and unusual modes. Shared by the tests of every image path."""

from __future__ import annotations

import io

from PIL import Image


def _encode(image: Image.Image, fmt: str, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def _gradient(size: tuple[int, int]) -> Image.Image:
    width, height = size
    image = Image.linear_gradient("L").resize((max(1, width), max(1, height)))
    return Image.merge("RGB", (image, image.transpose(Image.Transpose.FLIP_LEFT_RIGHT), image))


def truncated_jpeg() -> bytes:
    whole = _encode(_gradient((640, 480)), "JPEG", quality=90)
    return whole[: len(whole) // 2]


def sixteen_bit_png() -> bytes:
    image = Image.new("I;16", (300, 200))
    image.putdata([(x * 211) % 65536 for x in range(300 * 200)])
    return _encode(image, "PNG")


def animated_gif() -> bytes:
    frames = [Image.new("P", (120, 90), colour) for colour in (10, 120, 240)]
    return _encode(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)


def awkward_images() -> dict[str, bytes]:
    """name → encoded bytes, every case issue 23 lists."""
    return {
        "1x1.jpg": _encode(_gradient((1, 1)), "JPEG"),
        "63x127.jpg": _encode(_gradient((63, 127)), "JPEG"),
        "64x64.jpg": _encode(_gradient((64, 64)), "JPEG"),
        "80x60.jpg": _encode(_gradient((80, 60)), "JPEG"),
        "30000x1.png": _encode(Image.new("RGB", (30000, 1), (200, 10, 10)), "PNG"),
        "truncated.jpg": truncated_jpeg(),
        "cmyk.jpg": _encode(_gradient((320, 240)).convert("CMYK"), "JPEG"),
        "16bit.png": sixteen_bit_png(),
        "animated.gif": animated_gif(),
    }
