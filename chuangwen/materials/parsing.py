"""Drafting material requirements from a task's 材料审核具体要求 text.

Plans write the rules in prose: "每季度开展一次活动，提供不少于2张照片，参与人数不少于10人，
注明主办单位", "说明报告800字，实景图片3张，总数不超过12张", "在“3.15”国际消费者权益日、
全国“质量月”开展活动，每次活动提供至少2张图片". The parser cuts the text into fragments at
commas and stops, starts a draft wherever a kind of material is named (图片, 说明报告, 总结…),
and gives each rule it reads to the draft it belongs to: word limits to the nearest document,
photo counts to the photos, cadence and dates to all. What it cannot read it keeps as "other
conditions" for the reviewer. The result is a draft the office edits, never a final answer.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from chuangwen.core.text import to_halfwidth
from chuangwen.materials.models import Cadence, MaterialKind
from chuangwen.materials.periods import FESTIVALS, KNOWN_DAYS, named_date_from_name

CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}


@dataclass
class RequirementDraft:
    """An unsaved requirement: the fields of MaterialRequirement the parser could read."""

    kind: str
    title: str = ""
    cadence: str = Cadence.ONCE
    named_dates: list[dict[str, Any]] = field(default_factory=list)
    photos_min: int | None = None
    photos_max: int | None = None
    photos_total_max: int | None = None
    min_participants: int | None = None
    organiser_required: bool = False
    words_min: int | None = None
    words_max: int | None = None
    window_from: dt.date | None = None
    window_to: dt.date | None = None
    notes: list[str] = field(default_factory=list)
    source_text: str = ""

    @property
    def kind_label(self) -> str:
        """The kind in words (实景图片), as the form's choice shows it."""
        try:
            return str(MaterialKind(self.kind).label)
        except ValueError:
            return self.kind

    def as_initial(self) -> dict[str, Any]:
        """Initial data for the requirement form."""
        from chuangwen.materials.periods import format_named_dates

        return {
            "kind": self.kind,
            "title": self.title,
            "cadence": self.cadence,
            "named_dates_text": format_named_dates(self.named_dates),
            "photos_min": self.photos_min,
            "photos_max": self.photos_max,
            "photos_total_max": self.photos_total_max,
            "min_participants": self.min_participants,
            "organiser_required": self.organiser_required,
            "words_min": self.words_min,
            "words_max": self.words_max,
            "window_from": self.window_from,
            "window_to": self.window_to,
            "notes": "；".join(self.notes),
            "source_text": self.source_text,
        }


# (pattern, kind) in order of precedence: the first that matches a fragment names its kind.
_KINDS: tuple[tuple[str, str], ...] = (
    (r"部门评价|工作总结|情况总结|开展情况总结|总结", MaterialKind.SUMMARY),
    (r"说明报告|情况说明|专题报告|报告", MaterialKind.REPORT),
    (r"规范文件|制度文件|规范守则|文件|制度|方案|公约|守则", MaterialKind.NORM),
    (r"统计表格?|表格|台账|汇总表|数据表|报表", MaterialKind.TABLE),
    (r"短视频|视频|影像资料", MaterialKind.VIDEO),
    (r"实景图片|图片|照片|相片|图像", MaterialKind.PHOTOS),
)
_KIND_TITLES = {
    MaterialKind.SUMMARY: "工作总结",
    MaterialKind.REPORT: "说明报告",
    MaterialKind.NORM: "规范文件",
    MaterialKind.TABLE: "统计表格",
    MaterialKind.VIDEO: "视频资料",
    MaterialKind.PHOTOS: "实景图片",
}
_SPLIT = re.compile(r"[，,；;。\n（）()【】\[\]]|(?=[①②③④⑤⑥⑦⑧⑨⑩])")
_NUM = r"(\d+|[一二两三四五六七八九十]+)"
_AT_LEAST = r"(?:不少于|不低于|至少|最少|≥|>=|不得少于|不应少于|应不少于)"
_AT_MOST = r"(?:不超过|不多于|最多|至多|≤|<=|不得超过|不应超过|控制在)"
_PHOTO = r"(?:张|幅)"
_WORD = r"(?:字|个字)"


def cn_number(text: str) -> int | None:
    """A number written in digits or Chinese numerals up to 99 ("12", "十二", "两")."""
    text = text.strip()
    if text.isdigit():
        return int(text)
    if not text or any(ch not in CN_DIGITS and ch != "十" for ch in text):
        return None
    if "十" in text:
        tens, _sep, ones = text.partition("十")
        return (CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (CN_DIGITS.get(ones, 0) if ones else 0)
    return CN_DIGITS.get(text)


def _head_kind(part: str) -> str | None:
    """The kind a phrase names: its last kind word ("规范守则的图片资料" asks for photos)."""
    best: tuple[int, str] | None = None
    for pattern, kind in _KINDS:
        for match in re.finditer(pattern, part):
            if best is None or match.end() > best[0]:
                best = (match.end(), kind)
    return best[1] if best else None


def _kinds_of(fragment: str) -> list[tuple[str, str]]:
    """(kind, phrase) for each coordinated phrase of the fragment that names a kind:
    "制度文件及落实情况说明报告" names a normative document and a report."""
    found: list[tuple[str, str]] = []
    for part in re.split(r"及|以及|和|与|、|并", fragment):
        kind = _head_kind(part)
        if kind is not None and kind not in (k for k, _p in found):
            found.append((kind, part))
    return found


def _cadence(text: str) -> str | None:
    if re.search(r"每月|按月|逐月|每个月|月度", text):
        return Cadence.MONTHLY
    if re.search(r"每季度?|按季度?|季度", text):
        return Cadence.QUARTERLY
    if re.search(r"每年|每年度|年度", text):
        return Cadence.YEARLY
    return None


def _named_dates(text: str) -> list[dict[str, Any]]:
    """Festivals, named days and "3.15"-style dates mentioned in the text."""
    found: list[tuple[int, dict[str, Any]]] = []
    for key, (label, _table) in FESTIVALS.items():
        match = re.search(label.rstrip("节"), text)
        if match:
            found.append((match.start(), {"label": label, "festival": key}))
    for label in KNOWN_DAYS:
        match = re.search(label, text)
        if match:
            entry = named_date_from_name(label)
            if entry:
                found.append((match.start(), entry))
    for match in re.finditer(r"(?<![\d年.])(\d{1,2})\s*[.·・]\s*(\d{1,2})(?![\d%])", text):
        entry = named_date_from_name(f"{match[1]}.{match[2]}")
        if entry:
            found.append((match.start(), entry))
    # Events without a fixed date (食品安全宣传周…): kept by name for the office to date.
    for match in re.finditer(r"全国[^、，,；;。\s“”]{2,10}?(?:宣传周|活动周|活动月|宣传月)", text):
        found.append((match.start(), {"label": match.group(0)}))
    entries: list[dict[str, Any]] = []
    seen_md: set[str] = set()
    for _pos, entry in sorted(found, key=lambda item: item[0]):
        # "3.15"国际消费者权益日 names one day twice: keep the first of a month-day.
        marker = entry.get("md") or entry.get("festival") or entry["label"]
        if marker in seen_md:
            continue
        seen_md.add(marker)
        entries.append(entry)
    return entries


def _window(text: str) -> tuple[dt.date | None, dt.date | None]:
    date = r"(\d{4})\s*[年.\-/]\s*(\d{1,2})\s*(?:[月.\-/]\s*(\d{1,2})\s*日?|月)?"
    match = re.search(date + r"\s*(?:至|到|—|–|-|~|～)\s*" + date, text)
    if not match:
        return None, None
    y1, m1, d1, y2, m2, d2 = match.groups()
    try:
        start = dt.date(int(y1), int(m1), int(d1 or 1))
        end_month = dt.date(int(y2), int(m2), 1)
        if d2:
            end = dt.date(int(y2), int(m2), int(d2))
        else:
            from chuangwen.tasks.periods import month_end

            end = month_end(end_month)
    except ValueError:
        return None, None
    return (start, end) if end >= start else (None, None)


def _photo_rules(fragment: str, draft: RequirementDraft) -> bool:
    """Photo counts in one fragment; True when it read one."""
    read = False
    if m := re.search(
        r"(?:总数|总量|合计|共计|累计|全年)\S*?" + _AT_MOST + r"?\s*" + _NUM + _PHOTO, fragment
    ):
        draft.photos_total_max = cn_number(m[1])
        return True
    if m := re.search(_NUM + r"\s*[-~～至到—]\s*" + _NUM + _PHOTO, fragment):
        draft.photos_min, draft.photos_max = cn_number(m[1]), cn_number(m[2])
        return True
    if (m := re.search(_AT_LEAST + r"\s*" + _NUM + _PHOTO, fragment)) or (
        m := re.search(_NUM + _PHOTO + r"(?:及|或)?以上", fragment)
    ):
        draft.photos_min = cn_number(m[1])
        read = True
    if (m := re.search(_AT_MOST + r"\s*" + _NUM + _PHOTO, fragment)) or (
        m := re.search(_NUM + _PHOTO + r"(?:以内|以下|之内)", fragment)
    ):
        draft.photos_max = cn_number(m[1])
        read = True
    if not read and (m := re.search(_NUM + _PHOTO, fragment)):
        # A bare "提供2张图片" / "实景图片3张": online filing has that many slots.
        draft.photos_min = draft.photos_max = cn_number(m[1])
        read = True
    return read


def _word_rules(fragment: str, draft: RequirementDraft) -> bool:
    read = False
    if m := re.search(_NUM + r"\s*[-~～至到—]\s*" + _NUM + _WORD, fragment):
        draft.words_min, draft.words_max = cn_number(m[1]), cn_number(m[2])
        return True
    if m := re.search(_AT_LEAST + r"\s*" + _NUM + _WORD, fragment) or re.search(
        _NUM + _WORD + r"(?:及|或)?以上", fragment
    ):
        draft.words_min = cn_number(m[1])
        read = True
    if (m := re.search(r"(\d+)\s*" + _WORD, fragment)) and not read:
        # "800字", "800字以内", "不超过800字", "800字左右": a limit.
        draft.words_max = int(m[1])
        read = True
    return read


def _participant_rules(fragment: str, draft: RequirementDraft) -> bool:
    patterns = (
        _AT_LEAST + r"\s*" + _NUM + r"\s*(?:人|名)",
        r"(?:参与|参加|参会)(?:人数|人员|群众)?\S{0,4}?" + _AT_LEAST + r"?\s*" + _NUM + r"\s*(?:人|名)",
        _NUM + r"\s*(?:人|名)(?:次)?(?:及|或)?以上",
    )
    for pattern in patterns:
        if m := re.search(pattern, fragment):
            draft.min_participants = cn_number(m[1])
            return True
    return False


def _organiser_rule(fragment: str) -> bool:
    return bool(
        re.search(
            r"(?:注明|明确|标明|写明|体现|标注|显示|需有)\S{0,3}(?:主办|承办|组织)(?:单位|方|部门)?", fragment
        )
    )


def _title_from(fragment: str, kind: str) -> str:
    cleaned = re.sub(
        r"^[①-⑩\d.、\s]*(?:具体要求|要求|需|须|应)?[:：]?\s*(?:提供|上报|报送|提交)?", "", fragment
    ).strip()
    if not cleaned or re.search(r"\d", cleaned):
        # "不少于2张照片", "说明报告800字": the rule is not a title; name the kind.
        return _KIND_TITLES[kind]
    return cleaned[:60]


def parse_requirement_text(text: str) -> list[RequirementDraft]:
    """Drafts of the material requirements written in `text` (empty when none is named)."""
    source = (text or "").strip()
    if not source:
        return []
    normal = to_halfwidth(source).replace("“", "").replace("”", "").replace('"', "")
    fragments = [f.strip() for f in _SPLIT.split(normal) if f and f.strip()]
    drafts: dict[str, RequirementDraft] = {}
    order: list[str] = []
    current: RequirementDraft | None = None
    pending: list[str] = []  # fragments before any kind is named (e.g. "每季度开展一次活动")

    def start(kind: str, fragment: str) -> RequirementDraft:
        if kind not in drafts:
            drafts[kind] = RequirementDraft(kind=kind, title=_title_from(fragment, kind), source_text=source)
            order.append(kind)
        return drafts[kind]

    def document_draft() -> RequirementDraft | None:
        for kind in reversed(order):
            if kind not in (MaterialKind.PHOTOS, MaterialKind.VIDEO):
                return drafts[kind]
        return None

    def apply(fragment: str, draft: RequirementDraft) -> None:
        used = False
        if re.search(_WORD, fragment) and re.search(r"\d", fragment):
            target = (
                draft if draft.kind not in (MaterialKind.PHOTOS, MaterialKind.VIDEO) else document_draft()
            )
            if target is None:
                target = start(MaterialKind.REPORT, fragment)
            used = _word_rules(fragment, target) or used
        if re.search(_PHOTO, fragment):
            target = drafts.get(MaterialKind.PHOTOS) or start(MaterialKind.PHOTOS, fragment)
            used = _photo_rules(fragment, target) or used
        if re.search(r"人", fragment) and re.search(r"\d|[一二两三四五六七八九十]", fragment):
            target = drafts.get(MaterialKind.PHOTOS) or draft
            used = _participant_rules(fragment, target) or used
        if _organiser_rule(fragment):
            (drafts.get(MaterialKind.PHOTOS) or draft).organiser_required = True
            used = True
        if re.search(
            r"无不文明|不得出现|不能出现|清晰|真实|原图|不得使用|不得重复|不得翻拍|无水印", fragment
        ):
            draft.notes.append(fragment)
            used = True
        if (
            not used
            and re.search(r"需|须|应|要求|不得|禁止", fragment)
            and len(fragment) > 3
            and not _kinds_of(fragment)
            and not _cadence(fragment)
        ):
            draft.notes.append(fragment)

    for fragment in fragments:
        named = _kinds_of(fragment)
        for kind, phrase in named:
            # "图片中无不文明行为" names the photos again: same draft, not a new one.
            current = start(kind, phrase if len(named) > 1 else fragment)
        if named and current is not None:
            for earlier in pending:
                apply(earlier, current)
            pending = []
        if current is None:
            pending.append(fragment)
            continue
        apply(fragment, current)
    if current is None and pending:
        # Rules with no kind named ("不少于2张" alone): photos if counted in 张, else a report.
        joined = "，".join(pending)
        kind = MaterialKind.PHOTOS if re.search(_PHOTO, joined) else None
        if kind is None:
            return []
        current = start(kind, joined)
        for fragment in pending:
            apply(fragment, current)

    cadence = _cadence(normal)
    named = _named_dates(normal)
    window_from, window_to = _window(normal)
    for kind in order:
        draft = drafts[kind]
        if named and kind in (MaterialKind.PHOTOS, MaterialKind.VIDEO):
            # Photos are filed per activity on each date; a document about a festival is one report.
            draft.cadence = Cadence.NAMED_DATES
            draft.named_dates = [dict(entry) for entry in named]
        elif cadence and (kind in (MaterialKind.PHOTOS, MaterialKind.VIDEO) or len(order) == 1):
            draft.cadence = cadence
        draft.window_from, draft.window_to = window_from, window_to
    return [drafts[kind] for kind in order]
