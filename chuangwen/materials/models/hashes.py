"""Extra perceptual hashes of a stored photo: windows cut from it (centre and corners at a few
scales), so a later crop of the photo — last quarter's picture trimmed at the border or cut to a
corner — is found by the same chunk-index lookup as a plain copy."""

from __future__ import annotations

from django.db import models

from chuangwen.materials.models.submission import Photo


class PhotoWindow(models.Model):
    """The pHash of one window of a photo (see materials.evidence.hashing.WINDOWS), stored whole
    and as four indexed 16-bit chunks like Photo.phash."""

    photo = models.ForeignKey(Photo, on_delete=models.CASCADE, related_name="windows")
    seq = models.PositiveSmallIntegerField()  # which window: an index into hashing.WINDOWS
    phash = models.BigIntegerField()
    hash_a = models.IntegerField()
    hash_b = models.IntegerField()
    hash_c = models.IntegerField()
    hash_d = models.IntegerField()

    scope_field = "photo__submission__unit"

    class Meta:
        constraints = [models.UniqueConstraint(fields=["photo", "seq"], name="materials_photo_window_once")]
        indexes = [
            # (chunk, phash, photo): the candidates, their hash and their photo from the index alone.
            models.Index(fields=["hash_a", "phash", "photo"], name="materials_window_hash_a"),
            models.Index(fields=["hash_b", "phash", "photo"], name="materials_window_hash_b"),
            models.Index(fields=["hash_c", "phash", "photo"], name="materials_window_hash_c"),
            models.Index(fields=["hash_d", "phash", "photo"], name="materials_window_hash_d"),
        ]

    def __str__(self) -> str:
        return f"{self.photo_id}#{self.seq}"
