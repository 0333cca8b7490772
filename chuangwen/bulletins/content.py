"""Gathering a bulletin's figures: what its documents say, as one JSON-able snapshot.

Everything is read with a fixed number of queries whatever the number of problems (problems
with their category and unit; the points they name; the streets above their units; their
photos; the points inspected), then grouped in Python. The tallies are counted by
problems.rates (`grouped`, `Counts`), and the rate divides by what the campaign chose (closed ÷
due by default, or closed ÷ found); every sentence that gives a rate names its denominator.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangwen.bulletins import conf
from chuangwen.bulletins.models import Bulletin, MentionReason
from chuangwen.core.errors import DomainError
from chuangwen.core.official_dates import official_span
from chuangwen.org.models import Unit
from chuangwen.problems.models import (
    PhotoKind,
    Problem,
    ProblemPhoto,
    Status,
)
from chuangwen.problems.rates import STREET_KINDS, Counts, counted, grouped

CN_NUMBERS = "一二三四五六七八九十"


def cn_number(number: int) -> str:
    """一, 二 … 十 for section headings (Arabic numerals past ten)."""
    return CN_NUMBERS[number - 1] if 1 <= number <= len(CN_NUMBERS) else str(number)


def _local(value: dt.datetime | None) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


@dataclass
class Tally(Counts):
    """Problems of one unit or street, counted by problems.rates."""

    id: int | None = None
    name: str = ""

    @property
    def rate(self) -> float | None:
        return self.rectification_rate

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            **Counts.as_dict(self),
            "outstanding": self.total - self.closed,
        }


def problems_for(bulletin: Bulletin) -> Any:
    """The problems a bulletin covers: reported in its period inside the campaign's territory
    (duplicates and not-applicable ones left out), narrowed to a street and a round if chosen."""
    qs = counted(Problem.objects.all(), bulletin.period_start, bulletin.period_end)
    root = bulletin.campaign.root_unit
    qs = qs.filter(Q(unit__path__startswith=root.path) | Q(unit__isnull=True))
    if bulletin.street_id:
        qs = qs.filter(unit__path__startswith=bulletin.street.path)
    if bulletin.round_id:
        from chuangwen.inspections.models import Observation

        filed = Observation.objects.filter(round_point__round_id=bulletin.round_id, problem_id__isnull=False)
        qs = qs.filter(pk__in=filed.values("problem_id"))
    return qs


def points_checked(bulletin: Bulletin) -> int:
    """Distinct points whose inspection visit was finished in the period (or in the round)."""
    from chuangwen.inspections.models import RoundPoint, VisitStatus

    qs = RoundPoint.objects.filter(status=VisitStatus.DONE)
    if bulletin.round_id:
        qs = qs.filter(round_id=bulletin.round_id)
    else:
        tz = timezone.get_current_timezone()
        start = dt.datetime.combine(bulletin.period_start, dt.time.min, tzinfo=tz)
        end = dt.datetime.combine(bulletin.period_end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
        qs = qs.filter(finished_at__gte=start, finished_at__lt=end)
        qs = qs.filter(point__unit__path__startswith=bulletin.campaign.root_unit.path)
    if bulletin.street_id:
        qs = qs.filter(point__unit__path__startswith=bulletin.street.path)
    return qs.values("point_id").distinct().count()


def _points(refs: set[str]) -> dict[str, tuple[str, str]]:
    """point_ref → (point name, point type name) for refs written 'P<id>' or as a point code."""
    from chuangwen.points.models import Point

    ids = {int(r[1:]) for r in refs if r[:1] == "P" and r[1:].isdigit()}
    codes = {r for r in refs if r and not (r[:1] == "P" and r[1:].isdigit())}
    found: dict[str, tuple[str, str]] = {}
    if not ids and not codes:
        return found
    rows = Point.objects.filter(Q(pk__in=ids) | Q(code__in=codes)).values_list(
        "pk", "code", "name", "point_type__name"
    )
    for pk, code, name, type_name in rows:
        found[f"P{pk}"] = (name, type_name)
        if code:
            found[code] = (name, type_name)
    return found


def _streets(units: dict[int, Unit]) -> dict[int, Unit]:
    """unit id → the street or township above it (or the unit itself when none is)."""
    ancestor_ids = {int(x) for u in units.values() for x in u.path.strip("/").split("/") if x}
    streets = {u.pk: u for u in Unit.objects.filter(pk__in=ancestor_ids, kind__in=STREET_KINDS)}
    result = {}
    for pk, unit in units.items():
        ids = [int(x) for x in unit.path.strip("/").split("/") if x]
        result[pk] = next((streets[i] for i in ids if i in streets), unit)
    return result


def _photos(problem_ids: list[int], limit: int) -> dict[int, dict[str, int]]:
    """problem id → {"before": photo id, "after": photo id}: the first before-photo and the
    latest after-photo, in problem order, until `limit` photos are taken."""
    chosen: dict[int, dict[str, int]] = defaultdict(dict)
    rows = (
        ProblemPhoto.objects.filter(problem_id__in=problem_ids, kind__in=(PhotoKind.BEFORE, PhotoKind.AFTER))
        .order_by("created_at", "id")
        .values_list("problem_id", "kind", "id")
    )
    for problem_id, kind, photo_id in rows:
        if kind == PhotoKind.BEFORE:
            chosen[problem_id].setdefault("before", photo_id)
        else:
            chosen[problem_id]["after"] = photo_id
    taken = 0
    result: dict[int, dict[str, int]] = {}
    for problem_id in problem_ids:
        pair = chosen.get(problem_id)
        if not pair:
            continue
        if taken + len(pair) > limit:
            break
        result[problem_id] = pair
        taken += len(pair)
    return result


LISTED_FIELDS = (
    "id",
    "description",
    "address",
    "point_ref",
    "status",
    "deadline",
    "reported_at",
    "closed_at",
    "rework_count",
    "category__name",
    "unit__id",
    "unit__name",
    "unit__path",
    "unit__kind",
)


def gather(bulletin: Bulletin, as_of: dt.datetime | None = None) -> dict[str, Any]:
    """The snapshot the documents are written from (see the module docstring), in named steps:
    the listed problems, their tallies by unit and street, the good and poor units, the
    problems grouped street → point type → point, and the units the bulletin mentions."""
    as_of = as_of or timezone.now()
    problems = listed_problems(bulletin)
    units = {p.unit_id: p.unit for p in problems if p.unit_id}
    street_of = _streets(units)
    summary, unit_rows, street_rows = tally(bulletin, as_of, units, street_of)
    photos = _photos([p.pk for p in problems], conf.get("BULLETIN_MAX_PHOTOS"))
    good, poor = good_and_poor(unit_rows)
    return {
        "generated_at": as_of.isoformat(),
        "period": [bulletin.period_start.isoformat(), bulletin.period_end.isoformat()],
        "round": bulletin.round.name if bulletin.round_id else "",
        "street": bulletin.street.name if bulletin.street_id else "",
        "summary": {"points_checked": points_checked(bulletin), **summary.as_dict()},
        "streets_by_rate": _by_rate(street_rows),
        "units_by_rate": _by_rate(unit_rows),
        "units_by_found": _by_found(unit_rows),
        "good": [t.as_dict() for t in good],
        "poor": [t.as_dict() for t in poor],
        "groups": grouped_problems(problems, as_of, street_of, photos),
        "photo_count": sum(len(pair) for pair in photos.values()),
        "mentions": mentions(unit_rows, street_rows, good, poor),
    }


def listed_problems(bulletin: Bulletin) -> list[Problem]:
    """The problems the bulletin lists, oldest first; refused past BULLETIN_MAX_PROBLEMS."""
    problems = list(
        problems_for(bulletin)
        .select_related("category", "unit")
        .order_by("reported_at", "id")
        .only(*LISTED_FIELDS)
    )
    if len(problems) > conf.get("BULLETIN_MAX_PROBLEMS"):
        raise DomainError(
            _(
                "The period has %(n)d problems, more than one bulletin may list (%(max)d). Narrow the period or choose a street."
            )
            % {"n": len(problems), "max": conf.get("BULLETIN_MAX_PROBLEMS")}
        )
    return problems


def not_dispatched_label() -> str:
    return _("Not yet dispatched")


def tally(
    bulletin: Bulletin, as_of: dt.datetime, units: dict[int, Unit], street_of: dict[int, Unit]
) -> tuple[Tally, list[Tally], list[Tally]]:
    """The counts (problems.rates: one GROUP BY) for the whole bulletin, each responsible unit
    and each street; problems not yet dispatched count in the total only."""
    basis = bulletin.campaign.rate_basis
    by_unit: dict[int | None, Tally] = {}
    by_street: dict[int | None, Tally] = {}
    summary = Tally(basis=basis, name=_("Total"))
    not_dispatched = not_dispatched_label()
    for row in grouped(problems_for(bulletin), ["unit_id"], as_of):
        unit_id, counts = row["unit_id"], Counts.of(row)
        street = street_of.get(unit_id) if unit_id else None
        unit_tally = by_unit.setdefault(
            unit_id, Tally(basis=basis, id=unit_id, name=units[unit_id].name if unit_id else not_dispatched)
        )
        street_key = street.pk if street else None
        street_tally = by_street.setdefault(
            street_key, Tally(basis=basis, id=street_key, name=street.name if street else not_dispatched)
        )
        for one in (unit_tally, street_tally, summary):
            one.add(counts)
    unit_rows = [t for t in by_unit.values() if t.id is not None]
    # The street (township) ranking lists streets and townships only: a bureau or a unit with no
    # street above it is its own "street" in by_street, and is ranked among the units instead.
    street_ids = {u.pk for u in street_of.values() if u.kind in STREET_KINDS}
    street_rows = [t for t in by_street.values() if t.id in street_ids]
    return summary, unit_rows, street_rows


def good_and_poor(unit_rows: list[Tally]) -> tuple[list[Tally], list[Tally]]:
    """Units named for doing well (a rate at or above BULLETIN_GOOD_RATE and nothing overdue)
    and for doing poorly (anything overdue, or a rate below BULLETIN_POOR_RATE)."""
    good_rate, poor_rate = conf.get("BULLETIN_GOOD_RATE"), conf.get("BULLETIN_POOR_RATE")
    good = [t for t in unit_rows if t.due and (t.rate or 0) >= good_rate and not t.overdue]
    poor = [t for t in unit_rows if t.overdue or (t.due and (t.rate or 0) < poor_rate)]
    good.sort(key=lambda t: (-(t.rate or 0), -t.closed, t.name))
    poor.sort(key=lambda t: (-t.overdue, t.rate or 0, t.name))
    return good, poor


def grouped_problems(
    problems: list[Problem],
    as_of: dt.datetime,
    street_of: dict[int, Unit],
    photos: dict[int, dict[str, int]],
) -> list[dict[str, Any]]:
    """The listed problems grouped street → point type → point, numbered 1, 2, … in order."""
    points = _points({p.point_ref for p in problems if p.point_ref})
    not_dispatched = not_dispatched_label()
    tree: dict[str, dict[str, dict[str, list[dict[str, Any]]]]] = {}
    for p in problems:
        street = street_of.get(p.unit_id) if p.unit_id else None
        point_name, type_name = points.get(p.point_ref, ("", ""))
        street_name = street.name if street else not_dispatched
        tree.setdefault(street_name, {}).setdefault(type_name or _("Other places"), {}).setdefault(
            point_name or p.address or _("No point"), []
        ).append(_listed(p, as_of, not_dispatched, photos))
    number = 0
    groups = []
    for street_name, types in sorted(tree.items()):
        street_group = {"name": street_name, "count": 0, "types": []}
        for type_name, point_map in sorted(types.items()):
            type_group = {"name": type_name, "points": []}
            for point_name, items in sorted(point_map.items()):
                for item in items:
                    number += 1
                    item["number"] = number
                street_group["count"] += len(items)
                type_group["points"].append({"name": point_name, "problems": items})
            street_group["types"].append(type_group)
        groups.append(street_group)
    return groups


def _listed(p: Problem, as_of: dt.datetime, not_dispatched: str, photos: dict[int, dict[str, int]]) -> dict:
    """One listed problem; closed and overdue as the counts define them (Problem.is_overdue)."""
    return {
        "id": p.pk,
        "description": p.description,
        "category": p.category.name,
        "unit": p.unit.name if p.unit_id else not_dispatched,
        "address": p.address,
        "status": p.get_status_display(),
        "closed": p.status == Status.CLOSED,
        "overdue": p.is_overdue(as_of),
        "deadline": _local(p.deadline),
        "reported": _local(p.reported_at),
        "rework": p.rework_count,
        **{f"{kind}_photo": pk for kind, pk in photos.get(p.pk, {}).items()},
    }


def _by_rate(rows: list[Tally]) -> list[dict[str, Any]]:
    ordered = sorted(rows, key=lambda t: (t.rate is None, -(t.rate or 0), -t.total, t.name))
    return [{"rank": i, **t.as_dict()} for i, t in enumerate(ordered, start=1)]


def _by_found(rows: list[Tally]) -> list[dict[str, Any]]:
    ordered = sorted(rows, key=lambda t: (-t.total, t.name))
    return [{"rank": i, **t.as_dict()} for i, t in enumerate(ordered, start=1)]


def mentions(
    unit_rows: list[Tally], street_rows: list[Tally], good: list[Tally], poor: list[Tally]
) -> list[list[Any]]:
    """[unit id, reason] for every unit the bulletin names; poor wins over good over listed."""
    found: dict[int, str] = {t.id: MentionReason.LISTED for t in unit_rows}
    found.update({t.id: MentionReason.STREET for t in street_rows if t.id not in found})
    found.update({t.id: MentionReason.GOOD for t in good})
    found.update({t.id: MentionReason.POOR for t in poor})
    return [[pk, reason] for pk, reason in sorted(found.items())]


def _rate_text(tally: dict[str, Any]) -> str:
    """The rate's numerator and denominator; snapshots from before it was kept say closed ÷ due."""
    if tally.get("rate_text"):
        return tally["rate_text"]
    return Counts(tally.get("total", 0), tally.get("due", 0), tally.get("closed", 0)).describe


def default_texts(bulletin: Bulletin, content: dict[str, Any]) -> dict[str, str]:
    """The office's texts as first proposed; the office edits them before publishing."""
    s = content["summary"]
    first, last = official_span(*(dt.date.fromisoformat(day) for day in content["period"]))
    period = {"start": first, "end": last}
    lead = _(
        "From %(start)s to %(end)s, the supervision team checked %(points)d points and found "
        "%(total)d problems; %(closed)d have been rectified and verified, %(outstanding)d are "
        "outstanding (%(overdue)d overdue). The rectification rate is %(rate)s (%(rate_text)s). "
        "The results are reported as follows."
    ) % {
        **period,
        "points": s["points_checked"],
        "total": s["total"],
        "closed": s["closed"],
        "outstanding": s["outstanding"],
        "overdue": s["overdue"],
        "rate": f"{s['rate']}%" if s["rate"] is not None else "—",
        "rate_text": _rate_text(s),
    }
    good = "；".join(f"{t['name']}（{_rate_text(t)}）" for t in content["good"])
    poor = "；".join(
        _("%(name)s (%(overdue)d overdue, rate %(rate)s: %(rate_text)s)")
        % {
            "name": t["name"],
            "overdue": t["overdue"],
            "rate": f"{t['rate']}%" if t["rate"] is not None else "—",
            "rate_text": _rate_text(t),
        }
        for t in content["poor"]
    )
    return {
        "lead": lead,
        "good_text": (
            _("These units rectified their problems promptly and thoroughly: %(units)s.") % {"units": good}
        )
        if good
        else _("No unit qualifies in this period."),
        "poor_text": (
            _("These units have not rectified their problems in time and are named: %(units)s.")
            % {"units": poor}
        )
        if poor
        else _("No unit falls in this section in this period."),
        "requirements": _(
            "Every responsible unit shall rectify the problems listed within their time limits and "
            "report the rectification, with before-and-after photos, to the campaign office. "
            "Overdue problems will be escalated with supervision notices and cards."
        ),
    }
