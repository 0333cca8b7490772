"""The figures of a daily (督查日报) or weekly (周调度) report, and their layout.

`daily()` and `weekly()` return JSON-able snapshots (frozen on the Briefing); `blocks()` lays
one out in the bulletin layout (bulletins.blocks.Block) and `document()` renders .docx or PDF
with the bulletin writers. Problems are counted by problems.rates (the one counting); duty
attendance by points.duty_reports.attendance.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangwen.briefings.models import Briefing, BriefingKind
from chuangwen.bulletins.blocks import Block
from chuangwen.bulletins.content import cn_number
from chuangwen.campaigns.models import Campaign
from chuangwen.problems.models import OPEN_STATUSES, Problem
from chuangwen.problems.rates import Counts, counted, grouped

TOP_UNITS = 10


def _bounds(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(first, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return start, end


def _territory(campaign: Campaign, prefix: str = "unit__") -> Q:
    return Q(**{f"{prefix}path__startswith": campaign.root_unit.path})


def _problems(campaign: Campaign, start: dt.datetime, end: dt.datetime) -> dict[str, int]:
    qs = Problem.objects.filter(_territory(campaign))
    return {
        "found": qs.filter(reported_at__gte=start, reported_at__lt=end).count(),
        "closed": qs.filter(closed_at__gte=start, closed_at__lt=end).count(),
        "overdue": qs.filter(status__in=OPEN_STATUSES, deadline__lt=end).count(),
    }


def _inspections(campaign: Campaign, start: dt.datetime, end: dt.datetime) -> dict[str, Any]:
    from chuangwen.inspections.models import RoundPoint

    visits = RoundPoint.objects.filter(
        round__campaign=campaign, finished_at__gte=start, finished_at__lt=end
    ).aggregate(points=Count("id"), failed=Count("id", filter=Q(failed_count__gt=0)))
    return {"points": visits["points"] or 0, "failed": visits["failed"] or 0}


def _duty(campaign: Campaign, first: dt.date, last: dt.date) -> dict[str, Any]:
    from chuangwen.points.duty_reports import attendance
    from chuangwen.points.models import DutyShift

    shifts = DutyShift.objects.filter(date__gte=first, date__lte=last).filter(
        _territory(campaign, "point__unit__")
    )
    result = attendance(shifts)
    assigned = sum(u.assigned for u in result.units)
    attended = sum(u.attended for u in result.units)
    missed = sum(u.missed for u in result.units)
    return {
        "assigned": assigned,
        "attended": attended,
        "missed": missed,
        "understaffed": len(result.understaffed),
        "units": [
            {"unit": u.unit_name, "assigned": u.assigned, "attended": u.attended, "missed": u.missed}
            for u in result.units
            if u.missed
        ][:TOP_UNITS],
    }


def _filings(campaign: Campaign, start: dt.datetime, end: dt.datetime) -> dict[str, Any]:
    from chuangwen.materials.models import Submission

    qs = Submission.objects.filter(_territory(campaign), submitted_at__gte=start, submitted_at__lt=end)
    rows = list(qs.values("unit__name").annotate(n=Count("id")).order_by("-n", "unit__name")[:TOP_UNITS])
    return {"count": qs.count(), "units": [{"unit": r["unit__name"], "count": r["n"]} for r in rows]}


def daily(campaign: Campaign, day: dt.date) -> dict[str, Any]:
    """Yesterday's (or `day`'s) inspections, problems found and closed, overdue problems, duty
    attendance and filings."""
    start, end = _bounds(day, day)
    return {
        "gathered_at": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
        "first": day.isoformat(),
        "last": day.isoformat(),
        "inspections": _inspections(campaign, start, end),
        "problems": _problems(campaign, start, end),
        "duty": _duty(campaign, day, day),
        "filings": _filings(campaign, start, end),
    }


def _unit_rates(campaign: Campaign, as_of: dt.datetime) -> dict[int, Counts]:
    qs = counted(Problem.objects.filter(_territory(campaign), unit__isnull=False, reported_at__lt=as_of))
    return {r["unit_id"]: Counts.of(r, campaign.rate_basis) for r in grouped(qs, ["unit_id"], as_of)}


def _score(campaign: Campaign, start: dt.datetime, end: dt.datetime) -> dict[str, Any] | None:
    from chuangwen.scoring.models import ScoreRun

    runs = ScoreRun.objects.filter(campaign=campaign).order_by("-computed_at", "-id")
    latest = runs.filter(computed_at__lt=end).first()
    if latest is None:
        return None
    before = runs.filter(computed_at__lt=start).first()
    return {
        "total": round(latest.total, 2),
        "max": round(latest.max_total, 2),
        "before": round(before.total, 2) if before else None,
        "change": round(latest.total - before.total, 2) if before else None,
    }


def weekly(campaign: Campaign, day: dt.date) -> dict[str, Any]:
    """The seven days up to `day`: the change of the projected score, the rectification rate by
    unit (problems.rates) at the end of the week and its change over the week, the units whose
    rate moved most, and the week's problem and duty totals."""
    from chuangwen.org.models import Unit

    first = day - dt.timedelta(days=6)
    start, end = _bounds(first, day)
    now_rates = _unit_rates(campaign, end)
    then_rates = _unit_rates(campaign, start)
    names = dict(Unit.objects.filter(pk__in=now_rates).values_list("pk", "name"))
    rows = []
    for unit_id, counts in now_rates.items():
        then = then_rates.get(unit_id)
        rate, before = counts.rectification_rate, then.rectification_rate if then else None
        change = round(rate - before, 1) if rate is not None and before is not None else None
        rows.append(
            {
                "unit_id": unit_id,
                "unit": names.get(unit_id, ""),
                **counts.as_dict(),
                "before": before,
                "change": change,
            }
        )
    rows.sort(key=lambda r: (r["rate"] if r["rate"] is not None else 101, r["unit"]))
    movers = sorted((r for r in rows if r["change"]), key=lambda r: (-abs(r["change"]), r["unit"]))
    return {
        "gathered_at": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
        "first": first.isoformat(),
        "last": day.isoformat(),
        "score": _score(campaign, start, end),
        "problems": _problems(campaign, start, end),
        "duty": _duty(campaign, first, day),
        "units": rows,
        "movers": [{"unit": r["unit"], "rate": r["rate"], "change": r["change"]} for r in movers[:TOP_UNITS]],
    }


def gather(campaign: Campaign, kind: str, day: dt.date) -> dict[str, Any]:
    return daily(campaign, day) if kind == BriefingKind.DAILY else weekly(campaign, day)


def _pct(value: float | None) -> str:
    return f"{value}%" if value is not None else "—"


def summary(briefing: Briefing) -> str:
    """One paragraph for the chat webhook and the list."""
    d = briefing.data
    p = d["problems"]
    if briefing.kind == BriefingKind.DAILY:
        return _(
            "%(day)s: %(points)d points inspected, %(found)d problems found, %(closed)d closed, "
            "%(overdue)d overdue; duty %(attended)d of %(assigned)d attended; %(filings)d filings."
        ) % {
            "day": d["last"],
            "points": d["inspections"]["points"],
            "found": p["found"],
            "closed": p["closed"],
            "overdue": p["overdue"],
            "attended": d["duty"]["attended"],
            "assigned": d["duty"]["assigned"],
            "filings": d["filings"]["count"],
        }
    score = d.get("score")
    text = _("%(first)s to %(last)s: %(found)d problems found, %(closed)d closed, %(overdue)d overdue.") % {
        "first": d["first"],
        "last": d["last"],
        "found": p["found"],
        "closed": p["closed"],
        "overdue": p["overdue"],
    }
    if score and score["change"] is not None:
        text += _(" Projected score %(total)s (%(change)+.2f this week).") % score
    elif score:
        text += _(" Projected score %(total)s.") % score
    return text


def unit_summary(data: dict[str, Any], unit_id: int) -> str | None:
    """A unit's own line of a weekly report (for its liaison), None when it has no figures."""
    for r in data.get("units", []):
        if r["unit_id"] == unit_id:
            text = _(
                "%(first)s to %(last)s: %(total)d problems, %(closed)d rectified, %(overdue)d overdue, "
                "rectification rate %(rate)s"
            ) % {**r, "first": data["first"], "last": data["last"], "rate": _pct(r["rate"])}
            if r["change"] is not None:
                text += _(" (%(change)+.1f points this week)") % r
            return text + _(".")
    return None


def blocks(briefing: Briefing) -> list[Block]:
    d = briefing.data
    out = [
        Block("title", f"{briefing.get_kind_display()}"),
        Block(
            "para",
            _("%(campaign)s, %(first)s to %(last)s. Figures as of %(at)s.")
            % {
                "campaign": briefing.campaign.name,
                "first": d["first"],
                "last": d["last"],
                "at": d["gathered_at"],
            },
        ),
    ]
    n = 0

    def heading(text: str) -> None:
        nonlocal n
        n += 1
        out.append(Block("heading", f"{cn_number(n)}、{text}"))

    p = d["problems"]
    if briefing.kind == BriefingKind.DAILY:
        heading(_("Inspections"))
        out.append(
            Block(
                "para",
                _("%(points)d points inspected, %(failed)d of them with failed items.") % d["inspections"],
            )
        )
    else:
        heading(_("Score projection"))
        score = d.get("score")
        if score is None:
            out.append(Block("para", _("No score has been computed yet.")))
        elif score["change"] is None:
            out.append(Block("para", _("Latest score %(total)s of %(max)s.") % score))
        else:
            out.append(
                Block("para", _("Latest score %(total)s of %(max)s, %(change)+.2f this week.") % score)
            )
    heading(_("Problems"))
    out.append(
        Block(
            "table",
            headers=[_("found"), _("closed"), _("overdue (open past the deadline)")],
            rows=[[str(p["found"]), str(p["closed"]), str(p["overdue"])]],
        )
    )
    if briefing.kind == BriefingKind.WEEKLY:
        heading(_("Rectification rate by unit"))
        if d["units"]:
            out.append(
                Block(
                    "table",
                    headers=[_("unit"), _("Problems"), _("Rectified"), _("Overdue"), _("Rate"), _("change")],
                    rows=[
                        [
                            r["unit"],
                            str(r["total"]),
                            str(r["closed"]),
                            str(r["overdue"]),
                            _pct(r["rate"]),
                            f"{r['change']:+.1f}" if r["change"] is not None else "—",
                        ]
                        for r in d["units"]
                    ],
                )
            )
        else:
            out.append(Block("para", _("No problems counted yet.")))
        heading(_("Units that moved most"))
        if d["movers"]:
            out.append(
                Block(
                    "table",
                    headers=[_("unit"), _("Rate"), _("change")],
                    rows=[[m["unit"], _pct(m["rate"]), f"{m['change']:+.1f}"] for m in d["movers"]],
                )
            )
        else:
            out.append(Block("para", _("No unit's rate changed this week.")))
    duty = d["duty"]
    heading(_("Duty attendance"))
    out.append(
        Block(
            "para",
            _(
                "%(attended)d of %(assigned)d rostered slots attended, %(missed)d missed, %(understaffed)d shifts understaffed."
            )
            % duty,
        )
    )
    if duty["units"]:
        out.append(
            Block(
                "table",
                headers=[_("unit"), _("rostered"), _("attended"), _("missed")],
                rows=[
                    [u["unit"], str(u["assigned"]), str(u["attended"]), str(u["missed"])]
                    for u in duty["units"]
                ],
            )
        )
    if briefing.kind == BriefingKind.DAILY:
        heading(_("Filings"))
        out.append(Block("para", _("%(count)d materials filed.") % d["filings"]))
        if d["filings"]["units"]:
            out.append(
                Block(
                    "table",
                    headers=[_("unit"), _("filings")],
                    rows=[[u["unit"], str(u["count"])] for u in d["filings"]["units"]],
                )
            )
    return out


def document(briefing: Briefing, fmt: str) -> bytes:
    """The report as .docx or PDF (the bulletin writers, no photos)."""
    if fmt == "pdf":
        from chuangwen.bulletins.pdf_writer import render
    else:
        from chuangwen.bulletins.docx_writer import render
    return render(blocks(briefing), {})
