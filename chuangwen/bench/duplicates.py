"""`chuangwen bench duplicates`: does the reused-photo check catch what a re-filer does to last
quarter's photo, and does it stay fast on a million stored hashes?

- Recall over transformations of a set of distinct photos (the CC sample photos scikit-image
  ships in `skimage/data`: read from the installed package, never downloaded), and false
  matches between those distinct photos, through the product's lookup (near_duplicates with the
  turned and window hashes, rows in the database) beside today's pHash-only lookup (the plain
  hash within 10 bits) measured in the same run. Targets: recall ≥ 95 %, false matches ≤ 1 %.
- The lookup with every probe (plain, turned, windows) against 1,000,000 stored photo hashes and
  1,000,000 stored window hashes, beside the plain lookup and a brute-force scan of both tables.
  Target: p95 < 200 ms.

Needs scikit-image for the photos (`pip install -e '.[bench]'`). `--scale 0.01` runs the same
code on small tables (the test suite's smoke test does).
"""

from __future__ import annotations

import io
import random
import time
from collections.abc import Callable
from typing import Any

PHOTOS = 1_000_000
WINDOW_ROWS = 1_000_000
# Natural photos among scikit-image's samples (the stereo pair's right half is left out: it is a
# near copy of the left, not a distinct photo).
SAMPLES = (
    "astronaut.png",
    "brick.png",
    "camera.png",
    "cell.png",
    "chelsea.png",
    "clock_motion.png",
    "coffee.png",
    "coins.png",
    "color.png",
    "grass.png",
    "gravel.png",
    "hubble_deep_field.jpg",
    "ihc.png",
    "logo.png",
    "moon.png",
    "motorcycle_left.png",
    "page.png",
    "retina.jpg",
    "rocket.jpg",
    "text.png",
)


def sample_photos() -> dict[str, Any]:
    """The sample photos as RGB images, read from the installed scikit-image package."""
    from importlib import resources

    from PIL import Image

    try:
        folder = resources.files("skimage.data")
    except ModuleNotFoundError as exc:
        raise SystemExit("the duplicates bench needs scikit-image: pip install -e '.[bench]'") from exc
    out = {}
    for name in SAMPLES:
        with folder.joinpath(name).open("rb") as handle:
            out[name] = Image.open(io.BytesIO(handle.read())).convert("RGB")
    return out


def _jpeg(image: Any, quality: int = 85) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality)
    return out.getvalue()


def _crop(image: Any, keep: float, ax: float = 0.5, ay: float = 0.5) -> Any:
    w, h = image.size
    cw, ch = int(w * keep), int(h * keep)
    x, y = int((w - cw) * ax), int((h - ch) * ay)
    return image.crop((x, y, x + cw, y + ch))


def _caption(image: Any) -> Any:
    from PIL import ImageDraw

    copy = image.copy()
    w, h = copy.size
    draw = ImageDraw.Draw(copy)
    draw.rectangle([0, int(h * 0.9), w, h], fill=(20, 20, 20))
    draw.text((8, int(h * 0.92)), "2024-09-30 activity", fill=(255, 255, 255))
    return copy


def transformations() -> dict[str, Callable[[Any], Any]]:
    """What someone re-filing last quarter's photo does to it."""
    from PIL import ImageEnhance, ImageOps

    return {
        "recompress_q50": lambda i: i,  # encoded at quality 50 below
        "half_size": lambda i: i.resize((i.width // 2, i.height // 2)),
        "brightness_plus_30pct": lambda i: ImageEnhance.Brightness(i).enhance(1.3),
        "caption_bar": _caption,
        "border_crop_10pct": lambda i: _crop(i, 0.8),
        "crop_25pct_centre": lambda i: _crop(i, 0.75),
        "crop_25pct_corner": lambda i: _crop(i, 0.75, 0.0, 0.0),
        "mirror": ImageOps.mirror,
        "rotate_90": lambda i: i.rotate(90, expand=True),
        "rotate_270": lambda i: i.rotate(270, expand=True),
        "mirror_and_border_crop": lambda i: ImageOps.mirror(_crop(i, 0.8)),
    }


def hashes_of(data: bytes) -> tuple[int, list[int], list[int]]:
    """(plain, turned, window) hashes of an encoded photo, as the evidence checks compute them."""
    from PIL import Image

    from chuangwen.materials.evidence.hashing import phash_image, turned_hashes, window_hashes, work_image

    with Image.open(io.BytesIO(data)) as image:
        work = work_image(image)
    return phash_image(work), turned_hashes(work), window_hashes(work)


def _insert(photo_rows: list[tuple], window_rows: list[tuple]) -> None:
    from django.db import connection, transaction

    photo_sql = (
        "INSERT INTO materials_photo (id, submission_id, seq, original, display, original_name, content_type, "
        "size, width, height, sha256, phash, hash_a, hash_b, hash_c, hash_d) "
        "VALUES (%s, %s, 1, 'x.jpg', 'x.jpg', 'x.jpg', 'image/jpeg', 1, 1, 1, '', %s, %s, %s, %s, %s)"
    )
    window_sql = (
        "INSERT INTO materials_photowindow (photo_id, seq, phash, hash_a, hash_b, hash_c, hash_d) "
        "VALUES (%s, %s, %s, %s, %s, %s, %s)"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, len(photo_rows), 20_000):
            cursor.executemany(photo_sql, photo_rows[start : start + 20_000])
        for start in range(0, len(window_rows), 20_000):
            cursor.executemany(window_sql, window_rows[start : start + 20_000])


def _row(pk: int, submission_id: int, value: int) -> tuple:
    from chuangwen.materials.evidence.hashing import hash_fields

    f = hash_fields(value)
    return (pk, submission_id, f["phash"], f["hash_a"], f["hash_b"], f["hash_c"], f["hash_d"])


def _window_row(photo_id: int, window: int, value: int) -> tuple:
    from chuangwen.materials.evidence.hashing import hash_fields

    f = hash_fields(value)
    return (photo_id, window, f["phash"], f["hash_a"], f["hash_b"], f["hash_c"], f["hash_d"])


def _quality(submission_id: int) -> dict[str, Any]:
    """Recall and false matches through the database, product lookup beside pHash only."""
    from chuangwen.bench import verdict
    from chuangwen.materials.evidence.duplicates import near_duplicates

    photos = sample_photos()
    names = list(photos)
    ids = {name: 10_000_000 + i for i, name in enumerate(names)}  # clear of the random rows
    originals = {name: hashes_of(_jpeg(image)) for name, image in photos.items()}
    _insert(
        [_row(ids[n], submission_id, originals[n][0]) for n in names],
        [_window_row(ids[n], w, h) for n in names for w, h in enumerate(originals[n][2])],
    )
    sample_ids = set(ids.values())
    per_kind: dict[str, dict[str, int]] = {}
    caught = caught_before = trials = 0
    stray = stray_before = 0
    for kind, change in transformations().items():
        hits = hits_before = 0
        for name, image in photos.items():
            data = _jpeg(change(image), 50 if kind == "recompress_q50" else 85)
            value, turned, windows = hashes_of(data)
            found = {m.photo_id for m in near_duplicates(value, turned=turned, windows=windows)}
            before = {m.photo_id for m in near_duplicates(value)}
            hits += ids[name] in found
            hits_before += ids[name] in before
            stray += len((found & sample_ids) - {ids[name]})
            stray_before += len((before & sample_ids) - {ids[name]})
        per_kind[kind] = {"caught": hits, "caught_phash_only": hits_before, "of": len(names)}
        caught, caught_before, trials = caught + hits, caught_before + hits_before, trials + len(names)
    # False matches: each distinct photo filed anew, looked up against the others.
    pairs = false = false_before = 0
    for name in names:
        value, turned, windows = originals[name]
        others = sample_ids - {ids[name]}
        false += len({m.photo_id for m in near_duplicates(value, turned=turned, windows=windows)} & others)
        false_before += len({m.photo_id for m in near_duplicates(value)} & others)
        pairs += len(others)
    recall = round(100 * caught / trials, 1)
    false_rate = round(100 * false / pairs, 2)
    return {
        "photos": len(names),
        "source": "scikit-image skimage/data sample photos (installed package)",
        "by_transformation": per_kind,
        "recall_pct": recall,
        "recall_phash_only_pct": round(100 * caught_before / trials, 1),
        "false_match_pairs": false,
        "false_match_pct": false_rate,
        "false_match_phash_only_pct": round(100 * false_before / pairs, 2),
        "other_sample_photos_matched_by_transformed_copies": stray,
        "other_sample_photos_matched_phash_only": stray_before,
        "recall": verdict(recall, 95, lower_is_better=False),
        "false_matches": verdict(false_rate, 1),
    }


def _lookup(submission_id: int, photos: int, windows: int, repeat: int) -> dict[str, Any]:
    from django.db import connection

    from chuangwen.bench import sample, verdict
    from chuangwen.bench.materials import cpu_ms
    from chuangwen.materials.evidence.duplicates import near_duplicates
    from chuangwen.materials.evidence.hashing import VARIANT_RADIUS, distance

    rnd = random.Random(11)  # noqa: S311 - test data, not secrets
    start = time.perf_counter()
    batch_photos: list[tuple] = []
    batch_windows: list[tuple] = []
    for pk in range(1, photos + 1):
        batch_photos.append(_row(pk, submission_id, rnd.getrandbits(64)))
        if len(batch_photos) >= 50_000:
            _insert(batch_photos, [])
            batch_photos = []
    per_photo = max(1, windows // max(1, photos))
    for i in range(windows):
        batch_windows.append(_window_row(1 + (i // per_photo) % photos, i % per_photo, rnd.getrandbits(64)))
        if len(batch_windows) >= 50_000:
            _insert([], batch_windows)
            batch_windows = []
    _insert(batch_photos, batch_windows)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE materials_photo" if connection.vendor == "postgresql" else "ANALYZE")
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE materials_photowindow")
    load_s = round(time.perf_counter() - start, 1)
    probes = [hashes_of(_jpeg(image)) for image in list(sample_photos().values())[:8]]
    cycle = iter(probes * (repeat + 10))

    def full() -> int:
        value, turned, wins = next(cycle)
        return len(near_duplicates(value, turned=turned, windows=wins))

    plain_cycle = iter(probes * (repeat + 10))
    value0, turned0, windows0 = probes[0]

    def scan() -> int:
        """Every stored hash of both tables against every probe, in Python."""
        everything = [value0, *turned0, *windows0]
        hits = 0
        with connection.cursor() as cursor:
            for table in ("materials_photo", "materials_photowindow"):
                cursor.execute(f"SELECT phash FROM {table} WHERE phash IS NOT NULL")  # noqa: S608
                for (h,) in cursor.fetchall():
                    hits += min(distance(p, h) for p in everything) <= VARIANT_RADIUS
        return hits

    every_probe = sample(full, repeat=repeat, warmup=2)
    plain = sample(lambda: near_duplicates(next(plain_cycle)[0]), repeat=repeat, warmup=2)
    return {
        "stored_photo_hashes": photos,
        "stored_window_hashes": windows,
        "load_seconds": load_s,
        "probes_per_lookup": 1 + len(turned0) + len(windows0),
        "lookup_every_probe": every_probe,
        "lookup_every_probe_cpu_p50_ms": cpu_ms(full, max(3, repeat // 3)),
        "lookup_plain_phash_only": plain,
        "brute_force_scan_every_probe": sample(scan, repeat=max(1, repeat // 15), warmup=0),
        "p95_ms": verdict(every_probe["p95_ms"], 200),
    }


def run(options: dict[str, Any]) -> dict[str, Any]:
    from contextlib import nullcontext

    from chuangwen.bench import scratch_database
    from chuangwen.bench.materials import _base, _one_submission

    scale = float(options.get("scale") or 1.0)
    repeat = int(options.get("repeat") or (30 if scale >= 0.5 else 5))
    with scratch_database() if options.get("scratch", True) else nullcontext():
        submission = _one_submission(_base())
        result: dict[str, Any] = {"area": "duplicates", "scale": scale}
        result["quality"] = _quality(submission.pk)
        result["lookup"] = _lookup(
            submission.pk, max(2_000, int(PHOTOS * scale)), max(2_000, int(WINDOW_ROWS * scale)), repeat
        )
    result["ok"] = (
        result["quality"]["recall"]["ok"]
        and result["quality"]["false_matches"]["ok"]
        and result["lookup"]["p95_ms"]["ok"]
    )
    return result
