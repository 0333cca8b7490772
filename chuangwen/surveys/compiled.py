"""A questionnaire compiled for validation: checks one interview's answers without touching the
database, decides whether the respondent was screened out, and computes every answer's score.

Answers come keyed by question name (as in the XLSForm): an option name for single choice and
yes/no, a list of option names for multiple choice, a number for rating and integer questions,
a string for text. Questions named `sex` and `age` also fill the response's sex and age, which
the sampling quotas count.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from chuangwen.core.errors import DomainError
from chuangwen.core.text import normalize_name
from chuangwen.surveys.models import QuestionKind, Questionnaire, Sex

MAX_TEXT = 2000
SEX_NAMES = {
    "m": Sex.MALE, "male": Sex.MALE, "1": Sex.MALE, "男": Sex.MALE,
    "f": Sex.FEMALE, "female": Sex.FEMALE, "2": Sex.FEMALE, "女": Sex.FEMALE,
}  # fmt: skip


class SubmissionInvalid(DomainError):
    """The answers break the questionnaire's rules; `errors` maps question names to messages."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        text = "; ".join(f"{name}: {message}" for name, message in errors.items())
        super().__init__(_("The response was not stored: %(errors)s") % {"errors": text})


@dataclass(frozen=True)
class COption:
    id: int
    name: str
    label: str
    value: float | None
    ends_interview: bool


@dataclass
class CQuestion:
    id: int
    name: str
    label: str
    kind: str
    required: bool
    is_screening: bool
    screen_min: int | None
    screen_max: int | None
    scale_min: int | None
    scale_max: int | None
    count_unsure: bool
    options: dict[str, COption] = field(default_factory=dict)
    by_label: dict[str, COption] = field(default_factory=dict)

    def option_for(self, text: str) -> COption | None:
        """An option by its name, else by its label as written (for spreadsheets)."""
        return self.options.get(text) or self.by_label.get(normalize_name(text))

    def score(self, option: COption | None = None, number: float | None = None) -> float | None:
        if self.kind in (QuestionKind.SINGLE, QuestionKind.YES_NO) and option is not None:
            if option.value is None:
                return 0.0 if self.count_unsure else None
            return option.value
        if self.kind == QuestionKind.RATING and number is not None:
            span = (self.scale_max or 0) - (self.scale_min or 0)
            return (number - (self.scale_min or 0)) / span if span > 0 else None
        return None


@dataclass
class AnswerRow:
    question_id: int
    option_id: int | None = None
    number: float | None = None
    text: str = ""
    score: float | None = None


@dataclass
class Outcome:
    screened_out_by: int | None
    rows: list[AnswerRow]
    sex: str = ""
    age: int | None = None

    @property
    def screened_out(self) -> bool:
        return self.screened_out_by is not None


def _blank(value: Any) -> bool:
    return value is None or value == "" or value == [] or (isinstance(value, str) and not value.strip())


def _as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        text = value.strip()
        if text.lstrip("-").isdigit():
            return int(text)
    return None


class CompiledQuestionnaire:
    """The questions of one questionnaire in order, with their options."""

    def __init__(self, questionnaire_id: int, questions: list[CQuestion]) -> None:
        self.questionnaire_id = questionnaire_id
        self.questions = questions
        self.by_name = {q.name: q for q in questions}

    def validate(self, answers: dict[str, Any]) -> Outcome:
        """The answer rows to store, or SubmissionInvalid naming every problem at once."""
        errors: dict[str, str] = {}
        if not isinstance(answers, dict):
            raise SubmissionInvalid({"answers": _("Answers must be given by question name.")})
        for name in answers:
            if name not in self.by_name:
                errors[str(name)] = _("There is no such question in this questionnaire.")
        rows: list[AnswerRow] = []
        ended: CQuestion | None = None
        sex, age = "", None
        for q in self.questions:
            value = answers.get(q.name)
            if ended is not None:
                if not _blank(value):
                    errors[q.name] = _(
                        "The interview ended at question “%(name)s” (the respondent is outside the "
                        "population), so this question must not be answered."
                    ) % {"name": ended.name}
                continue
            if _blank(value):
                if q.required:
                    errors[q.name] = _("This question is required.")
                continue
            new_rows, message, ends = self._parse(q, value)
            if message:
                errors[q.name] = message
                continue
            rows.extend(new_rows)
            if ends:
                ended = q
            if q.name == "sex" and new_rows and new_rows[0].option_id is not None:
                picked = next(o for o in q.options.values() if o.id == new_rows[0].option_id)
                sex = SEX_NAMES.get(picked.name.lower()) or SEX_NAMES.get(picked.label, "")
            if q.name == "age" and new_rows and new_rows[0].number is not None:
                age = int(new_rows[0].number)
        if errors:
            raise SubmissionInvalid(errors)
        return Outcome(ended.id if ended else None, rows, sex, age)

    def _parse(self, q: CQuestion, value: Any) -> tuple[list[AnswerRow], str, bool]:
        """(rows, error message, ends the interview) for one answered question."""
        if q.kind in (QuestionKind.SINGLE, QuestionKind.YES_NO):
            if isinstance(value, list):
                if len(value) != 1:
                    return [], _("Pick exactly one option."), False
                value = value[0]
            option = q.options.get(str(value))
            if option is None:
                return [], _("“%(value)s” is not one of the options.") % {"value": value}, False
            row = AnswerRow(q.id, option_id=option.id, score=q.score(option=option))
            return [row], "", q.is_screening and option.ends_interview
        if q.kind == QuestionKind.MULTIPLE:
            picked = value if isinstance(value, list) else [value]
            rows, seen = [], set()
            for item in picked:
                option = q.options.get(str(item))
                if option is None:
                    return [], _("“%(value)s” is not one of the options.") % {"value": item}, False
                if option.id not in seen:
                    seen.add(option.id)
                    rows.append(AnswerRow(q.id, option_id=option.id))
            ends = q.is_screening and any(o.ends_interview for o in q.options.values() if o.id in seen)
            return rows, "", ends
        if q.kind in (QuestionKind.RATING, QuestionKind.INTEGER):
            number = _as_int(value)
            if number is None:
                return [], _("Enter a whole number."), False
            if q.kind == QuestionKind.RATING:
                low, high = q.scale_min or 0, q.scale_max or 0
                if not low <= number <= high:
                    return [], _("Rate from %(low)d to %(high)d.") % {"low": low, "high": high}, False
                return [AnswerRow(q.id, number=number, score=q.score(number=number))], "", False
            if not 0 <= number <= 1_000_000:
                return [], _("Enter a whole number."), False
            outside = (q.screen_min is not None and number < q.screen_min) or (
                q.screen_max is not None and number > q.screen_max
            )
            return [AnswerRow(q.id, number=number)], "", q.is_screening and outside
        text = str(value).strip()
        if len(text) > MAX_TEXT:
            return [], _("At most %(n)d characters.") % {"n": MAX_TEXT}, False
        return [AnswerRow(q.id, text=text)], "", False


_cache: dict[tuple[int, str], CompiledQuestionnaire] = {}
_lock = threading.Lock()


def compile_questionnaire(questionnaire: Questionnaire) -> CompiledQuestionnaire:
    """The compiled form, cached per design version (the questionnaire's updated_at), so every
    process notices a change without any shared memory."""
    key = (questionnaire.pk, questionnaire.updated_at.isoformat())
    hit = _cache.get(key)
    if hit is not None:
        return hit
    questions = []
    for q in questionnaire.questions.order_by("order", "id").prefetch_related("options"):
        cq = CQuestion(
            id=q.pk,
            name=q.name,
            label=q.label,
            kind=q.kind,
            required=q.required,
            is_screening=q.is_screening,
            screen_min=q.screen_min,
            screen_max=q.screen_max,
            scale_min=q.scale_min,
            scale_max=q.scale_max,
            count_unsure=q.count_unsure,
        )
        for o in q.options.all():
            option = COption(
                o.pk, o.name, o.label, float(o.value) if o.value is not None else None, o.ends_interview
            )
            cq.options[o.name] = option
            cq.by_label.setdefault(normalize_name(o.label), option)
        questions.append(cq)
    compiled = CompiledQuestionnaire(questionnaire.pk, questions)
    with _lock:
        if len(_cache) > 64:
            _cache.clear()
        _cache[key] = compiled
    return compiled
