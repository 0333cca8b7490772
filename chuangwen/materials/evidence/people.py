"""An estimate of how many people a photo shows, with the detectors shipped in OpenCV.

Two classic detectors, no downloaded weights: the HOG pedestrian detector (whole bodies,
people standing at a distance) and the Haar frontal-face cascade (faces of a seated or
crowded audience). The estimate is the larger of the two counts. It is rough by nature —
backs, partial bodies and small faces are missed — so it only ever raises a flag for a person
to look at ("fewer people visible than claimed"), never a rejection.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import lru_cache

import cv2
import numpy as np
from PIL import Image

from chuangwen.materials.evidence.exif import gps_of
from chuangwen.materials.evidence.hashing import WORK_SIDE, hash_fields, phash_image, work_image

# The workers run several jobs side by side; OpenCV's own thread pool would oversubscribe.
cv2.setNumThreads(1)
# (width, height) of the detectors' windows: the default people detector's and the cascade's.
HOG_WINDOW = (64, 128)
FACE_WINDOW = (24, 24)


@dataclass(frozen=True)
class PeopleCount:
    faces: int
    bodies: int

    @property
    def estimate(self) -> int:
        return max(self.faces, self.bodies)


@lru_cache(maxsize=1)
def _hog() -> cv2.HOGDescriptor:
    hog = cv2.HOGDescriptor()
    hog.setSVMDetector(cv2.HOGDescriptor_getDefaultPeopleDetector())
    return hog


@lru_cache(maxsize=1)
def _faces() -> cv2.CascadeClassifier:
    cascade = cv2.CascadeClassifier(cv2.data.haarcascades + "haarcascade_frontalface_default.xml")
    if cascade.empty():
        raise RuntimeError("OpenCV's frontal-face cascade is missing from the installed package")
    return cascade


def grey_array(image: Image.Image, side: int = WORK_SIDE) -> np.ndarray:
    """The upright image as an 8-bit grey array, longest side at most `side`."""
    return np.asarray(work_image(image, side))


def _suppress(boxes: list[tuple[int, int, int, int]], weights: list[float], overlap: float = 0.45) -> int:
    """Boxes left after non-maximum suppression (HOG reports one person several times)."""
    if not boxes:
        return 0
    keep = cv2.dnn.NMSBoxes([list(map(int, b)) for b in boxes], [float(w) for w in weights], 0.0, overlap)
    return len(keep)


def fits(grey: np.ndarray, window: tuple[int, int]) -> bool:
    """True when the image holds at least one detector window (width, height)."""
    height, width = grey.shape[:2]
    return width >= window[0] and height >= window[1]


def count_people(grey: np.ndarray) -> PeopleCount:
    """Faces and bodies the detectors find. A detector never runs on an image smaller than its
    window: OpenCV's HOG crashes the process on one (a double free on an 80×60 photo), and
    neither could find a person in it anyway."""
    bodies = 0
    if fits(grey, HOG_WINDOW):
        # Pyramid steps of 10% (HOG) and 15% (faces): half the work of the textbook 5%/10% for
        # a few more missed people, which suits an estimate that only ever raises a flag.
        bodies_found, weights = _hog().detectMultiScale(grey, winStride=(8, 8), padding=(8, 8), scale=1.1)
        confident = [
            (tuple(b), float(w)) for b, w in zip(bodies_found, np.ravel(weights), strict=False) if w > 0.3
        ]
        bodies = _suppress([b for b, _w in confident], [w for _b, w in confident])
    faces = 0
    if fits(grey, FACE_WINDOW):
        faces = len(_faces().detectMultiScale(grey, scaleFactor=1.15, minNeighbors=5, minSize=(18, 18)))
    return PeopleCount(faces=int(faces), bodies=int(bodies))


def count_people_in_bytes(data: bytes) -> PeopleCount:
    with Image.open(io.BytesIO(data)) as image:
        return count_people(grey_array(image))


def photo_facts(data: bytes) -> dict:
    """Facts about one photo: its hash chunks, EXIF position and people count (model fields).
    The photo is decoded once, at the work size, for the hash and both detectors.

    Native code from end to end (Pillow's decoders, OpenCV): the evidence runner calls it
    through core.isolation, so it must stay free of Django and the database."""
    with Image.open(io.BytesIO(data)) as image:
        position = gps_of(image)
        work = work_image(image)
    facts: dict = hash_fields(phash_image(work))
    people = count_people(np.asarray(work))
    facts.update(
        gps_lat=position[0] if position else None,
        gps_lng=position[1] if position else None,
        faces=min(people.faces, 32767),
        bodies=min(people.bodies, 32767),
        people=min(people.estimate, 32767),
    )
    return facts
