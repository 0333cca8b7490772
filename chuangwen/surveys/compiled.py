"""A questionnaire compiled for validation: checks one interview's answers without touching the
database, decides whether the respondent was screened out, and computes every answer's score.

Answers come keyed by question name (as in the XLSForm): an option name for single choice and
yes/no, a list of option names for multiple choice, a number for rating and integer questions,
a string for text. Questions named `sex` and `age` also fill the response's sex and age, which
the sampling quotas count.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import threading
from dataclasses import dataclass, field
from typing import Any
from xml.etree import ElementTree as ET

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from chuangwen.core.errors import DomainError
from chuangwen.core.text import normalize_name
from chuangwen.surveys import logic as xp
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
    # ODK logic, already turned into XPath over the interview's instance (see surveys/logic.py)
    path: tuple[str, ...] = ()
    relevant: str = ""
    constraint: str = ""
    required_if: str = ""
    calculation: str = ""
    choice_filter: str = ""
    screening: str = ""
    constraint_message: str = ""
    required_message: str = ""
    metadata: str = ""
    option_items: dict[str, ET.Element] = field(default_factory=dict)
    # The same rules with ${name} as instance paths, for the phone's evaluator (no variables).
    client: dict[str, str] = field(default_factory=dict)

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


_AUTOMATIC = frozenset({QuestionKind.CALCULATE, QuestionKind.METADATA})
_DATEISH = re.compile(r"^\d{4}-\d{2}-\d{2}")
_TEXT_FORMATS = {
    QuestionKind.DATE: (re.compile(r"^\d{4}-\d{2}-\d{2}$"), _lazy("Enter a date (YYYY-MM-DD).")),
    QuestionKind.TIME: (
        re.compile(r"^\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:?\d{2}|Z)?$"),
        _lazy("Enter a time (HH:MM)."),
    ),
    QuestionKind.DATETIME: (
        re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:?\d{2}|Z)?$"),
        _lazy("Enter a date and time."),
    ),
    QuestionKind.GEOPOINT: (
        re.compile(r"^-?\d{1,2}(\.\d+)? -?\d{1,3}(\.\d+)?( -?\d+(\.\d+)?( \d+(\.\d+)?)?)?$"),
        _lazy("Enter a location as “latitude longitude”."),
    ),
    QuestionKind.ACKNOWLEDGE: (re.compile(r"^OK$"), _lazy("Confirm with OK.")),
}


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return " ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return xp.to_string(value)
    return str(value).strip()


class CompiledQuestionnaire:
    """The questions of one questionnaire in order, with their options and their logic."""

    def __init__(
        self,
        questionnaire_id: int,
        questions: list[CQuestion],
        group_paths: list[tuple[str, ...]] | None = None,
        group_relevant: dict[tuple[str, ...], str] | None = None,
    ) -> None:
        self.questionnaire_id = questionnaire_id
        self.questions = questions
        self.by_name = {q.name: q for q in questions}
        self.group_paths = group_paths or []
        self.group_relevant = group_relevant or {}
        self.client_groups: dict[tuple[str, ...], str] = {}
        self.has_logic = bool(self.group_relevant) or any(
            q.relevant or q.constraint or q.required_if or q.calculation or q.choice_filter or q.screening
            or q.kind in _AUTOMATIC
            for q in questions
        )  # fmt: skip

    def validate(
        self,
        answers: dict[str, Any],
        started_at: dt.datetime | None = None,
        submitted_at: dt.datetime | None = None,
    ) -> Outcome:
        """The answer rows to store, or SubmissionInvalid naming every problem at once.

        With ODK logic: a question whose `relevant` (or whose group's) is false is skipped, and
        an answer sent for it is dropped as ODK does, never stored; `required` may be an
        expression; a `constraint` that fails refuses the interview with its message; a
        `calculate` is computed here and stored; a picked option must pass the `choice_filter`;
        a `screening` rule that fails ends the interview (stored as screened out).
        """
        errors: dict[str, str] = {}
        if not isinstance(answers, dict):
            raise SubmissionInvalid({"answers": _("Answers must be given by question name.")})
        for name in answers:
            if name not in self.by_name:
                errors[str(name)] = _("There is no such question in this questionnaire.")
        root, nodes, groups = self._instance(answers) if self.has_logic else (None, {}, {})
        inst = (
            xp.Instance(root, {name: node.text or "" for name, node in nodes.items()})
            if root is not None
            else None
        )
        group_ok: dict[tuple[str, ...], bool] = {(): True}
        rows: list[AnswerRow] = []
        ended: CQuestion | None = None
        sex, age = "", None
        for q in self.questions:
            value = answers.get(q.name)
            node = nodes.get(q.name)
            if inst is not None and not self._relevant(q, inst, node, groups, group_ok):
                node.text = inst.variables[q.name] = ""
                continue
            if ended is not None:
                if not _blank(value) and q.kind not in _AUTOMATIC:
                    errors[q.name] = _(
                        "The interview ended at question “%(name)s” (the respondent is outside the "
                        "population), so this question must not be answered."
                    ) % {"name": ended.name}
                continue
            if q.kind in _AUTOMATIC:
                text = self._automatic(q, inst, node, started_at, submitted_at)
                if node is not None and inst is not None:
                    node.text = inst.variables[q.name] = text
                if text:
                    rows.append(AnswerRow(q.id, text=text))
                continue
            if q.kind == QuestionKind.NOTE:
                continue
            if _blank(value):
                if q.required or (q.required_if and inst is not None and inst.truth(q.required_if, node)):
                    errors[q.name] = q.required_message or _("This question is required.")
                continue
            new_rows, message, ends = self._parse(q, value)
            if message:
                errors[q.name] = message
                continue
            if inst is not None:
                message, ends = self._check_logic(q, inst, node, new_rows, ends)
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

    # -- ODK logic --------------------------------------------------------------------------
    @staticmethod
    def _option_node(inst: xp.Instance, q: CQuestion, option: str) -> ET.Element:
        holder = inst.root.find(f"_choices_{q.name}")
        names = list(q.option_items)
        return list(holder)[names.index(option)]

    def _instance(self, answers: dict[str, Any]) -> tuple[ET.Element, dict, dict]:
        """The interview as an XForm instance: <data><group><question>value</question>…"""
        root = ET.Element("data")
        groups: dict[tuple[str, ...], ET.Element] = {(): root}
        for path in self.group_paths:
            groups[path] = ET.SubElement(groups[path[:-1]], path[-1])
        nodes = {}
        for q in self.questions:
            node = ET.SubElement(groups.get(q.path, root), q.name)
            node.text = _as_text(answers.get(q.name))
            nodes[q.name] = node
        for q in self.questions:
            if q.option_items:
                # The options of a cascading select, in the instance so that one node tree
                # serves every expression (like ODK's secondary instance of choices).
                holder = ET.SubElement(root, f"_choices_{q.name}")
                for item in q.option_items.values():
                    copy_ = ET.SubElement(holder, "_item")
                    copy_.extend(list(item))
        return root, nodes, groups

    def _relevant(
        self,
        q: CQuestion,
        inst: xp.Instance,
        node: ET.Element,
        groups: dict[tuple[str, ...], ET.Element],
        group_ok: dict[tuple[str, ...], bool],
    ) -> bool:
        for depth in range(1, len(q.path) + 1):
            path = q.path[:depth]
            if path not in group_ok:
                rule = self.group_relevant.get(path, "")
                group_ok[path] = group_ok[path[:-1]] and (not rule or inst.truth(rule, groups[path]))
            if not group_ok[path]:
                return False
        return not q.relevant or inst.truth(q.relevant, node)

    def _automatic(
        self,
        q: CQuestion,
        inst: xp.Instance | None,
        node: ET.Element | None,
        started: dt.datetime | None,
        submitted: dt.datetime | None,
    ) -> str:
        if q.kind == QuestionKind.CALCULATE:
            if not q.calculation or inst is None:
                return ""
            text = xp.to_string(inst.value(q.calculation, node))
            return "" if text == "NaN" else text[:MAX_TEXT]
        now = submitted or dt.datetime.now(dt.UTC)
        if q.metadata == "start":
            return (started or now).isoformat(timespec="seconds")
        if q.metadata == "end":
            return now.isoformat(timespec="seconds")
        if q.metadata == "today":
            return now.date().isoformat()
        return ""

    def _check_logic(
        self, q: CQuestion, inst: xp.Instance, node: ET.Element, rows: list[AnswerRow], ends: bool
    ) -> tuple[str, bool]:
        if q.constraint and not inst.truth(q.constraint, node):
            return q.constraint_message or _("This answer is not allowed (the question's constraint)."), ends
        if q.choice_filter and rows:
            picked = {r.option_id for r in rows}
            for option in q.options.values():
                if option.id not in picked:
                    continue
                item = self._option_node(inst, q, option.name)
                if not inst.truth(q.choice_filter, item):
                    return _("“%(value)s” is not one of the options offered here.") % {
                        "value": option.name
                    }, ends
        if q.screening and not inst.truth(q.screening, node):
            ends = True
        return "", ends

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
            if q.kind == QuestionKind.INTEGER and q.screening:
                return [AnswerRow(q.id, number=number)], "", False
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
        if q.kind == QuestionKind.DECIMAL:
            number = xp.to_number(value) if not isinstance(value, bool) else math.nan
            if math.isnan(number) or isinstance(value, str) and _DATEISH.match(value.strip()):
                return [], _("Enter a number."), False
            return [AnswerRow(q.id, number=number)], "", False
        if q.kind in _TEXT_FORMATS:
            pattern, message = _TEXT_FORMATS[q.kind]
            text = str(value).strip()
            if not pattern.match(text):
                return [], str(message), False
            return [AnswerRow(q.id, text=text)], "", False
        text = str(value).strip()
        if len(text) > MAX_TEXT:
            return [], _("At most %(n)d characters.") % {"n": MAX_TEXT}, False
        return [AnswerRow(q.id, text=text)], "", False


def _message(texts: Any, lang: str) -> str:
    """A constraint or required message in the interview's language."""
    if not texts:
        return ""
    if isinstance(texts, str):
        return texts
    return str(texts.get(lang) or texts.get("default") or next(iter(texts.values()), ""))


_cache: dict[tuple[int, str], CompiledQuestionnaire] = {}
_lock = threading.Lock()


def compile_questionnaire(questionnaire: Questionnaire) -> CompiledQuestionnaire:
    """The compiled form, cached per design version (the questionnaire's updated_at), so every
    process notices a change without any shared memory."""
    key = (questionnaire.pk, questionnaire.updated_at.isoformat())
    hit = _cache.get(key)
    if hit is not None:
        return hit
    lang = (questionnaire.xlsform or {}).get("language", "")
    sections = list(questionnaire.sections.all())
    parents = {s.name: (s.logic or {}).get("parent", "") for s in sections}

    def group_path(name: str) -> tuple[str, ...]:
        path: list[str] = []
        while name and name not in path:
            path.insert(0, name)
            name = parents.get(name, "")
        return tuple(path)

    rows = list(
        questionnaire.questions.order_by("order", "id").select_related("section").prefetch_related("options")
    )
    q_paths = {q.name: group_path(q.section.name) if q.section else () for q in rows}
    paths = {name: "/data/" + "/".join([*path, name]) for name, path in q_paths.items()}
    paths.update({s.name: "/data/" + "/".join(group_path(s.name)) for s in sections})

    names = set(q_paths)

    def xpath(text: str) -> str:
        return xp.to_server_xpath(text, paths, names) if text else ""

    client_groups = {
        group_path(s.name): xp.to_xpath((s.logic or {}).get("relevant", ""), paths)
        for s in sections
        if (s.logic or {}).get("relevant")
    }
    group_relevant = {
        group_path(s.name): xpath((s.logic or {}).get("relevant", ""))
        for s in sections
        if (s.logic or {}).get("relevant")
    }
    questions = []
    for q in rows:
        rules = q.logic or {}
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
            path=q_paths[q.name],
            relevant=xpath(rules.get("relevant", "")),
            constraint=xpath(rules.get("constraint", "")),
            required_if=xpath(rules.get("required", "")),
            calculation=xpath(rules.get("calculation", "")),
            choice_filter=xpath(rules.get("choice_filter", "")),
            screening=xpath(rules.get("screening", "")),
            constraint_message=_message(rules.get("constraint_message"), lang),
            required_message=_message(rules.get("required_message"), lang),
            metadata=rules.get("metadata", ""),
            client={
                key: xp.to_xpath(rules[source], paths)
                for key, source in (
                    ("relevant", "relevant"), ("constraint", "constraint"), ("required_if", "required"),
                    ("calculation", "calculation"), ("choice_filter", "choice_filter"), ("screening", "screening"),
                )
                if rules.get(source)
            },
        )  # fmt: skip
        for o in q.options.all():
            option = COption(
                o.pk, o.name, o.label, float(o.value) if o.value is not None else None, o.ends_interview
            )
            cq.options[o.name] = option
            cq.by_label.setdefault(normalize_name(o.label), option)
            if cq.choice_filter:
                item = ET.Element("_item")
                ET.SubElement(item, "name").text = o.name
                ET.SubElement(item, "label").text = o.label
                for key, value in (o.extra or {}).items():
                    if key != "labels" and re.match(r"^[A-Za-z_][A-Za-z0-9_.-]*$", key):
                        ET.SubElement(item, key).text = str(value)
                cq.option_items[o.name] = item
        questions.append(cq)
    group_paths = sorted({group_path(s.name) for s in sections}, key=len)
    compiled = CompiledQuestionnaire(questionnaire.pk, questions, group_paths, group_relevant)
    compiled.client_groups = client_groups
    with _lock:
        if len(_cache) > 64:
            _cache.clear()
        _cache[key] = compiled
    return compiled
