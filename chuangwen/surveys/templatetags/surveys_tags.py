from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def pct(value: float | None, digits: int = 1) -> str:
    """0.8345 → “83.5%”; nothing for an empty rate."""
    if value is None or value == "":
        return ""
    return f"{float(value) * 100:.{int(digits)}f}%"


@register.simple_tag(takes_context=True)
def survey_form(context: dict, round_: Any) -> dict:
    """What the interview page needs for the ODK logic: the compiled expressions (already XPath,
    the same strings the server evaluates) as a JSON data island for `survey-logic.js`, the
    label languages and the one picked (`?lang=`, else the form's)."""
    from chuangwen.surveys.compiled import compile_questionnaire

    questionnaire = round_.questionnaire
    compiled = compile_questionnaire(questionnaire)
    settings = questionnaire.xlsform or {}
    languages = [code for code in settings.get("languages", []) if code != "default"]
    request = context.get("request")
    wanted = request.GET.get("lang", "") if request is not None else ""
    lang = wanted if wanted in languages else settings.get("language", "")
    questions = []
    for q in compiled.questions:
        entry: dict[str, Any] = {"name": q.name, "kind": str(q.kind), "path": list(q.path)}
        entry.update(q.client)  # the rules as instance paths (the phone's evaluator has no variables)
        if q.constraint_message:
            entry["constraint_message"] = q.constraint_message
        if q.required_message:
            entry["required_message"] = q.required_message
        if q.choice_filter:
            entry["options"] = {
                name: {child.tag: child.text or "" for child in item} for name, item in q.option_items.items()
            }
        questions.append(entry)
    logic = {
        "groups": [[list(path), rule] for path, rule in compiled.client_groups.items()],
        "group_paths": [list(p) for p in compiled.group_paths],
        "questions": questions,
        "has_logic": compiled.has_logic,
        "constraint_message": _("This answer is not allowed."),
    }
    return {"logic": logic, "languages": languages, "lang": lang}


@register.simple_tag
def text_in(obj: Any, field: str, lang: str) -> str:
    """A label or hint in the picked language (the stored text when it has none)."""
    logic = getattr(obj, "logic", None)
    if logic is None:
        logic = getattr(obj, "extra", None) or {}
    texts = logic.get(f"{field}s") or {}
    if lang and texts.get(lang):
        return str(texts[lang])
    return str(getattr(obj, field, "") or getattr(obj, "title", "") or "")
