"""Refreshing the dashboard snapshot: read every big table once, write one row per slice."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from chuangwen.audit.services import log_action
from chuangwen.campaigns.models import Campaign
from chuangwen.dashboard import figures, problem_figures, scores
from chuangwen.dashboard.models import Snapshot
from chuangwen.dashboard.territory import WHOLE, Territory


@dataclass
class RefreshResult:
    slices: int
    duration_ms: int
    written: bool  # False when a refresh that started later had already landed


def build(campaign: Campaign, now: Any = None) -> tuple[dict[int | None, dict[str, Any]], str]:
    """Every slice's figures as of `now`, and the scoring run they include ("" if none)."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    territory = Territory.of(campaign)
    installed, found = scores.summary(campaign)
    parts = {
        "scores": scores.by_slice(territory, installed, found),
        "problems": problem_figures.collect(territory, now, campaign.rate_basis),
        "surveys": figures.surveys(campaign, territory),
        "points": figures.points(territory),
        "materials": figures.materials(campaign, territory, today),
        "duty": figures.duty(territory, today),
    }
    slices = {}
    for key in territory.slice_keys():
        slices[key] = {
            "campaign": {"id": campaign.pk, "name": campaign.name},
            "unit": None if key is WHOLE else {"id": key, "name": territory.name(key)},
            "as_of": now.isoformat(),
            **{name: part[key] for name, part in parts.items()},
        }
    return slices, str(found.get("computed_at") or "") if found else ""


def refresh(campaign: Campaign, actor: Any = None, request: HttpRequest | None = None) -> RefreshResult:
    """Recompute and store every slice of the campaign's dashboard.

    The reading runs outside the write transaction (it takes seconds on a city's data); the
    writing locks the campaign row so two refreshes write one after the other, and a refresh
    whose reading started before the stored one's does not overwrite newer figures.
    """
    started = timezone.now()
    clock = time.perf_counter()
    slices, scoring_at = build(campaign, started)
    duration_ms = round((time.perf_counter() - clock) * 1000)
    with transaction.atomic():
        Campaign.objects.select_for_update().get(pk=campaign.pk)
        existing = {s.unit_id: s for s in Snapshot.objects.select_for_update().filter(campaign=campaign)}
        whole = existing.get(WHOLE)
        if whole is not None and whole.computed_at > started:
            return RefreshResult(len(slices), duration_ms, written=False)
        fields = {"computed_at": started, "duration_ms": duration_ms, "scoring_computed_at": scoring_at}
        for key, data in slices.items():
            row = existing.pop(key, None)
            if row is None:
                Snapshot.objects.create(campaign=campaign, unit_id=key, data=data, **fields)
            else:
                for name, value in {**fields, "data": data}.items():
                    setattr(row, name, value)
                row.save(update_fields=[*fields, "data"])
        # Streets that were merged away or deactivated since the last refresh.
        Snapshot.objects.filter(pk__in=[s.pk for s in existing.values()]).delete()
        log_action(
            actor,
            "dashboard.snapshot.refresh",
            campaign,
            {"slices": len(slices), "duration_ms": duration_ms, "scoring_computed_at": scoring_at},
            request=request,
        )
    return RefreshResult(len(slices), duration_ms, written=True)
