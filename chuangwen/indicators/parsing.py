"""Small parsers for what evaluation-system tables write: methods, thresholds, grade bands."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from chuangwen.core.text import clean_cell, normalize_name
from chuangwen.indicators.models import Comparator, Grade, Method, Sanction

# How tables name the methods; matched on normalized text, longest first.
METHOD_NAMES: dict[str, str] = {
    "材料审核": Method.MATERIALS,
    "网上申报": Method.MATERIALS,
    "网报材料": Method.MATERIALS,
    "网报": Method.MATERIALS,
    "材料自查": Method.MATERIALS,
    "材料": Method.MATERIALS,
    "部门评价": Method.DEPARTMENT,
    "省级部门评价": Method.DEPARTMENT,
    "实景图片": Method.PHOTOS,
    "图片资料": Method.PHOTOS,
    "图片": Method.PHOTOS,
    "实地考察": Method.FIELD,
    "实地测评": Method.FIELD,
    "实地": Method.FIELD,
    "问卷调查": Method.SURVEY,
    "问卷": Method.SURVEY,
    "电话核验": Method.PHONE,
    "电话": Method.PHONE,
}
for _value in Method.values:  # the English codes too, so exports and the API round-trip
    METHOD_NAMES[_value] = _value

_SPLIT = re.compile(r"[;；、,，/／()（）\n]+|\s+")


def parse_methods(text: str) -> tuple[list[str], list[str]]:
    """('材料审核;实地考察') -> (['materials', 'field'], []); unknown names come back second."""
    found: list[str] = []
    unknown: list[str] = []
    for part in _SPLIT.split(clean_cell(text)):
        key = normalize_name(part)
        if not key:
            continue
        method = METHOD_NAMES.get(key)
        if method is None:
            # "材料审核(网上申报)" and similar: take the longest known name inside the part.
            method = next(
                (METHOD_NAMES[n] for n in sorted(METHOD_NAMES, key=len, reverse=True) if n in key), None
            )
        if method is None:
            unknown.append(part)
        elif method not in found:
            found.append(str(method))
    return found, unknown


def method_from_label(text: str) -> str | None:
    methods, unknown = parse_methods(text)
    return methods[0] if len(methods) == 1 and not unknown else None


_COMPARATORS = {">": ">", "＞": ">", "≥": "≥", ">=": "≥", "<": "<", "＜": "<", "≤": "≤", "<=": "≤", "=": "="}
_THRESHOLD = re.compile(r"^\s*(>=|<=|[>＞≥<＜≤=])\s*(\d+(?:\.\d+)?)\s*(%|％|‰|[^\d\s]{0,6})\s*$")


@dataclass(frozen=True)
class Threshold:
    comparator: str
    value: Decimal
    unit: str
    expression: str


def parse_threshold(text: str) -> Threshold | None:
    """'>35%' -> Threshold('>', 35, '%'); '≥98%', '≤30%', '<70%' likewise; None if not one."""
    match = _THRESHOLD.match(clean_cell(text))
    if not match:
        return None
    op, number, unit = match.groups()
    try:
        value = Decimal(number)
    except InvalidOperation:
        return None
    unit = "%" if unit in ("%", "％") else unit
    return Threshold(Comparator(_COMPARATORS[op]).value, value, unit, f"{_COMPARATORS[op]}{number}{unit}")


def compare(measured: Decimal, comparator: str, value: Decimal) -> bool:
    return {
        ">": measured > value,
        "≥": measured >= value,
        "<": measured < value,
        "≤": measured <= value,
        "=": measured == value,
    }[comparator]


@dataclass(frozen=True)
class Band:
    grade: str
    measure: str
    threshold: Threshold


_BAND = re.compile(
    r"(?<![A-Za-z])(C#|C＃|[ABC])\s*[:：]?\s*((?:>=|<=|[>＞≥<＜≤=])\s*\d+(?:\.\d+)?\s*(?:%|％)?)"
)


def parse_grade_bands(standard: str) -> list[Band]:
    """Grade bands written in a standard: '全年优良天数比例 A ≥80%；B ≥70%；C <70%'.

    The text before the first band names the measure. Nothing is returned unless at least
    two grades are written (a lone 'A' in prose is not a band table).
    """
    text = clean_cell(standard)
    matches = list(_BAND.finditer(text))
    if len(matches) < 2:
        return []
    measure = text[: matches[0].start()].strip(" :：;；,，")[:120]
    bands: list[Band] = []
    seen: set[str] = set()
    for match in matches:
        grade = match.group(1).replace("＃", "#")
        threshold = parse_threshold(match.group(2))
        if threshold is None or grade in seen:
            continue
        seen.add(grade)
        bands.append(Band(Grade(grade).value, measure, threshold))
    return bands if len(bands) >= 2 else []


_DEDUCT = re.compile(r"扣\s*(\d+(?:\.\d+)?)\s*分")
_DISQUALIFY = ("取消", "一票否决", "不得参评", "不予")


def parse_sanction(text: str) -> tuple[str, Decimal | None]:
    """'扣5分' -> (deduct, 5); '取消参评资格' -> (disqualify, None); else (deduct, None)."""
    text = clean_cell(text)
    if any(word in text for word in _DISQUALIFY):
        return Sanction.DISQUALIFY, None
    match = _DEDUCT.search(text)
    if match:
        return Sanction.DEDUCT, Decimal(match.group(1))
    try:
        return Sanction.DEDUCT, Decimal(text) if text else None
    except InvalidOperation:
        return Sanction.DEDUCT, None
