"""Demo duty (值守): rosters at two intersections and a compound with generated shifts, the grid
worker's check-ins and check-outs on the past few mornings (one from too far away, so it is
flagged) and what they logged on duty, through the points app's duty services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from chuangwen.demo.base import DemoContext, login, valid
from chuangwen.points.duty import add_log, check_in, check_out, save_roster
from chuangwen.points.forms import RosterForm
from chuangwen.points.models import CheckIn, DutyLog, DutyRoster, DutyShift

# (name, point, staffing unit, weekdays, windows, people required, people, note).
ROSTERS: tuple[tuple[str, str, str, str, str, int, tuple[str, ...], str], ...] = (
    ("鹭湾大道渔港路口早晚高峰文明劝导", "ML-P33", "ML-S01-01", "12345", "07:30-09:00; 17:00-18:30", 2,
     ("ML-S01-01:grid1", "ML-S01-01:grid2"), "劝导行人不闯红灯、电动车不逆行"),
    ("明澜大道澜桥路口交通秩序值守", "ML-P32", "ML-D08-2", "12345", "07:00-09:00; 17:00-19:00", 2,
     ("ML-D08-2:head", "ML-D08:liaison"), "交警与志愿者共同值守"),
    ("湾畔花园周末环境巡查", "ML-P19", "ML-S01-01", "67", "09:00-11:00", 1,
     ("ML-S01-01:grid1", "ML-S01-01:secretary"), "重点巡查楼道堆物和飞线充电"),
)  # fmt: skip

# (category, count, note) logged at the first roster's point today.
LOGS = (
    ("traffic", 14, "劝导闯红灯行人14人次"),
    ("small_ads", 6, "清理路口电线杆小广告6处"),
    ("smoking", 3, "劝导公交站候车吸烟3人"),
)


def load(ctx: DemoContext) -> None:
    """Create the rosters once; on creation record the check-ins and duty log entries."""
    office = login("office")
    if DutyRoster.objects.filter(name=ROSTERS[0][0], point=ctx.points[ROSTERS[0][1]]).exists():
        return
    today = ctx.today
    first = None
    for name, point, unit, weekdays, windows, required, people, note in ROSTERS:
        data = {
            "point": ctx.points[point].pk,
            "unit": ctx.unit(unit).pk,
            "name": name,
            "start_date": today - dt.timedelta(days=10),
            "end_date": today + dt.timedelta(days=30),
            "required_count": required,
            "people": [ctx.person(key).pk for key in people],
            "note": note,
            "weekday_list": list(weekdays),
            "window_text": windows,
        }
        roster, shifts = save_roster(valid(RosterForm(data, user=office)), office)
        ctx.count(DutyRoster)
        ctx.count(DutyShift, shifts)
        first = first or roster
    _check_ins(ctx, first)


def _check_ins(ctx: DemoContext, roster: Any) -> None:
    duty = login("duty")
    point = roster.point
    past = list(roster.shifts.filter(date__lt=ctx.today, start_time__lt=dt.time(12)).order_by("-date")[:4])
    for n, shift in enumerate(past):
        # The third morning the phone was some 600 m away: checked in, but flagged.
        offset = 0.0055 if n == 2 else 0.0002 * (n + 1)
        at = shift.starts_at() + dt.timedelta(minutes=3 + n)
        _checkin, created = check_in(shift, duty, point.lat + offset, point.lng, now=at)
        ctx.count(CheckIn, int(created))
        check_out(shift, duty, point.lat, point.lng + 0.0001, now=shift.ends_at() - dt.timedelta(minutes=2))
    today_shift = roster.shifts.filter(date=ctx.today).order_by("start_time").first()
    for n, (category, count, note) in enumerate(LOGS):
        add_log(point, duty, category, count, note, lat=point.lat, lng=point.lng,
                client_key=f"demo-duty-{ctx.today:%Y%m%d}-{n}", shift=today_shift)  # fmt: skip
        ctx.count(DutyLog)
