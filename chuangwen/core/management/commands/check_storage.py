"""`chuangwen check-storage [--create-bucket]`: does the file storage answer, and does the bucket exist?"""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from chuangwen.core.storage import check_storage, guard


class Command(BaseCommand):
    help = (
        "Check that the file storage answers (on S3: that the bucket exists); optionally create the bucket."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--create-bucket", action="store_true", help="create the S3 bucket when it does not exist"
        )

    def handle(self, *args, **options) -> None:
        problem = check_storage()
        bucket = getattr(default_storage, "bucket_name", None)
        if problem and options["create_bucket"] and bucket and "does not exist" in problem:
            with guard("create bucket", bucket):
                client = default_storage.connection.meta.client
                region = client.meta.region_name
                extra = {}
                if region and region != "us-east-1":  # AWS wants the region named; others ignore it
                    extra["CreateBucketConfiguration"] = {"LocationConstraint": region}
                client.create_bucket(Bucket=bucket, **extra)
            self.stdout.write(_("Created the bucket %(bucket)s.") % {"bucket": bucket})
            problem = check_storage()
        if problem:
            raise CommandError(_("The file storage does not answer: %(problem)s") % {"problem": problem})
        self.stdout.write(_("The file storage answers."))
