import io
import random

from PIL import Image

from chuangwen.materials.evidence.hashing import (
    brute_force,
    chunks,
    distance,
    hash_fields,
    neighbours,
    phash_bytes,
    probe_values,
    to_signed,
    to_unsigned,
)
from chuangwen.materials.tests.factories import jpeg, scene


def test_a_hash_round_trips_through_the_signed_column_and_splits_into_four_chunks():
    value = 0xF00D_BEEF_0123_ABCD
    assert to_unsigned(to_signed(value)) == value and to_signed(value) < 0
    assert chunks(value) == (0xF00D, 0xBEEF, 0x0123, 0xABCD)
    assert hash_fields(value)["hash_c"] == 0x0123
    assert distance(to_signed(value), value ^ 0b101) == 2


def test_probing_radius_two_covers_every_value_within_two_bits():
    values = set(neighbours(0, 2))
    assert len(values) == 1 + 16 + 120
    assert all(bin(v).count("1") <= 2 for v in values)


def test_a_hash_within_the_radius_always_shares_a_probed_chunk_value():
    rnd = random.Random(7)
    for _ in range(300):
        value = rnd.getrandbits(64)
        flipped = value
        for bit in rnd.sample(range(64), 11):
            flipped ^= 1 << bit
        probes = probe_values(value, 11)
        assert any(chunk in probes[i] for i, chunk in enumerate(chunks(flipped)))


def _reencoded(image, size=None, crop=None, quality=60):
    if crop:
        w, h = image.size
        image = image.crop((int(w * crop), int(h * crop), int(w * (1 - crop)), int(h * (1 - crop))))
    if size:
        image = image.resize(size)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality)
    return out.getvalue()


def test_resized_recompressed_and_lightly_cropped_copies_stay_near_and_other_pictures_far():
    original = scene(11, (1600, 1200))
    base = phash_bytes(jpeg(original))
    assert distance(base, phash_bytes(_reencoded(original, size=(800, 600)))) <= 4
    assert distance(base, phash_bytes(_reencoded(original, quality=30))) <= 4
    assert distance(base, phash_bytes(_reencoded(original, crop=0.04))) <= 10
    assert min(distance(base, phash_bytes(jpeg(scene(seed)))) for seed in range(20, 40)) > 12


def test_the_hash_ignores_exif_rotation_tags_by_applying_them():
    picture = scene(5, (400, 300))
    rotated = picture.rotate(90, expand=True)
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to view": the upright picture is `picture` rotated back
    out = io.BytesIO()
    rotated.transpose(Image.Transpose.ROTATE_270).rotate(90, expand=True).save(
        out, "JPEG", exif=exif.tobytes()
    )
    tagged = io.BytesIO()
    picture.rotate(90, expand=True).save(tagged, "JPEG", exif=exif.tobytes())
    assert distance(phash_bytes(tagged.getvalue()), phash_bytes(jpeg(picture))) <= 6


def test_brute_force_finds_exactly_the_hashes_within_the_radius():
    stored = [(1, 0), (2, 0b111), (3, (1 << 64) - 1)]
    assert brute_force(0, stored, 3) == [(1, 0), (2, 3)]
