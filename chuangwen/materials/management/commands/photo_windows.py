"""`chuangwen photo-windows`: hash the windows of photos stored before window hashes existed, so
a crop of an old photo is caught too (new photos get theirs at their evidence checks)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from chuangwen.materials.evidence.duplicates import photo_variants
from chuangwen.materials.models import Photo


class Command(BaseCommand):
    help = "Hash the windows (centre and corner crops) of stored photos that have none yet."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--limit", type=int, default=0, help="at most this many photos (0: all)")

    def handle(self, *args, **options) -> None:
        todo = Photo.objects.filter(phash__isnull=False, windows__isnull=True).order_by("pk")
        if options["limit"]:
            todo = todo[: options["limit"]]
        done = failed = 0
        for photo in todo.iterator(chunk_size=500):
            try:
                photo_variants(photo)
            except (OSError, ValueError) as exc:  # a missing or unreadable original: report, go on
                failed += 1
                self.stderr.write(f"photo {photo.pk}: {exc}")
                continue
            done += 1
        self.stdout.write(f"{done} photos hashed, {failed} unreadable")
