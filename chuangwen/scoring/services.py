"""State changes of scoring: recompute, new config versions, 部门评价, negative events, bonus.

Every change writes in one transaction with an audit entry; inputs changed here queue a
debounced recompute (see hooks.request_recompute).
"""

from __future__ import annotations

import time
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangwen.audit.services import log_action
from chuangwen.campaigns.models import Campaign
from chuangwen.core.actors import user_or_none
from chuangwen.core.errors import DomainError
from chuangwen.indicators.models import Indicator, IndicatorLevel, Method, NegativeItem
from chuangwen.scoring import inputs as gathering
from chuangwen.scoring.engine import Scorer
from chuangwen.scoring.models import (
    BonusAward,
    DepartmentEvaluation,
    IndicatorScore,
    LostPoint,
    NegativeEvent,
    ScoreRun,
    ScoringConfig,
    Trigger,
    UnitLoss,
    WhatIf,
)
from chuangwen.scoring.projection import project
from chuangwen.scoring.results import below
from chuangwen.scoring.writes import insert_rows

WHAT_IF_KEPT = 300
RUNS_KEPT = 30  # older runs (and their rows) are dropped: pages read the latest, history the last few
DEFAULT_DRAWS = 10_000

CONFIG_FIELDS = (
    "weights",
    "minors_share",
    "minors_gate",
    "villages_share",
    "grade_cuts",
    "pass_marks",
    "bonus_rules",
    "bonus_cap",
    "field_quotas",
    "note",
)


def current_config(campaign: Campaign) -> ScoringConfig:
    """The latest version; version 1 with the defaults is created on first use."""
    config = ScoringConfig.objects.filter(campaign=campaign).order_by("-version").first()
    if config is None:
        config, _created = ScoringConfig.objects.get_or_create(campaign=campaign, version=1)
    return config


def validate_config(values: dict[str, Any]) -> None:
    """Refuse rules that cannot score (clear messages; nothing is saved)."""
    weights = values.get("weights") or {}
    if not isinstance(weights, dict) or not weights:
        raise DomainError(_("Give the method weights, at least a default set."))
    for year, table in weights.items():
        if year != "default" and not str(year).isdigit():
            raise DomainError(_("Weights are keyed by “default” or a year, not “%(key)s”.") % {"key": year})
        if not isinstance(table, dict) or any(m not in Method.values for m in table):
            raise DomainError(_("Unknown method in the weights of “%(key)s”.") % {"key": year})
        if any(float(v) < 0 for v in table.values()) or sum(float(v) for v in table.values()) <= 0:
            raise DomainError(_("Weights must be zero or more and not all zero."))
    share = Decimal(str(values.get("minors_share", 0))) + Decimal(str(values.get("villages_share", 0)))
    if share >= 100 or share < 0:
        raise DomainError(_("The minors' and villages' shares must leave a share for the city system."))
    cuts = values.get("grade_cuts") or {}
    try:
        a, b, c = float(cuts["A"]), float(cuts["B"]), float(cuts["C"])
    except (KeyError, TypeError, ValueError) as exc:
        raise DomainError(_("Give the rate needed for grades A, B and C.")) from exc
    if not 0 <= c <= b <= a <= 1:
        raise DomainError(_("Grade cuts must satisfy 0 ≤ C ≤ B ≤ A ≤ 1."))
    marks = values.get("pass_marks") or {}
    if not isinstance(marks, dict) or any(m not in Method.values for m in marks):
        raise DomainError(_("Pass marks are given per assessment method."))
    for mark in marks.values():
        try:
            ok = 0 <= float(mark) <= 100
        except (TypeError, ValueError):
            ok = False
        if not ok:
            raise DomainError(_("A pass mark is a score from 0 to 100."))
    for rule in values.get("bonus_rules") or []:
        if not isinstance(rule, dict) or not rule.get("code") or not rule.get("name"):
            raise DomainError(_("Every bonus rule needs a code and a name."))
    for code, quota in (values.get("field_quotas") or {}).items():
        if not str(quota).isdigit():
            raise DomainError(_("The quota of point type %(code)s must be a whole number.") % {"code": code})


def save_config(
    campaign: Campaign, values: dict[str, Any], *, actor: Any, request: Any = None
) -> ScoringConfig:
    """Write a new version of the campaign's scoring rules (old versions stay as they were)."""
    validate_config(values)
    with transaction.atomic():
        # Lock the campaign row so two editors cannot both write version N + 1.
        Campaign.objects.select_for_update().filter(pk=campaign.pk).first()
        latest = ScoringConfig.objects.filter(campaign=campaign).aggregate(v=Max("version"))["v"] or 0
        config = ScoringConfig.objects.create(
            campaign=campaign,
            version=latest + 1,
            created_by=user_or_none(actor),
            **{k: values[k] for k in CONFIG_FIELDS if k in values},
        )
        log_action(actor, "scoring.config.create", config, {"version": config.version}, request=request)
    request_recompute_on_commit(campaign.pk)
    return config


def _department_grade_check(indicator: Indicator, value: Any, grade: str) -> None:
    if Method.DEPARTMENT not in (indicator.methods or []):
        raise DomainError(_("This indicator is not assessed by department evaluation."))
    if value is None and not grade:
        raise DomainError(_("Enter the value (graded by the indicator's bands) or a grade."))
    if not indicator.grade_bands.exists() and not grade:
        raise DomainError(_("This indicator has no grade bands: enter the grade as well."))


def save_department_evaluation(
    campaign: Campaign,
    indicator: Indicator,
    *,
    value: Decimal | None,
    grade: str = "",
    note: str = "",
    evidence: Any = None,
    actor: Any,
    request: Any = None,
) -> DepartmentEvaluation:
    """Enter or change the 部门评价 of one indicator."""
    if indicator.system.campaign_id != campaign.pk:
        raise DomainError(_("The indicator belongs to another campaign."))
    _department_grade_check(indicator, value, grade)
    with transaction.atomic():
        evaluation = (
            DepartmentEvaluation.objects.select_for_update()
            .filter(campaign=campaign, indicator=indicator)
            .first()
        )
        before = {} if evaluation is None else {"value": str(evaluation.value), "grade": evaluation.grade}
        if evaluation is None:
            evaluation = DepartmentEvaluation(campaign=campaign, indicator=indicator)
        evaluation.value, evaluation.grade, evaluation.note = value, grade, note
        evaluation.entered_by = user_or_none(actor)
        if evidence:
            evaluation.evidence = evidence
        evaluation.save()
        log_action(
            actor,
            "scoring.department.save",
            evaluation,
            {"before": before, "value": str(value), "grade": grade},
            request=request,
        )
    request_recompute_on_commit(campaign.pk)
    return evaluation


def record_negative_event(
    campaign: Campaign,
    item: NegativeItem,
    *,
    occurred_on: Any,
    note: str,
    unit: Any = None,
    evidence: Any = None,
    actor: Any,
    request: Any = None,
) -> NegativeEvent:
    """Record that a negative-list item occurred: it deducts or disqualifies at the next run."""
    if item.system.campaign_id != campaign.pk:
        raise DomainError(_("The negative-list item belongs to another campaign."))
    if not (note or "").strip():
        raise DomainError(_("Say what happened."))
    with transaction.atomic():
        event = NegativeEvent.objects.create(
            campaign=campaign,
            item=item,
            occurred_on=occurred_on,
            note=note,
            unit=unit,
            evidence=evidence or "",
            recorded_by=user_or_none(actor),
        )
        log_action(actor, "scoring.negative.record", event, {"item": item.name}, request=request)
    request_recompute_on_commit(campaign.pk)
    return event


def withdraw_negative_event(event: NegativeEvent, *, actor: Any, request: Any = None) -> NegativeEvent:
    with transaction.atomic():
        event = NegativeEvent.objects.select_for_update().get(pk=event.pk)
        if event.withdrawn:
            raise DomainError(_("This event was already withdrawn."))
        event.withdrawn = True
        event.save(update_fields=["withdrawn"])
        log_action(actor, "scoring.negative.withdraw", event, {}, request=request)
    request_recompute_on_commit(event.campaign_id)
    return event


def record_bonus(
    campaign: Campaign,
    *,
    rule_code: str,
    title: str,
    points: Decimal | None = None,
    note: str = "",
    actor: Any,
    request: Any = None,
) -> BonusAward:
    config = current_config(campaign)
    rule = config.bonus_rule(rule_code)
    if rule is None:
        raise DomainError(
            _("There is no bonus rule “%(code)s” in the scoring configuration.") % {"code": rule_code}
        )
    if not (title or "").strip():
        raise DomainError(_("Give the award's title."))
    points = Decimal(str(points if points is not None else rule.get("points", 1)))
    if points <= 0:
        raise DomainError(_("Bonus points must be more than zero."))
    with transaction.atomic():
        award = BonusAward.objects.create(
            campaign=campaign,
            rule_code=rule_code,
            title=title,
            points=points,
            note=note,
            recorded_by=user_or_none(actor),
        )
        log_action(
            actor, "scoring.bonus.record", award, {"rule": rule_code, "points": str(points)}, request=request
        )
    request_recompute_on_commit(campaign.pk)
    return award


def recompute(
    campaign: Campaign, *, actor: Any = None, trigger: str = Trigger.MANUAL, draws: int = DEFAULT_DRAWS
) -> ScoreRun:
    """Compute the campaign's score from its inputs now and store it as a new run."""
    started = time.perf_counter()
    config = current_config(campaign)
    data = gathering.gather(campaign)
    gathering.load_points(data)
    scorer = Scorer(data, config)
    result = scorer.run()
    projection = project(scorer, result, draws=draws) if draws else None
    summary = _summary(data, result, config)
    with transaction.atomic():
        run = ScoreRun.objects.create(
            campaign=campaign,
            config=config,
            trigger=trigger,
            actor=user_or_none(actor),
            computed_at=timezone.now(),
            total=result.composite["total"],
            max_total=result.composite["max"],
            barred=result.composite["barred"],
            summary=summary,
            projection=projection,
        )
        insert_rows(
            IndicatorScore,
            (
                "run",
                "indicator",
                "level",
                "grade",
                "earned",
                "max_points",
                "full_points",
                "no_data",
                "explain",
            ),
            (
                (
                    run.pk,
                    indicator_id,
                    data.indicators[indicator_id].level,
                    row["grade"],
                    row["earned"],
                    row["max"],
                    row["full"],
                    row["no_data"],
                    row["explain"],
                )
                for indicator_id, row in result.indicators.items()
            ),
        )
        _write_attribution(run, result, data)
        _write_what_ifs(run, result)
        run.duration_ms = int((time.perf_counter() - started) * 1000)
        run.save(update_fields=["duration_ms"])
        old = ScoreRun.objects.filter(campaign=campaign).order_by("-computed_at", "-id")[RUNS_KEPT:]
        ScoreRun.objects.filter(pk__in=list(old.values_list("pk", flat=True))).delete()
        if trigger == Trigger.MANUAL:
            log_action(actor, "scoring.run.recompute", run, {"total": run.total}, object_repr=str(campaign))
    return run


def _summary(data: Any, result: Any, config: ScoringConfig) -> dict[str, Any]:
    composite = result.composite
    weights = config.weights_for(data.campaign.year)
    shares = composite["shares"]
    by_method: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    systems = []
    for system_id, info in result.systems.items():
        present = {m: v for m, v in info["methods"].items() if v[1] > 0}
        total_w = sum(weights.get(m, 0) for m in present)
        share = shares.get(system_id, 0.0)
        for method, (earned, mx) in present.items():
            w = weights.get(method, 0) / total_w if total_w else 1 / len(present)
            if info["level"] not in ("minors", "villages"):
                by_method[method][0] += share * w * earned / mx
                by_method[method][1] += share * w
        systems.append(
            {
                "id": system_id,
                "name": info["name"],
                "level": info["level"],
                "share": round(share, 2),
                "rate": None if info["rate"] is None else round(info["rate"], 4),
                "score": None if info["rate"] is None else round(info["rate"] * 100, 2),
            }
        )
    aspects = []
    for row in data.indicators.values():
        system = data.systems[row.system_id]
        if row.level == IndicatorLevel.I and system.level not in ("minors", "villages"):
            scored = result.indicators.get(row.id)
            if scored:
                aspects.append(
                    {
                        "id": row.id,
                        "code": row.code,
                        "name": row.name,
                        "score": scored["earned"],
                        "max": scored["max"],
                        "full": scored["full"],
                    }
                )
    no_data = sum(1 for p in result.parts if not p.has_data)
    names = {sid: info["name"] for sid, info in result.systems.items()}
    marks = config.pass_marks or {}
    units_below = {
        str(unit_id): rows for unit_id, figures in result.units.items() if (rows := below(figures, marks))
    }
    return {
        "by_method": [
            {"method": m, "score": round(v[0], 2), "max": round(v[1], 2)} for m, v in by_method.items()
        ],
        "by_aspect": aspects,
        "systems": systems,
        "base": composite["base"],
        "bonus": composite["bonus"],
        "deductions": composite["deductions"],
        "minors_score": composite["minors_score"],
        "minors_gate": float(config.minors_gate),
        "barred_reasons": composite["barred_reasons"],
        "pass_marks": {m: float(v) for m, v in marks.items()},
        "below_pass_mark": [
            {**r, "system_name": names.get(r["system"], "")} for r in composite["below_pass_mark"]
        ],
        "units_below_pass_mark": units_below,
        "missing": [{**r, "system_name": names.get(r["system"], "")} for r in composite["missing"]],
        "total_if_zero": composite["total_if_zero"],
        "parts": len(result.parts),
        "parts_no_data": no_data,
    }


def _write_attribution(run: ScoreRun, result: Any, data: Any) -> None:
    rows: dict[tuple, list] = {}
    for part in result.parts:
        lost = part.lost
        if lost <= 0 or not part.blame:
            continue
        weight_all = sum(w for _u, _r, w, _ref in part.blame)
        if weight_all <= 0:
            continue
        for unit_id, role, weight, ref in part.blame:
            cell = rows.setdefault((unit_id, part.indicator_id, part.method, role), [0.0, []])
            cell[0] += lost * weight / weight_all
            if len(cell[1]) < 10:
                cell[1].append(ref)
    for event in NegativeEvent.objects.filter(
        campaign=run.campaign, withdrawn=False, unit__isnull=False
    ).select_related("item"):
        if event.item.points:
            cell = rows.setdefault((event.unit_id, None, "", "negative"), [0.0, []])
            cell[0] += float(event.item.points)
            cell[1].append({"kind": "negative", "event": event.pk, "item": event.item.name})
    insert_rows(
        LostPoint,
        ("run", "unit", "indicator", "method", "role", "lost", "refs"),
        ((run.pk, u, i, m, r, round(v[0], 4), v[1]) for (u, i, m, r), v in rows.items() if v[0] > 0),
    )
    per_unit: dict[int, float] = defaultdict(float)
    for (unit_id, *_rest), (lost, _refs) in rows.items():
        per_unit[unit_id] += lost
    ranked = sorted(per_unit.items(), key=lambda kv: (-kv[1], kv[0]))
    UnitLoss.objects.bulk_create(
        (
            UnitLoss(run=run, unit_id=u, lost=round(v, 3), rank=i)
            for i, (u, v) in enumerate(ranked, 1)
            if v > 0
        ),
        batch_size=2000,
    )


def _write_what_ifs(run: ScoreRun, result: Any) -> None:
    found = []
    for part in result.parts:
        if not part.has_data:
            continue
        factor = result.factors.get((part.system_id, part.method), 0.0)
        for kind, unit_id, label, fixed, ref in part.fixes:
            indicator_gain = round(fixed - part.earned, 4)
            if indicator_gain <= 0:
                continue
            found.append((indicator_gain * factor, indicator_gain, kind, unit_id, label, part, ref))
    found.sort(key=lambda f: (-f[0], -f[1]))
    WhatIf.objects.bulk_create(
        WhatIf(
            run=run,
            kind=kind,
            indicator_id=part.indicator_id,
            unit_id=unit_id,
            label=label[:300],
            gain=round(gain, 4),
            indicator_gain=ind_gain,
            ref={**ref, "method": part.method},
            rank=rank,
        )
        for rank, (gain, ind_gain, kind, unit_id, label, part, ref) in enumerate(found[:WHAT_IF_KEPT], 1)
    )


def request_recompute_on_commit(campaign_id: int | None) -> None:
    from chuangwen.scoring.hooks import request_recompute

    if campaign_id:
        transaction.on_commit(lambda: request_recompute(campaign_id))
