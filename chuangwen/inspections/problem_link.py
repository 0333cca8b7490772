"""Every failed checklist item becomes a problem for the point's responsible unit.

The adapter between inspections and the problems app (`problems.services.report`). It runs
after the observation's transaction commits, files one problem per failed observation with
the item, the point, the inspector's position and the photos, and remembers the problem's id
on the observation. The idempotency key is derived from the observation, so a retry (or an
item saved twice) never files twice. If the problems app is missing or refuses, the
observation keeps `problem_id` empty and `file_missing_problems()` can be run again later.

It also registers the point resolver the problems app's routing asks for (point_ref →
responsible unit), from here because points must not import problems.
"""

from __future__ import annotations

import logging
from typing import Any

from django.apps import apps
from django.db import transaction
from django.utils.translation import gettext as _

from chuangwen.core.actors import user_id_or_none
from chuangwen.inspections.models import Observation, Round, RoundKind

logger = logging.getLogger(__name__)


def problems_installed() -> bool:
    return apps.is_installed("chuangwen.problems")


def point_ref(point: Any) -> str:
    return f"P{point.pk}"


def resolve_point(ref: str) -> Any:
    """problems.routing's hook: 'P<id>' or a point code → PointInfo of its responsible unit."""
    from chuangwen.points.models import Point
    from chuangwen.problems.routing import PointInfo

    ref = (ref or "").strip()
    qs = Point.objects.select_related("point_type")
    point = qs.filter(pk=int(ref[1:])).first() if ref[:1] == "P" and ref[1:].isdigit() else None
    point = point or (qs.filter(code=ref).first() if ref else None)
    return PointInfo(point.unit_id, point.name, point.point_type.name) if point else None


def register_resolver() -> None:
    if problems_installed():
        from chuangwen.problems.routing import register_point_resolver

        register_point_resolver(resolve_point)


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


def category_for(item: Any) -> Any:
    """The problem category of a failed item: the item's `problem_category` parameter (code or
    name), else the minor category sharing most two-character words with the item's text, else
    settings.INSPECTION_PROBLEM_CATEGORY, else the first minor category."""
    from django.conf import settings

    from chuangwen.problems.models import ProblemCategory

    minors = list(ProblemCategory.objects.filter(parent__isnull=False).order_by("code"))
    wanted = (item.params or {}).get("problem_category") or ""
    for category in minors:
        if wanted and wanted in (category.code, category.name):
            return category
    words = _bigrams(item.text)
    scored = sorted(((len(words & _bigrams(c.name)), -i, c) for i, c in enumerate(minors)), reverse=True)
    if scored and scored[0][0] > 0:
        return scored[0][2]
    fallback = getattr(settings, "INSPECTION_PROBLEM_CATEGORY", "")
    return next((c for c in minors if c.code == fallback), minors[0] if minors else None)


def file_problem(observation: Observation, actor: Any) -> int | None:
    """File (or find, on a retry) the problem for one failed observation; its id."""
    from chuangwen.problems.models import Source
    from chuangwen.problems.photos import check as check_problem_photo
    from chuangwen.problems.services import report

    obs = Observation.objects.select_related("item", "round_point__round", "round_point__point").get(
        pk=observation.pk
    )
    if obs.problem_id or not obs.failed:
        return obs.problem_id
    rp, item = obs.round_point, obs.item
    point, round_ = rp.point, rp.round
    category = category_for(item)
    if category is None:
        logger.warning("no problem category exists; observation %s filed nothing", obs.pk)
        return None
    detail = obs.grade or obs.get_result_display()
    if obs.occurrences:
        detail = _("%(grade)s, %(n)d occurrences") % {"grade": detail, "n": obs.occurrences}
    description = _("%(round)s · %(point)s · item %(number)s failed (%(detail)s): %(text)s") % {
        "round": round_.name,
        "point": point.name,
        "number": item.number,
        "detail": detail,
        "text": item.text,
    }
    if obs.note:
        description = f"{description}\n{obs.note}"
    photos = [
        check_problem_photo(p.original.open("rb").read(), name=f"observation-{obs.pk}-{p.pk}.jpg")
        for p in obs.photos.all()[:9]
    ]
    problem = report(
        actor,
        category=category,
        description=description,
        source=Source.PATROL if round_.kind == RoundKind.PATROL else Source.INSPECTION,
        lat=obs.lat if obs.lat is not None else point.lat,
        lng=obs.lng if obs.lng is not None else point.lng,
        address=point.address,
        point_ref=point_ref(point),
        idempotency_key=f"inspection-observation-{obs.pk}",
        photos=photos,
        unit=point.unit,
    )
    Observation.objects.filter(pk=obs.pk).update(problem_id=problem.pk)
    return problem.pk


def file_problems(observation_ids: list[int], actor: Any) -> int:
    """File problems for failed observations; the number filed. Failures are logged, not raised:
    the inspector's save has already succeeded and must not turn into an error page."""
    if not problems_installed():
        return 0
    filed = 0
    for obs in Observation.objects.filter(pk__in=observation_ids, failed=True, problem_id__isnull=True):
        try:
            with transaction.atomic():
                filed += bool(file_problem(obs, actor))
        except Exception:  # noqa: BLE001 (any refusal leaves it for file_missing_problems)
            logger.exception("filing the problem of observation %s failed", obs.pk)
    return filed


def file_problems_on_commit(observation_ids: list[int], actor: Any) -> None:
    """Queue the filing for after the commit (a background job: it decodes the photos)."""
    from chuangwen.inspections.jobs import file_problems as job

    ids = list(observation_ids)
    actor_id = user_id_or_none(actor)
    transaction.on_commit(lambda: job(ids, actor_id))


def file_missing_problems(round_: Round, actor: Any) -> int:
    """Retry: file the problems still missing for failed items of a round."""
    ids = list(
        Observation.objects.filter(
            round_point__round=round_, failed=True, problem_id__isnull=True
        ).values_list("pk", flat=True)
    )
    return file_problems(ids, actor)
