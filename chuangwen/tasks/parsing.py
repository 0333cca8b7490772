"""Parsers for what task tables write: deadlines and cadences, unit lists, monthly arrangements.

Pure functions over text (no database), each tested on the ways offices really write things.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from chuangwen.core.text import clean_cell, to_halfwidth
from chuangwen.tasks.models import AssignmentRole, Cadence
from chuangwen.tasks.periods import month_end

# ---------------------------------------------------------------- deadlines and cadences

# Dates that recur every year, as written in plans. Lunar festivals (端午, 中秋, 春节) move
# with the calendar, so they are kept as events without a fixed date.
NAMED_DATES: dict[str, tuple[int, int]] = {
    "3·15": (3, 15),
    "3.15": (3, 15),
    "315": (3, 15),
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

_ONGOING = ("长期坚持", "长期", "常态化", "持续推进", "持续开展", "持续", "全年", "常年")
_MONTHLY = ("每月", "按月", "月度")
_QUARTERLY = ("每季度", "按季度", "每季", "季度")
_YEARLY = ("每年", "按年", "年度")

_FULL_DATE = re.compile(r"(20\d{2})\s*[年./\-]\s*(\d{1,2})\s*[月./\-]\s*(\d{1,2})\s*日?")
_YEAR_MONTH = re.compile(r"(20\d{2})\s*[年./\-]\s*(\d{1,2})\s*月?(?:份)?\s*(底|末|前|中旬|上旬|下旬)?")
_MONTH_DAY = re.compile(r"(?<!\d)(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]")
_MONTH_ONLY = re.compile(r"(?<!\d)(\d{1,2})\s*月\s*(份)?\s*(底|末|前|中旬|上旬|下旬|以前|之前)?")
_HALF = {"上半年": (6, 30), "下半年": (12, 31), "年底": (12, 31), "年末": (12, 31), "年内": (12, 31)}


@dataclass
class Schedule:
    """What a 完成时限 cell means: a cadence, a deadline, and named dates/events if any."""

    cadence: str = Cadence.ONCE
    deadline: dt.date | None = None
    dates: list[dt.date] = field(default_factory=list)
    events: list[str] = field(default_factory=list)
    text: str = ""

    def as_json(self) -> dict:
        return {"dates": [d.isoformat() for d in self.dates], "events": self.events}


class ScheduleError(ValueError):
    """The deadline cell could not be read; the message names what was written."""


def _excel_serial(value: int | float) -> dt.date | None:
    # A date typed into a cell formatted as a number: days since 1899-12-30.
    if 30000 < value < 80000:
        return dt.date(1899, 12, 30) + dt.timedelta(days=int(value))
    return None


def _day_of(year: int, month: int, word: str | None) -> dt.date:
    if not 1 <= month <= 12:
        raise ScheduleError(f"month {month}")
    first = dt.date(year, month, 1)
    if word == "上旬":
        return first.replace(day=10)
    if word == "中旬":
        return first.replace(day=20)
    return month_end(first)  # 底, 末, 前, 下旬, or a bare month: by the month's end


def parse_schedule(value: object, year: int) -> Schedule:
    """Read a 完成时限 cell. `year` is the campaign's, for dates written without one.

    "2024年6月30日", "2024-06-30", a date cell, "6月底", "6月30日前", "6月中旬", "年底",
    "每月", "每季度", "每年", "长期坚持", "3·15、质量月", "端午节前" …
    Raises ScheduleError when the cell says something but nothing in it can be read.
    """
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return Schedule(Cadence.ONCE, value, text=value.isoformat())
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        day = _excel_serial(value)
        if day is None:
            raise ScheduleError(str(value))
        return Schedule(Cadence.ONCE, day, text=day.isoformat())
    raw = clean_cell(value)
    text = to_halfwidth(raw).replace("．", ".").replace("•", "·").replace("・", "·")
    if not text:
        return Schedule(Cadence.ONGOING, text="")
    schedule = Schedule(text=raw)
    # A fixed date anywhere ("2024年6月30日前", "6月30日") is the deadline.
    dates: list[dt.date] = []
    for y, m, d in _FULL_DATE.findall(text):
        dates.append(_date(int(y), int(m), int(d), raw))
    rest = _FULL_DATE.sub(" ", text)
    for y, m, word in _YEAR_MONTH.findall(rest):
        dates.append(_day_of(int(y), int(m), word or None))
    rest = _YEAR_MONTH.sub(" ", rest)
    named: list[dt.date] = []
    for name in sorted(NAMED_DATES, key=len, reverse=True):
        if name in rest:
            month, day = NAMED_DATES[name]
            named.append(dt.date(year, month, day))
            schedule.events.append(name)
            rest = rest.replace(name, " ")
    for event in LUNAR_EVENTS:
        if event in rest and not any(event in e for e in schedule.events):
            schedule.events.append(event)
    for m, d in _MONTH_DAY.findall(rest):
        dates.append(_date(year, int(m), int(d), raw))
    rest = _MONTH_DAY.sub(" ", rest)
    for m, _fen, word in _MONTH_ONLY.findall(rest):
        dates.append(_day_of(year, int(m), word or None))
    rest = _MONTH_ONLY.sub(" ", rest)
    for word, (m, d) in _HALF.items():
        if word in rest:
            dates.append(dt.date(year, m, d))
    if any(w in text for w in _MONTHLY):
        schedule.cadence = Cadence.MONTHLY
    elif any(w in text for w in _QUARTERLY):
        schedule.cadence = Cadence.QUARTERLY
    elif named or (schedule.events and not dates):
        schedule.cadence = Cadence.NAMED_DATES
    elif any(w in text for w in _YEARLY) and not dates:
        schedule.cadence = Cadence.YEARLY
    elif any(w in text for w in _ONGOING) and not dates:
        schedule.cadence = Cadence.ONGOING
    elif not dates:
        raise ScheduleError(raw)
    if schedule.cadence == Cadence.NAMED_DATES:
        schedule.dates = sorted(set(named + dates))
        schedule.deadline = schedule.dates[-1] if schedule.dates else None
    elif dates:
        schedule.deadline = max(dates)
        if schedule.cadence != Cadence.ONCE:
            schedule.dates = sorted(set(dates))
    return schedule


def _date(year: int, month: int, day: int, raw: str) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError as exc:
        raise ScheduleError(raw) from exc


# ---------------------------------------------------------------- unit lists

_OPEN, _CLOSE = "(（[【〔", ")）]】〕"
_SEPARATORS = set("、,，;；/／\n|")
_ENUM = re.compile(r"^\s*(?:[①-⑳]|\(\d{1,2}\)|\d{1,2}[.、)]\s*|[一二三四五六七八九十]{1,2}[、.])\s*")
_CIRCLED = re.compile(r"[①-⑳]")
_PREFIX = re.compile(r"^(?:牵头单位|责任单位|责任部门|责任科室|配合单位|协办单位|主办单位|单位)\s*[:：]\s*")
ROLE_WORDS: dict[str, str] = {
    "牵头": AssignmentRole.LEAD,
    "牵头单位": AssignmentRole.LEAD,
    "主责": AssignmentRole.LEAD,
    "主办": AssignmentRole.LEAD,
    "责任": AssignmentRole.RESPONSIBLE,
    "责任单位": AssignmentRole.RESPONSIBLE,
    "配合": AssignmentRole.COOPERATING,
    "配合单位": AssignmentRole.COOPERATING,
    "协办": AssignmentRole.COOPERATING,
    "协助": AssignmentRole.COOPERATING,
}


@dataclass(frozen=True)
class UnitName:
    """One unit as written in a cell, with the role its parentheses or suffix give it."""

    name: str
    role: str | None = None
    note: str = ""


def _split_top_level(text: str) -> list[str]:
    """Split on separators that are not inside parentheses (a note may list sections).

    Spreadsheet readers turn line breaks inside a cell into spaces, so a space separates
    too, but only after a name of two or more characters and not before a parenthesis
    ("区 商务局" and "区商务局 （牵头）" stay whole).
    """
    parts, buf, depth = [], [], 0
    for index, ch in enumerate(text):
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        following = text[index + 1 :].lstrip()
        space_splits = ch.isspace() and len("".join(buf).strip()) >= 2 and following[:1] not in (*_OPEN, "")
        if depth == 0 and (ch in _SEPARATORS or space_splits):
            parts.append("".join(buf))
            buf = []
        else:
            buf.append(ch)
    parts.append("".join(buf))
    return parts


def parse_unit_list(value: object) -> list[UnitName]:
    """'区商务局（牵头）、各街道' -> [UnitName('区商务局', 'lead'), UnitName('各街道')].

    Separators 、，,；;/ and line breaks; circled or numbered list markers; a leading
    "责任单位：" label; a role in parentheses or as a suffix ("区城管局牵头"); other
    parenthesised text is kept as a note; a trailing "等" is dropped.
    """
    text = str(value or "").replace("\r", "\n")
    text = _CIRCLED.sub("、", text)  # "①区商务局②各街道": the markers separate the names
    result: list[UnitName] = []
    seen: set[str] = set()
    for part in _split_top_level(text):
        part = _PREFIX.sub("", _ENUM.sub("", clean_cell(part)))
        if not part:
            continue
        role = None
        notes = []
        for note in re.findall(r"[(（\[【〔]([^)）\]】〕]*)[)）\]】〕]", part):
            key = clean_cell(note).rstrip("单位")
            key = clean_cell(note) if clean_cell(note) in ROLE_WORDS else key
            if key in ROLE_WORDS:
                role = ROLE_WORDS[key]
            elif note.strip():
                notes.append(clean_cell(note))
        name = clean_cell(re.sub(r"[(（\[【〔][^)）\]】〕]*[)）\]】〕]", "", part))
        for suffix in ("牵头", "配合", "协办"):
            if name.endswith(suffix) and len(name) > len(suffix) + 1:
                name, role = name[: -len(suffix)], role or ROLE_WORDS[suffix]
        name = name.removesuffix("等").strip(" :：.。")
        if name in ROLE_WORDS and result and not notes:
            # "区商务局 牵头": a role word on its own belongs to the name before it.
            result[-1] = UnitName(result[-1].name, ROLE_WORDS[name], result[-1].note)
            continue
        if name and name not in seen:
            seen.add(name)
            result.append(UnitName(name, role, "；".join(notes)[:120]))
    return result


def parse_people(value: object) -> list[str]:
    """Names in a 责任人 cell: '张三、李四（副局长）' -> ['张三', '李四']."""
    return [u.name for u in parse_unit_list(value)]


# ---------------------------------------------------------------- monthly arrangements

_MONTH_MARK = re.compile(
    r"(?:(?<=^)|(?<=[\s;；。,，、\n]))(?:[①-⑳]\s*)?(\d{1,2})(?:\s*[-—~～至到]\s*(\d{1,2}))?\s*月(?:份)?(?:[上中下]旬|底|末)?\s*[:：,，、]?"
)


@dataclass(frozen=True)
class Milestone:
    month: dt.date | None
    label: str
    text: str


def parse_arrangements(value: object, year: int) -> list[Milestone]:
    """'4月，组织召开…；5月：加强…' -> one milestone per month (a range "4-6月" starts in April).

    Text before the first month marker is kept as an undated first step; text without any
    month marker gives nothing (it stays in the task's arrangements as written).
    """
    text = to_halfwidth(str(value or "")).replace("\r", "\n").strip()
    marks = [m for m in _MONTH_MARK.finditer(text) if 1 <= int(m.group(1)) <= 12]
    if not marks:
        return []
    steps: list[Milestone] = []
    head = text[: marks[0].start()].strip(" ;；。,，\n")
    if head:
        steps.append(Milestone(None, "", head))
    for mark, following in zip(marks, [*marks[1:], None], strict=True):
        body = text[mark.end() : following.start() if following else len(text)].strip(" ;；。,，\n")
        start = int(mark.group(1))
        label = mark.group(0).strip(" :：,，、;；\n")
        if body:
            steps.append(Milestone(dt.date(year, start, 1), label[:40], body))
    return steps
