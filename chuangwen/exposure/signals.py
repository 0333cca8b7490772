"""When an exposed problem closes, its after photo is published (blurred) after commit."""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from chuangwen.problems.models import Problem, Status

log = logging.getLogger(__name__)


@receiver(post_save, sender=Problem, dispatch_uid="exposure_after_photo")
def _problem_saved(sender: Any, instance: Problem, **kwargs: Any) -> None:
    if instance.status != Status.CLOSED:
        return
    from chuangwen.exposure.models import Exposure

    pk = Exposure.objects.filter(problem_id=instance.pk, after="").values_list("pk", flat=True).first()
    if pk is None:
        return

    def publish_after() -> None:
        from chuangwen.exposure.services import add_after_photo

        try:
            add_after_photo(pk)
        except Exception:  # noqa: BLE001 - the office can refresh it from the board
            log.warning("exposure: after photo of %s not published", pk, exc_info=True)

    transaction.on_commit(publish_after)
