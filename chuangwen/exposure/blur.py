"""Published copies of problem photos: faces found by OpenCV's bundled Haar cascade
(cv2.data.haarcascades, shipped with the wheel) and the rectangles the office marks by hand
(licence plates, house numbers) are blurred beyond recognition; the result is a fresh JPEG with
no metadata. The OpenCV code runs in an isolated process (core.images.isolated), like every
other image decoder: a crafted file can crash or exhaust only that process."""

from __future__ import annotations

from chuangwen.core.images import isolated

Region = tuple[int, int, int, int]  # x, y, width, height in pixels of the source photo


def blurred_copy(data: bytes, regions: list[Region]) -> tuple[bytes, int]:
    """(JPEG with the faces and `regions` blurred, number of faces found)."""
    return isolated(render_blurred, data, [tuple(int(v) for v in r) for r in regions])


def parse_regions(text: str) -> list[Region]:
    """Rectangles typed as one "x,y,width,height" per line; ValueError on a malformed line."""
    regions: list[Region] = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        parts = [p.strip() for p in line.replace("，", ",").split(",")]
        if len(parts) != 4:
            raise ValueError(line)
        x, y, w, h = (int(p) for p in parts)
        if x < 0 or y < 0 or w <= 0 or h <= 0:
            raise ValueError(line)
        regions.append((x, y, w, h))
    return regions[:50]


# What follows runs inside the isolated process.


def render_blurred(data: bytes, regions: list[Region]) -> tuple[bytes, int]:
    import cv2
    import numpy as np

    from chuangwen.core.images import DAMAGED, Refused

    cv2.setNumThreads(1)
    image = cv2.imdecode(np.frombuffer(data, dtype=np.uint8), cv2.IMREAD_COLOR)
    if image is None:
        raise Refused(DAMAGED)
    height, width = image.shape[:2]
    gray = cv2.equalizeHist(cv2.cvtColor(image, cv2.COLOR_BGR2GRAY))
    cascade = cv2.CascadeClassifier(cv2.data.haarcascades + "haarcascade_frontalface_default.xml")
    faces = [] if cascade.empty() else list(cascade.detectMultiScale(gray, 1.1, 5, minSize=(20, 20)))
    for x, y, w, h in [*faces, *regions]:
        # Widen a little so the edge of a face or plate is covered too.
        pad_w, pad_h = int(w * 0.1), int(h * 0.1)
        x0, y0 = max(0, int(x) - pad_w), max(0, int(y) - pad_h)
        x1, y1 = min(width, int(x) + int(w) + pad_w), min(height, int(y) + int(h) + pad_h)
        if x1 <= x0 or y1 <= y0:
            continue
        patch = image[y0:y1, x0:x1]
        # Pixelate then blur: nothing of the original detail survives.
        small = cv2.resize(
            patch, (max(1, (x1 - x0) // 12), max(1, (y1 - y0) // 12)), interpolation=cv2.INTER_AREA
        )
        coarse = cv2.resize(small, (x1 - x0, y1 - y0), interpolation=cv2.INTER_NEAREST)
        image[y0:y1, x0:x1] = cv2.GaussianBlur(coarse, (0, 0), max(3, (x1 - x0) // 8))
    ok, encoded = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, 85])
    if not ok:
        raise Refused(DAMAGED)
    return encoded.tobytes(), len(faces)
