"""The meeting's brief (会议材料), prepared from the platform's figures.

`gather()` returns a JSON-able snapshot: the previous meeting's decisions and their state,
overdue tasks, the units with the worst rectification, open problems by age and the change
of the projected score since the previous meeting. Until the meeting is marked held the brief
is gathered live; then the snapshot is frozen on the meeting (`Meeting.brief`).
`document()` lays it out in the bulletin layout (bulletins.blocks.Block) as .docx or PDF.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangwen.bulletins.blocks import Block
from chuangwen.bulletins.content import cn_number
from chuangwen.meetings.models import Decision, DecisionState, Meeting, MeetingKind
from chuangwen.problems.models import OPEN_STATUSES, Problem
from chuangwen.problems.rates import Counts, counted, grouped

WORST_UNITS = 10
OVERDUE_TASKS = 30
# Open problems by age in days: (label, lower bound inclusive, upper bound exclusive or None).
AGE_BUCKETS = ((0, 7), (7, 30), (30, 90), (90, None))


def _decision_rows(decisions: Any, today: dt.date) -> list[dict[str, Any]]:
    return [
        {
            "number": d.number,
            "text": d.text,
            "unit": str(d.unit),
            "deadline": d.deadline.isoformat(),
            "kind": d.kind,
            "state": d.state(today),
        }
        for d in decisions.select_related("unit", "task", "problem").order_by("number")
    ]


def _overdue_tasks(meeting: Meeting, today: dt.date) -> dict[str, Any]:
    from chuangwen.tasks.models import Task, TaskAssignment, TaskState

    overdue = (
        Task.objects.filter(campaign_id=meeting.campaign_id).with_state(today).filter(state=TaskState.OVERDUE)
    )
    count = overdue.count()
    rows = list(overdue.order_by("deadline", "id").values("id", "title", "deadline")[:OVERDUE_TASKS])
    units: dict[int, list[str]] = {}
    for a in TaskAssignment.objects.filter(task_id__in=[r["id"] for r in rows]).select_related("unit"):
        units.setdefault(a.task_id, []).append(a.unit.short_name or a.unit.name)
    return {
        "count": count,
        "rows": [
            {
                "title": r["title"],
                "units": "、".join(units.get(r["id"], [])),
                "deadline": r["deadline"].isoformat() if r["deadline"] else "",
            }
            for r in rows
        ],
    }


def _territory(meeting: Meeting) -> Q:
    return Q(unit__path__startswith=meeting.campaign.root_unit.path)


def _worst_units(meeting: Meeting, now: dt.datetime) -> list[dict[str, Any]]:
    from chuangwen.org.models import Unit

    basis = meeting.campaign.rate_basis
    qs = counted(Problem.objects.filter(_territory(meeting)).filter(unit__isnull=False))
    rows = []
    for r in grouped(qs, ["unit_id"], now):
        counts = Counts.of(r, basis)
        if counts.denominator == 0 and counts.overdue == 0:
            continue
        rows.append((r["unit_id"], counts))
    # The lowest rate first; among equal rates, the most overdue.
    rows.sort(
        key=lambda x: (x[1].rectification_rate if x[1].rectification_rate is not None else 101, -x[1].overdue)
    )
    rows = rows[:WORST_UNITS]
    names = dict(Unit.objects.filter(pk__in=[u for u, _c in rows]).values_list("pk", "name"))
    return [{"unit": names.get(u, ""), **c.as_dict()} for u, c in rows]


def _ages(meeting: Meeting, now: dt.datetime) -> list[dict[str, Any]]:
    aggregates = {}
    for i, (low, high) in enumerate(AGE_BUCKETS):
        cond = Q(reported_at__lte=now - dt.timedelta(days=low))
        if high is not None:
            cond &= Q(reported_at__gt=now - dt.timedelta(days=high))
        aggregates[f"b{i}"] = Count("id", filter=cond)
    counts = Problem.objects.filter(_territory(meeting), status__in=OPEN_STATUSES).aggregate(**aggregates)
    return [
        {"low": low, "high": high, "count": counts[f"b{i}"] or 0} for i, (low, high) in enumerate(AGE_BUCKETS)
    ]


def _score_change(meeting: Meeting, since: dt.date | None) -> dict[str, Any] | None:
    from chuangwen.scoring.models import ScoreRun, UnitLoss

    runs = ScoreRun.objects.filter(campaign_id=meeting.campaign_id).order_by("-computed_at", "-id")
    latest = runs.first()
    if latest is None:
        return None
    before = None
    if since is not None:
        tz = timezone.get_current_timezone()
        before = runs.filter(computed_at__lt=dt.datetime.combine(since, dt.time.min, tzinfo=tz)).first()
    result: dict[str, Any] = {
        "total": round(latest.total, 2),
        "max": round(latest.max_total, 2),
        "computed_at": timezone.localtime(latest.computed_at).strftime("%Y-%m-%d %H:%M"),
        "before": round(before.total, 2) if before else None,
        "change": round(latest.total - before.total, 2) if before else None,
        "units": [],
    }
    if before is not None:
        now = dict(UnitLoss.objects.filter(run=latest).values_list("unit__name", "lost"))
        then = dict(UnitLoss.objects.filter(run=before).values_list("unit__name", "lost"))
        moves = [(name, round(now.get(name, 0.0) - then.get(name, 0.0), 2)) for name in set(now) | set(then)]
        moves = [m for m in moves if m[1]]
        moves.sort(key=lambda m: (-abs(m[1]), m[0]))
        result["units"] = [{"unit": n, "lost_change": c} for n, c in moves[:10]]
    return result


def gather(meeting: Meeting, today: dt.date | None = None) -> dict[str, Any]:
    """The brief's figures as they stand now (a JSON-able dict)."""
    today = today or timezone.localdate()
    now = timezone.now()
    previous = meeting.previous()
    return {
        "gathered_at": timezone.localtime(now).strftime("%Y-%m-%d %H:%M"),
        "previous": (
            {
                "id": previous.pk,
                "title": previous.title,
                "held_on": previous.held_on.isoformat(),
                "decisions": _decision_rows(previous.decisions.all(), today),
            }
            if previous
            else None
        ),
        "overdue_tasks": _overdue_tasks(meeting, today),
        "worst_units": _worst_units(meeting, now),
        "problem_ages": _ages(meeting, now),
        "score": _score_change(meeting, previous.held_on if previous else None),
    }


def brief_of(meeting: Meeting, today: dt.date | None = None) -> dict[str, Any]:
    """The frozen brief of a held meeting, else the live one."""
    return meeting.brief if meeting.brief else gather(meeting, today=today)


def age_label(low: int, high: int | None) -> str:
    if high is None:
        return _("over %(n)d days") % {"n": low}
    return _("%(low)d–%(high)d days") % {"low": low, "high": high}


def state_label(state: str) -> str:
    return str(DecisionState(state).label) if state in DecisionState.values else state


def blocks(meeting: Meeting, data: dict[str, Any], today: dt.date | None = None) -> list[Block]:
    """The brief in the bulletin layout: title, 一 last meeting's decisions, 二 overdue tasks,
    三 worst units, 四 open problems by age, 五 the score, then attendance and this meeting's
    decisions and minutes when recorded."""
    today = today or timezone.localdate()
    out = [
        Block("title", _("Brief for %(title)s") % {"title": meeting.title}),
        Block(
            "para",
            _("%(kind)s, %(date)s, chaired by %(chair)s%(place)s. Figures as of %(at)s.")
            % {
                "kind": MeetingKind(meeting.kind).label,
                "date": meeting.held_on.isoformat(),
                "chair": meeting.chair,
                "place": f"，{meeting.place}" if meeting.place else "",
                "at": data.get("gathered_at", ""),
            },
        ),
    ]
    n = 0

    def heading(text: str) -> None:
        nonlocal n
        n += 1
        out.append(Block("heading", f"{cn_number(n)}、{text}"))

    prev = data.get("previous")
    heading(_("Decisions of the previous meeting"))
    if prev and prev["decisions"]:
        out.append(Block("para", f"{prev['title']}（{prev['held_on']}）"))
        out.append(
            Block(
                "table",
                headers=[_("No."), _("agreed item"), _("responsible unit"), _("deadline"), _("state")],
                rows=[
                    [str(d["number"]), d["text"], d["unit"], d["deadline"], state_label(d["state"])]
                    for d in prev["decisions"]
                ],
            )
        )
    else:
        out.append(Block("para", _("No decisions to check.")))
    tasks = data["overdue_tasks"]
    heading(_("Overdue tasks"))
    out.append(Block("para", _("%(n)d tasks are overdue.") % {"n": tasks["count"]}))
    if tasks["rows"]:
        out.append(
            Block(
                "table",
                headers=[_("task"), _("units"), _("deadline")],
                rows=[[r["title"], r["units"], r["deadline"]] for r in tasks["rows"]],
            )
        )
    heading(_("Units with the worst rectification"))
    if data["worst_units"]:
        out.append(
            Block(
                "table",
                headers=[_("unit"), _("Problems"), _("Due"), _("Rectified"), _("Overdue"), _("Rate")],
                rows=[
                    [
                        r["unit"],
                        str(r["total"]),
                        str(r["due"]),
                        str(r["closed"]),
                        str(r["overdue"]),
                        f"{r['rate']}%" if r["rate"] is not None else "—",
                    ]
                    for r in data["worst_units"]
                ],
            )
        )
    else:
        out.append(Block("para", _("No problems counted yet.")))
    heading(_("Open problems by age"))
    out.append(
        Block(
            "table",
            headers=[_("open for"), _("open problems")],
            rows=[[age_label(a["low"], a["high"]), str(a["count"])] for a in data["problem_ages"]],
        )
    )
    heading(_("Score projection since the previous meeting"))
    score = data.get("score")
    if score is None:
        out.append(Block("para", _("No score has been computed yet.")))
    else:
        if score["change"] is None:
            text = _("Latest score %(total)s of %(max)s (computed %(at)s).") % {
                "total": score["total"],
                "max": score["max"],
                "at": score["computed_at"],
            }
        else:
            text = _(
                "Latest score %(total)s of %(max)s (computed %(at)s), %(change)+.2f since the previous meeting."
            ) % {
                "total": score["total"],
                "max": score["max"],
                "at": score["computed_at"],
                "change": score["change"],
            }
        out.append(Block("para", text))
        if score["units"]:
            out.append(
                Block(
                    "table",
                    headers=[_("unit"), _("change in points lost")],
                    rows=[[u["unit"], f"{u['lost_change']:+.2f}"] for u in score["units"]],
                )
            )
    attendance = list(meeting.attendance.select_related("unit"))
    if attendance:
        heading(_("Who attended"))
        out.append(
            Block(
                "table",
                headers=[_("unit"), _("attended"), _("who came")],
                rows=[
                    [
                        a.unit.name,
                        {True: _("present"), False: _("did not attend"), None: _("not recorded")}[a.attended],
                        a.attendee,
                    ]
                    for a in attendance
                ],
            )
        )
    own = _decision_rows(Decision.objects.filter(meeting=meeting), today)
    if own:
        heading(_("Decisions of this meeting"))
        out.append(
            Block(
                "table",
                headers=[_("No."), _("agreed item"), _("responsible unit"), _("deadline"), _("state")],
                rows=[
                    [str(d["number"]), d["text"], d["unit"], d["deadline"], state_label(d["state"])]
                    for d in own
                ],
            )
        )
    if meeting.minutes:
        heading(_("Minutes"))
        out.extend(Block("para", line.strip()) for line in meeting.minutes.splitlines() if line.strip())
    return out


def document(meeting: Meeting, fmt: str, today: dt.date | None = None) -> bytes:
    """The brief as .docx or PDF (the bulletin writers, no photos)."""
    laid_out = blocks(meeting, brief_of(meeting, today=today), today=today)
    if fmt == "pdf":
        from chuangwen.bulletins.pdf_writer import render
    else:
        from chuangwen.bulletins.docx_writer import render
    return render(laid_out, {})
