"""The periods a requirement is filed for: months, quarters, years, named dates, or once.

A period has a stable key stored on each submission ("2024-03", "2024-Q1", "2024",
"2024-03-15" for a named date's occurrence, "once"), a label and a span of dates.
Named dates are fixed days ("03-15"), spans ("09-01" for 30 days: 质量月), explicit dates, or
lunar festivals computed for any year (their Gregorian date moves every year): the lunar ones
with `lunardate`, 清明 (a solar term) from the `holidays` package's China calendar.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from chuangwen.tasks.periods import add_months, month_end, quarter_start

# An activity for a named date counts when held this many days either side of it.
NAMED_DATE_SLACK_DAYS = 7

# Lunar festivals by (lunar month, day), and the solar term 清明 ("qingming"): computed for any
# year by `festival_date` (lunardate covers 1900-2099; outside it the office gives the date).
FESTIVALS: dict[str, tuple[str, tuple[int, int] | str]] = {
    "chunjie": ("春节", (1, 1)),
    "yuanxiao": ("元宵节", (1, 15)),
    "qingming": ("清明节", "qingming"),
    "duanwu": ("端午节", (5, 5)),
    "qixi": ("七夕节", (7, 7)),
    "zhongqiu": ("中秋节", (8, 15)),
    "chongyang": ("重阳节", (9, 9)),
}


def festival_date(key: str, year: int) -> dt.date | None:
    """The Gregorian date of a festival of FESTIVALS in a year, or None outside the libraries'
    range."""
    rule = FESTIVALS[key][1]
    if rule == "qingming":
        import holidays

        found = [
            day for day, name in holidays.China(years=year, language="zh_CN").items() if name == "清明节"
        ]
        return min(found) if found else None
    from lunardate import LunarDate

    month, day = rule
    try:
        return LunarDate(year, month, day).to_solar_date()
    except ValueError:
        return None


# Days and spans written by name in plans, with their fixed dates (month-day, length in days).
KNOWN_DAYS: dict[str, tuple[str, int]] = {
    "学雷锋纪念日": ("03-05", 1),
    "植树节": ("03-12", 1),
    "国际消费者权益日": ("03-15", 1),
    "全民国家安全教育日": ("04-15", 1),
    "爱国卫生月": ("04-01", 30),
    "世界读书日": ("04-23", 1),
    "劳动节": ("05-01", 1),
    "青年节": ("05-04", 1),
    "儿童节": ("06-01", 1),
    "世界环境日": ("06-05", 1),
    "安全生产月": ("06-01", 30),
    "建党节": ("07-01", 1),
    "建军节": ("08-01", 1),
    "教师节": ("09-10", 1),
    "质量月": ("09-01", 30),
    "国庆节": ("10-01", 1),
    "国家宪法日": ("12-04", 1),
    "国际志愿者日": ("12-05", 1),
}


@dataclass(frozen=True)
class Period:
    key: str
    label: str
    start: dt.date
    end: dt.date

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def has_started(self, today: dt.date) -> bool:
        return self.start <= today


def _md(year: int, md: str) -> dt.date | None:
    try:
        month, day = (int(x) for x in md.split("-"))
        return dt.date(year, month, day)
    except ValueError:
        return None


def occurrences(entry: dict[str, Any], years: range) -> list[tuple[dt.date, dt.date]]:
    """(first, last) day of each occurrence of a named date in the given years."""
    days = max(1, int(entry.get("days") or 1))
    found: list[dt.date] = []
    if entry.get("date"):
        with contextlib.suppress(ValueError):
            found.append(dt.date.fromisoformat(str(entry["date"])))
    elif entry.get("festival") in FESTIVALS:
        found.extend(d for year in years if (d := festival_date(entry["festival"], year)))
    elif entry.get("md"):
        found.extend(d for year in years if (d := _md(year, str(entry["md"]))))
    return [(d, d + dt.timedelta(days=days - 1)) for d in found]


def periods_for(requirement: Any) -> list[Period]:
    """Every period of the requirement inside its evidence window, in date order."""
    start, end = requirement.window()
    cadence = requirement.cadence
    periods: list[Period] = []
    if cadence == "monthly":
        month = start.replace(day=1)
        while month <= end:
            periods.append(
                Period(
                    f"{month:%Y-%m}",
                    _("%(year)d-%(month)02d") % {"year": month.year, "month": month.month},
                    month,
                    month_end(month),
                )
            )
            month = add_months(month, 1)
    elif cadence == "quarterly":
        quarter = quarter_start(start)
        while quarter <= end:
            number = (quarter.month - 1) // 3 + 1
            periods.append(
                Period(
                    f"{quarter.year}-Q{number}",
                    _("%(year)d Q%(quarter)d") % {"year": quarter.year, "quarter": number},
                    quarter,
                    month_end(add_months(quarter, 2)),
                )
            )
            quarter = add_months(quarter, 3)
    elif cadence == "yearly":
        for year in range(start.year, end.year + 1):
            periods.append(Period(str(year), str(year), dt.date(year, 1, 1), dt.date(year, 12, 31)))
    elif cadence == "named_dates":
        slack = dt.timedelta(days=NAMED_DATE_SLACK_DAYS)
        seen: set[str] = set()
        for entry in requirement.named_dates or []:
            for first, last in occurrences(entry, range(start.year, end.year + 1)):
                key = first.isoformat()
                if not (start <= first <= end) or key in seen:
                    continue
                seen.add(key)
                label = f"{entry.get('label') or key} ({first:%Y-%m-%d})"
                periods.append(Period(key, label, first - slack, last + slack))
        periods.sort(key=lambda p: p.start)
    else:
        periods.append(
            Period("once", _("Once (%(start)s – %(end)s)") % {"start": start, "end": end}, start, end)
        )
    return periods


def period_by_key(requirement: Any, key: str) -> Period | None:
    return next((p for p in periods_for(requirement) if p.key == key), None)


def period_for_date(requirement: Any, day: dt.date) -> Period | None:
    """The period an activity on `day` counts for (the nearest named date when several fit)."""
    matches = [p for p in periods_for(requirement) if p.contains(day)]
    if not matches:
        return None
    return min(matches, key=lambda p: abs((p.start + (p.end - p.start) / 2 - day).days))


def due_periods(requirement: Any, today: dt.date | None = None) -> list[Period]:
    """The periods that have begun: what a unit should have filed for by now (or be filing)."""
    today = today or timezone.localdate()
    return [p for p in periods_for(requirement) if p.has_started(today)]


_LINE = re.compile(r"^(?P<label>[^=＝]+?)\s*(?:[=＝]\s*(?P<when>[\d\-]+)(?:\s*\+\s*(?P<days>\d+))?)?$")


def parse_named_dates(text: str) -> tuple[list[dict[str, Any]], list[str]]:
    """Named dates from the form's lines: "端午节", "3·15 = 03-15", "质量月 = 09-01 +30",
    "专项活动 = 2024-06-18". Returns (entries, errors)."""
    entries: list[dict[str, Any]] = []
    errors: list[str] = []
    for raw in (text or "").splitlines():
        line = raw.strip()
        if not line:
            continue
        match = _LINE.match(line)
        if not match:
            errors.append(_("Cannot read “%(line)s”.") % {"line": line})
            continue
        label, when, days = match["label"].strip(), match["when"], match["days"]
        entry: dict[str, Any] = {"label": label}
        if when and re.fullmatch(r"\d{4}-\d{2}-\d{2}", when):
            try:
                dt.date.fromisoformat(when)
            except ValueError:
                errors.append(_("“%(line)s” is not a real date.") % {"line": line})
                continue
            entry["date"] = when
        elif when and re.fullmatch(r"\d{1,2}-\d{1,2}", when):
            month, day = (int(x) for x in when.split("-"))
            if _md(2024, f"{month}-{day}") is None:  # 2024 is a leap year: 02-29 is allowed
                errors.append(_("“%(line)s” is not a real date.") % {"line": line})
                continue
            entry["md"] = f"{month:02d}-{day:02d}"
        elif when:
            errors.append(_("Cannot read “%(line)s”.") % {"line": line})
            continue
        else:
            named = named_date_from_name(label)
            if named is None:
                errors.append(
                    _("“%(label)s” is not a known festival or day: give its date, e.g. “%(label)s = 06-18”.")
                    % {"label": label}
                )
                continue
            entry = named
        if days:
            entry["days"] = int(days)
        entries.append(entry)
    return entries, errors


def named_date_from_name(name: str) -> dict[str, Any] | None:
    """A named-date entry for a festival or day written by name ("端午节", "质量月", "3·15")."""
    cleaned = name.strip("“”\"' ")
    for key, (label, _table) in FESTIVALS.items():
        if label in cleaned or label.rstrip("节") == cleaned:
            return {"label": label, "festival": key}
    for label, (md, days) in KNOWN_DAYS.items():
        if label in cleaned or cleaned in label and len(cleaned) >= 2:
            entry: dict[str, Any] = {"label": label, "md": md}
            if days > 1:
                entry["days"] = days
            return entry
    match = re.fullmatch(r"(\d{1,2})\s*[.·・月]\s*(\d{1,2})日?", cleaned)
    if match and _md(2024, f"{match[1]}-{match[2]}"):
        return {"label": f"{int(match[1])}·{int(match[2])}", "md": f"{int(match[1]):02d}-{int(match[2]):02d}"}
    return None


def format_named_dates(entries: list[dict[str, Any]]) -> str:
    """The entries as the form's lines (the inverse of parse_named_dates)."""
    lines = []
    for entry in entries or []:
        label = entry.get("label", "")
        if entry.get("festival"):
            line = label
        elif entry.get("date"):
            line = f"{label} = {entry['date']}"
        elif entry.get("md"):
            line = f"{label} = {entry['md']}"
        else:
            line = label
        if int(entry.get("days") or 1) > 1 and not entry.get("festival"):
            line += f" +{entry['days']}"
        lines.append(line)
    return "\n".join(lines)


_KEY_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_KEY_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_KEY_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def period_label(key: str) -> str:
    """A period's name for people from its stored key alone ("2026-Q4" → 2026年第4季度, "once" →
    一次性), for pages, exports and notifications that show a submission without its periods."""
    key = str(key or "")
    if match := _KEY_QUARTER.match(key):
        return _("%(year)d Q%(quarter)d") % {"year": int(match[1]), "quarter": int(match[2])}
    if match := _KEY_MONTH.match(key):
        return _("%(year)d-%(month)02d") % {"year": int(match[1]), "month": int(match[2])}
    if match := _KEY_DAY.match(key):
        return _("%(year)d-%(month)d-%(day)d") % {
            "year": int(match[1]),
            "month": int(match[2]),
            "day": int(match[3]),
        }
    if key == "once":
        return _("One-off")
    if key.isdigit() and len(key) == 4:
        return _("%(year)d (whole year)") % {"year": int(key)}
    return key
