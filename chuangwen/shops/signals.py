"""Problems reported with a position right at one shop are linked to it (门前三包: the shop
answers for its frontage), after the report's transaction commits."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver


@receiver(post_save, sender="problems.Problem", dispatch_uid="shops_link_by_location")
def link_by_location(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    if not created or instance.shop_id is not None or instance.lat is None or instance.lng is None:
        return
    pk, lat, lng = instance.pk, instance.lat, instance.lng

    def link() -> None:
        from chuangwen.problems.models import Problem
        from chuangwen.shops.services import link_problem, nearest_shop

        shop = nearest_shop(lat, lng)
        if shop is None:
            return
        problem = Problem.objects.filter(pk=pk, shop__isnull=True).first()
        if problem is not None:
            link_problem(problem, shop, "system")

    transaction.on_commit(link)
