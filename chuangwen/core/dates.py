"""One reader for the dates and deadlines Chinese offices write, shared by every import.

Two questions, two functions:

- `parse_moment(value)`: a point in time in a cell (来电时间, 办结时间, 回访时间): a date cell,
  2026-01-05 14:30, 2026/1/5, 2026.1.5, 2026年1月5日 14时30分, full-width digits and colons.
  A date without a time is read as `DEFAULT_TIME` (noon: the middle of the day that was
  written, whichever side of it the real moment was), or as `DEADLINE_TIME` (the end of the
  working day) when the cell is a deadline. Blank is None; anything else that cannot
  be read, or an impossible date (2026-13-45, 2 月 30 日), is a DateTextError.
- `parse_deadline(value, today)`: what a 完成时限 cell means: a date, a cadence (每月, 每季度,
  每季度末前, 每年), ongoing (长期坚持), named days (3·15, 质量月, 国庆前), a quarter (第三季度)
  or a month part (6月底前, 9月中旬). A month written without a year is the *next* such month
  from `today` (an import in December reading "1月底" means next January), and `Deadline.chosen`
  says which date was chosen so a preview can show it. Text it cannot read (按上级通知, 视情况,
  a festival it does not know) is not an error: the Deadline keeps the text, has no date and
  says `unreadable`, for the office to set.

Pure functions: no app is imported (core imports no app), only gettext for messages.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from chuangwen.core.text import to_halfwidth

DEFAULT_TIME = dt.time(12, 0)
# A deadline written as a day ends with that working day (every import reads it the same way).
DEADLINE_TIME = dt.time(18, 0)


class DateTextError(ValueError):
    """A cell that says something which is not a date; the message quotes it."""


def _normalize(text: str) -> str:
    """Half-width digits and colons, one kind of middle dot, no surrounding space."""
    text = to_halfwidth(text).replace("．", ".").replace("•", "·").replace("・", "·").replace("∶", ":")
    return text.strip()


def _excel_serial(value: float) -> dt.date | None:
    # A date typed into a cell formatted as a number: days since 1899-12-30.
    if 30000 < value < 80000:
        return dt.date(1899, 12, 30) + dt.timedelta(days=int(value))
    return None


_MOMENT = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?"
    r"(?:[\sT]*(\d{1,2})\s*[:时点]\s*(\d{1,2})?\s*(?:[:分]\s*(\d{1,2})?\s*秒?)?)?$"
)


def parse_moment(value: object, default_time: dt.time = DEFAULT_TIME) -> dt.datetime | None:
    """An aware datetime from a cell; None for a blank one; DateTextError otherwise."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value)
    if isinstance(value, dt.date):
        return timezone.make_aware(dt.datetime.combine(value, default_time))
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        day = _excel_serial(float(value))
        if day is None:
            raise DateTextError(_("“%(value)s” is not a date.") % {"value": value})
        return timezone.make_aware(dt.datetime.combine(day, default_time))
    text = _normalize(str(value))
    if not text:
        return None
    match = _MOMENT.match(text)
    if not match:
        raise DateTextError(_("“%(value)s” is not a date and time.") % {"value": str(value)[:40]})
    year, month, day, hour, minute, second = (int(g) if g else None for g in match.groups())
    try:
        if hour is None:
            moment = dt.datetime.combine(dt.date(year, month, day), default_time)
        else:
            moment = dt.datetime(year, month, day, hour, minute or 0, second or 0)
    except ValueError as exc:
        raise DateTextError(_("“%(value)s” is not a possible date.") % {"value": str(value)[:40]}) from exc
    return timezone.make_aware(moment)


# ---------------------------------------------------------------- deadlines


class Kind:
    """What a deadline cell describes (the tasks app maps these to its Cadence)."""

    ONCE = "once"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    YEARLY = "yearly"
    ONGOING = "ongoing"
    NAMED_DATES = "named_dates"


# Days that recur every year, as written in plans. Lunar festivals move with the calendar, so
# they are kept as events without a fixed date.
NAMED_DATES: dict[str, tuple[int, int]] = {
    "3·15": (3, 15),
    "3.15": (3, 15),
    "消费者权益日": (3, 15),
    "学雷锋纪念日": (3, 5),
    "学雷锋日": (3, 5),
    "植树节": (3, 12),
    "世界环境日": (6, 5),
    "国际志愿者日": (12, 5),
    "国家宪法日": (12, 4),
    "国庆节": (10, 1),
    "国庆": (10, 1),
    "劳动节": (5, 1),
    "五一": (5, 1),
    "七一": (7, 1),
    "建党节": (7, 1),
    "八一": (8, 1),
    "元旦": (1, 1),
    "质量月": (9, 30),  # 全国"质量月" is September: due by its end
    "全国质量月": (9, 30),
}
LUNAR_EVENTS = (
    "春节",
    "元宵",
    "清明",
    "端午",
    "七夕",
    "中秋",
    "重阳",
    "食品安全宣传周",
    "科技活动周",
    "宣传周",
)
ONGOING_WORDS = ("长期坚持", "长期", "常态化", "持续推进", "持续开展", "持续", "全年", "常年")
_MONTHLY = ("每月", "按月", "月度")
_QUARTERLY = ("每季度", "按季度", "每季", "季度")
_YEARLY = ("每年", "按年", "年度")
_QUARTER_NAMES = {"一": 1, "1": 1, "二": 2, "2": 2, "三": 3, "3": 3, "四": 4, "4": 4}

_FULL_DATE = re.compile(r"(20\d{2})\s*[年./\-]\s*(\d{1,2})\s*[月./\-]\s*(\d{1,2})\s*[日号]?")
_YEAR_MONTH = re.compile(r"(20\d{2})\s*[年./\-]\s*(\d{1,2})\s*月?(?:份)?\s*(底|末|前|中旬|上旬|下旬)?")
_QUARTER = re.compile(r"第\s*([一二三四1-4])\s*季度\s*(末|底)?")
_MONTH_DAY = re.compile(r"(?<![\d.])(\d{1,2})\s*(?:月\s*(\d{1,2})\s*[日号]|\.(\d{1,2})(?![\d.]))")
_MONTH_ONLY = re.compile(r"(?<!\d)(\d{1,2})\s*月\s*(份)?\s*(底|末|前|中旬|上旬|下旬|以前|之前)?")
_HALF = {"上半年": (6, 30), "下半年": (12, 31), "年底": (12, 31), "年末": (12, 31), "年内": (12, 31)}


@dataclass
class Deadline:
    """What a 完成时限 cell means. `chosen` explains a date the reader had to pick (a month
    without a year); `unreadable` marks text kept for the office to turn into a date."""

    kind: str = Kind.ONCE
    date: dt.date | None = None
    dates: list[dt.date] = field(default_factory=list)
    events: list[str] = field(default_factory=list)
    text: str = ""
    chosen: str = ""
    unreadable: bool = False

    @property
    def is_ongoing(self) -> bool:
        return self.kind == Kind.ONGOING


def month_end(day: dt.date) -> dt.date:
    following = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


def _day_of(year: int, month: int, word: str | None) -> dt.date:
    first = dt.date(year, month, 1)
    if word == "上旬":
        return first.replace(day=10)
    if word == "中旬":
        return first.replace(day=20)
    return month_end(first)  # 底, 末, 前, 下旬, or a bare month: by the month's end


def _next_year_for(month: int, day: int | None, today: dt.date) -> int:
    """The year of the next such month (or day) on or after `today`'s month."""
    if month < today.month or (month == today.month and day is not None and day < today.day):
        return today.year + 1
    return today.year


class _Reader:
    def __init__(self, today: dt.date) -> None:
        self.today = today
        self.chosen: list[str] = []

    def year_for(self, month: int, day: int | None = None) -> int:
        year = _next_year_for(month, day, self.today)
        if year != self.today.year:
            self.chosen.append(f"{month}月 → {year}年")
        return year


def _possible(year: int, month: int, day: int | None = None) -> bool:
    try:
        dt.date(year, month, day or 1)
    except ValueError:
        return False
    return True


def parse_deadline(value: object, today: dt.date) -> Deadline:
    """Read a 完成时限 cell relative to `today` (the import date); never raises for text."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return Deadline(Kind.ONCE, value, text=value.isoformat())
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        day = _excel_serial(float(value))
        if day is None:
            return Deadline(text=str(value), unreadable=True)
        return Deadline(Kind.ONCE, day, text=day.isoformat())
    raw = " ".join(str(value or "").split())
    text = _normalize(raw)
    if not text:
        return Deadline(Kind.ONGOING, text="")
    reader = _Reader(today)
    found = Deadline(text=raw)
    dates: list[dt.date] = []
    bad = False
    for y, m, d in _FULL_DATE.findall(text):
        if _possible(int(y), int(m), int(d)):
            dates.append(dt.date(int(y), int(m), int(d)))
        else:
            bad = True
    rest = _FULL_DATE.sub(" ", text)
    for y, m, word in _YEAR_MONTH.findall(rest):
        if _possible(int(y), int(m)):
            dates.append(_day_of(int(y), int(m), word or None))
        else:
            bad = True
    rest = _YEAR_MONTH.sub(" ", rest)
    named: list[dt.date] = []
    for name in sorted(NAMED_DATES, key=len, reverse=True):
        if name in rest:
            month, day = NAMED_DATES[name]
            named.append(dt.date(reader.year_for(month, day), month, day))
            found.events.append(name)
            rest = rest.replace(name, " ")
    for event in LUNAR_EVENTS:
        if event in rest and not any(event in e for e in found.events):
            found.events.append(event)
    for q, _end in _QUARTER.findall(rest):
        quarter_end = _QUARTER_NAMES[q] * 3
        dates.append(month_end(dt.date(reader.year_for(quarter_end), quarter_end, 1)))
    rest = _QUARTER.sub(" ", rest)
    for m, d_cn, d_dot in _MONTH_DAY.findall(rest):
        month, day = int(m), int(d_cn or d_dot)
        year = reader.year_for(month, day) if 1 <= month <= 12 else today.year
        if _possible(year, month, day):
            dates.append(dt.date(year, month, day))
        else:
            bad = True
    rest = _MONTH_DAY.sub(" ", rest)
    for m, _fen, word in _MONTH_ONLY.findall(rest):
        if 1 <= int(m) <= 12:
            dates.append(_day_of(reader.year_for(int(m)), int(m), word or None))
        else:
            bad = True
    rest = _MONTH_ONLY.sub(" ", rest)
    for word, (m, d) in _HALF.items():
        if word in rest:
            dates.append(dt.date(reader.year_for(m, d), m, d))
    if any(w in text for w in _MONTHLY):
        found.kind = Kind.MONTHLY
    elif any(w in text for w in _QUARTERLY) and not _QUARTER.search(text):
        found.kind = Kind.QUARTERLY
    elif named or (found.events and not dates):
        found.kind = Kind.NAMED_DATES
    elif any(w in text for w in _YEARLY) and not dates:
        found.kind = Kind.YEARLY
    elif any(w in text for w in ONGOING_WORDS) and not dates:
        found.kind = Kind.ONGOING
    elif not dates:
        found.unreadable = True
        return found
    if bad and not dates and not named:
        found.unreadable = True
        return found
    if found.kind == Kind.NAMED_DATES:
        found.dates = sorted(set(named + dates))
        found.date = found.dates[-1] if found.dates else None
    elif dates:
        found.date = max(dates)
        if found.kind != Kind.ONCE:
            found.dates = sorted(set(dates))
    found.chosen = "；".join(dict.fromkeys(reader.chosen))
    return found
