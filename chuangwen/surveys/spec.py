"""A questionnaire's design as plain data: what the XLSForm importer produces, what the exporter
and the standard templates start from, and what `services.replace_design` writes."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass
class OptionSpec:
    name: str
    label: str
    value: Decimal | None = None
    ends_interview: bool = False
    extra: dict = field(default_factory=dict)


@dataclass
class QuestionSpec:
    name: str
    label: str
    kind: str
    section: str = ""
    required: bool = True
    hint: str = ""
    measure: str = ""
    indicator_code: str = ""
    is_screening: bool = False
    screen_min: int | None = None
    screen_max: int | None = None
    scale_min: int | None = None
    scale_max: int | None = None
    count_unsure: bool = False
    threshold: Decimal | None = None
    list_name: str = ""
    options: list[OptionSpec] = field(default_factory=list)
    logic: dict = field(default_factory=dict)


@dataclass
class SectionSpec:
    name: str
    title: str = ""
    logic: dict = field(default_factory=dict)


@dataclass
class BandSpec:
    grade: str
    lower: Decimal | None
    measure: str = ""


@dataclass
class DesignSpec:
    title: str = ""
    audience: str = ""
    threshold: Decimal | None = None
    intro: str = ""
    sections: list[SectionSpec] = field(default_factory=list)
    questions: list[QuestionSpec] = field(default_factory=list)
    bands: list[BandSpec] = field(default_factory=list)
    xlsform: dict = field(default_factory=dict)


YES_NO_OPTIONS = (("yes", "是", Decimal("1")), ("no", "否", Decimal("0")))


def yes_no_options() -> list[OptionSpec]:
    return [OptionSpec(name, label, value) for name, label, value in YES_NO_OPTIONS]
