"""Parsers for what task tables write: deadlines and cadences, unit lists, monthly arrangements.

Pure functions over text (no database), each tested on the ways offices really write things.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from chuangwen.core import dates
from chuangwen.core.text import clean_cell, to_halfwidth
from chuangwen.tasks.models import AssignmentRole, Cadence

# ---------------------------------------------------------------- deadlines and cadences

# The reading itself is core.dates.parse_deadline, shared by every import; these names stay
# here for the code that already uses them.
NAMED_DATES = dates.NAMED_DATES
LUNAR_EVENTS = dates.LUNAR_EVENTS
_CADENCES = {
    dates.Kind.ONCE: Cadence.ONCE,
    dates.Kind.MONTHLY: Cadence.MONTHLY,
    dates.Kind.QUARTERLY: Cadence.QUARTERLY,
    dates.Kind.YEARLY: Cadence.YEARLY,
    dates.Kind.ONGOING: Cadence.ONGOING,
    dates.Kind.NAMED_DATES: Cadence.NAMED_DATES,
}


@dataclass
class Schedule:
    """What a 完成时限 cell means: a cadence, a deadline, and named dates/events if any.

    `chosen` says which year the reader picked for a month written without one; `unreadable`
    marks text kept as written with no deadline, for the office to set."""

    cadence: str = Cadence.ONCE
    deadline: dt.date | None = None
    dates: list[dt.date] = field(default_factory=list)
    events: list[str] = field(default_factory=list)
    text: str = ""
    chosen: str = ""
    unreadable: bool = False

    def as_json(self) -> dict:
        return {"dates": [d.isoformat() for d in self.dates], "events": self.events}

    @property
    def cadence_label(self) -> str:
        return str(Cadence(self.cadence).label)


class ScheduleError(ValueError):
    """The deadline cell could not be read; the message names what was written."""


def parse_schedule(value: object, today: dt.date | int) -> Schedule:
    """Read a 完成时限 cell. `today` is the import date (a month without a year is the next such
    month from it); a bare year means its 1 January (the campaign's year, as before).

    "2024年6月30日", "2024-06-30", a date cell, "6月底", "6月30日前", "6月中旬", "年底",
    "每月", "每季度", "每年", "长期坚持", "3·15、质量月", "端午节前", "第三季度" …
    Text nothing can be read from comes back `unreadable`, with its text and no deadline.
    """
    reference = dt.date(today, 1, 1) if isinstance(today, int) else today
    found = dates.parse_deadline(value, reference)
    if isinstance(value, str) or value is None:
        text = clean_cell(value) if not found.unreadable else " ".join(str(value or "").split())
    else:
        text = found.text
    return Schedule(
        _CADENCES[found.kind] if not found.unreadable else Cadence.ONCE,
        found.date,
        found.dates,
        found.events,
        text,
        found.chosen,
        found.unreadable,
    )


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
    r"(?:(?<=^)|(?<=[\s;；。,，、\n]))(?:[①-⑳]\s*)?(\d{1,2})(?:\s*[-—~～至到]\s*(\d{1,2}))?\s*月"
    # "3月15日" is one date (the step's label), not the month "3月" followed by a step "15日…".
    r"(?:\s*\d{1,2}\s*[日号](?:前|之前|以前)?)?(?:份)?(?:[上中下]旬|底|末)?\s*[:：,，、]?"
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
