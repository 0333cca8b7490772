"""The year's star ratings as an .xlsx: one row per community with its scores, stars and title."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable

from django.utils.translation import gettext as _

from chuangwen.campaigns.models import Campaign
from chuangwen.core.xlsx import write_table
from chuangwen.stars.models import Aspect, AspectScore, Rating


def ratings_xlsx(campaign: Campaign, year: int, ratings: Iterable[Rating]) -> tempfile.SpooledTemporaryFile:
    aspects = list(Aspect.objects.filter(campaign=campaign, is_active=True))
    headers = [
        _("Community"),
        _("Street / township"),
        _("Status"),
        *[a.name for a in aspects],
        _("Total"),
        _("Stars"),
        _("Title"),
    ]
    rows_list = list(ratings)
    scores: dict[tuple[int, int], AspectScore] = {
        (s.rating_id, s.aspect_id): s
        for s in AspectScore.objects.filter(rating__in=[r.pk for r in rows_list])
    }

    def rows():
        for r in rows_list:
            values = []
            for a in aspects:
                score = scores.get((r.pk, a.pk))
                values.append(float(score.score) if score and score.score is not None else "")
            yield [
                r.unit.name,
                r.unit.parent.name if r.unit.parent else "",
                r.get_status_display(),
                *values,
                float(r.total),
                r.stars,
                r.title_label,
            ]

    return write_table(_("Star ratings %(year)d") % {"year": year}, headers, rows())
