"""Forms of scoring: the configuration (a new version on save), 部门评价, negative events, bonus."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from chuangwen.core.errors import DomainError
from chuangwen.indicators.models import Grade, Method, NegativeItem
from chuangwen.materials.uploads import check_uploads, clean_name
from chuangwen.org.models import Unit
from chuangwen.scoring.models import ScoringConfig


def checked_evidence(upload: Any) -> Any:
    """An evidence file checked like every upload of the project (content, size cap,
    decompression bombs; materials.uploads), its name made safe; None when there is none."""
    if not upload:
        return upload
    try:
        check_uploads([upload])
    except DomainError as exc:
        raise forms.ValidationError(str(exc)) from exc
    upload.seek(0)
    upload.name = clean_name(upload.name)
    return upload


def _json_field(label: Any, help_text: Any) -> forms.CharField:
    return forms.CharField(
        label=label, help_text=help_text, widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class ConfigForm(forms.Form):
    """The simple numbers as fields; per-year weights, bonus rules and quotas as JSON."""

    minors_share = forms.DecimalField(label=_("Minors' system share (%)"), min_value=0, max_value=99)
    minors_gate = forms.DecimalField(label=_("Minors' system pass mark"), min_value=0, max_value=100)
    villages_share = forms.DecimalField(label=_("Civilized villages share (%)"), min_value=0, max_value=99)
    bonus_cap = forms.DecimalField(label=_("Bonus cap"), min_value=0)
    cut_a = forms.FloatField(label=_("Rate for grade A"), min_value=0, max_value=1)
    cut_b = forms.FloatField(label=_("Rate for grade B"), min_value=0, max_value=1)
    cut_c = forms.FloatField(label=_("Rate for grade C"), min_value=0, max_value=1)
    year_weights = _json_field(
        _("Weights for other years"), _('e.g. {"2025": {"materials": 30, "field": 40, "survey": 30}}')
    )
    bonus_rules = _json_field(
        _("Bonus rules"), _('e.g. [{"code": "honour", "name": "荣誉称号", "points": 1, "cap": 3}]')
    )
    field_quotas = _json_field(_("Field draw quotas"), _('Point type code → points drawn, e.g. {"ZCGD": 8}'))
    note = forms.CharField(label=_("Note on this change"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for method in Method:
            self.fields[f"w_{method.value}"] = forms.FloatField(label=method.label, min_value=0, initial=0)
        for method in Method:
            self.fields[f"pm_{method.value}"] = forms.FloatField(
                label=_("Pass mark: %(method)s") % {"method": method.label},
                help_text=_(
                    "Out of 100; below it the result is 不合格 whatever the other methods add up to. Empty: none."
                ),
                min_value=0,
                max_value=100,
                required=False,
            )

    @classmethod
    def initial_from(cls, config: ScoringConfig) -> dict[str, Any]:
        default = (config.weights or {}).get("default", {})
        years = {k: v for k, v in (config.weights or {}).items() if k != "default"}
        initial = {
            "minors_share": config.minors_share,
            "minors_gate": config.minors_gate,
            "villages_share": config.villages_share,
            "bonus_cap": config.bonus_cap,
            "cut_a": config.grade_cuts.get("A"),
            "cut_b": config.grade_cuts.get("B"),
            "cut_c": config.grade_cuts.get("C"),
            "year_weights": json.dumps(years, ensure_ascii=False) if years else "",
            "bonus_rules": json.dumps(config.bonus_rules, ensure_ascii=False) if config.bonus_rules else "",
            "field_quotas": json.dumps(config.field_quotas, ensure_ascii=False)
            if config.field_quotas
            else "",
        }
        initial.update({f"w_{m}": default.get(m, 0) for m in Method.values})
        initial.update({f"pm_{m}": v for m, v in (config.pass_marks or {}).items()})
        return initial

    def _json(self, name: str, kind: type) -> Any:
        raw = (self.cleaned_data.get(name) or "").strip()
        if not raw:
            return kind()
        try:
            value = json.loads(raw)
        except ValueError as exc:
            raise forms.ValidationError(_("Not valid JSON: %(error)s") % {"error": exc}) from exc
        if not isinstance(value, kind):
            raise forms.ValidationError(_("Expected a JSON %(kind)s.") % {"kind": kind.__name__})
        return value

    def clean_year_weights(self) -> dict:
        return self._json("year_weights", dict)

    def clean_bonus_rules(self) -> list:
        return self._json("bonus_rules", list)

    def clean_field_quotas(self) -> dict:
        return self._json("field_quotas", dict)

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        weights = {"default": {m: data[f"w_{m}"] for m in Method.values}, **data["year_weights"]}
        return {
            "weights": weights,
            "minors_share": data["minors_share"],
            "minors_gate": data["minors_gate"],
            "villages_share": data["villages_share"],
            "grade_cuts": {"A": data["cut_a"], "B": data["cut_b"], "C": data["cut_c"]},
            "pass_marks": {m: data[f"pm_{m}"] for m in Method.values if data.get(f"pm_{m}") is not None},
            "bonus_rules": data["bonus_rules"],
            "bonus_cap": data["bonus_cap"],
            "field_quotas": data["field_quotas"],
            "note": data["note"],
        }


class DepartmentEvaluationForm(forms.Form):
    value = forms.DecimalField(label=_("Value"), max_digits=12, decimal_places=4, required=False)
    grade = forms.ChoiceField(
        label=_("Grade"), choices=[("", _("From the grade bands")), *Grade.choices], required=False
    )
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    evidence = forms.FileField(label=_("Evidence file"), required=False)

    def clean_evidence(self) -> Any:
        return checked_evidence(self.cleaned_data.get("evidence"))


class NegativeEventForm(forms.Form):
    item = forms.ModelChoiceField(label=_("Negative-list item"), queryset=NegativeItem.objects.none())
    occurred_on = forms.DateField(
        label=_("Occurred on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    unit = forms.ModelChoiceField(label=_("Responsible unit"), queryset=Unit.objects.none(), required=False)
    note = forms.CharField(label=_("What happened"), widget=forms.Textarea(attrs={"rows": 3}))
    evidence = forms.FileField(label=_("Evidence file"), required=False)

    def clean_evidence(self) -> Any:
        return checked_evidence(self.cleaned_data.get("evidence"))

    def __init__(self, *args: Any, items: Any = None, units: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items if items is not None else NegativeItem.objects.none()
        self.fields["unit"].queryset = units if units is not None else Unit.objects.none()


class BonusForm(forms.Form):
    rule_code = forms.ChoiceField(label=_("Bonus rule"))
    title = forms.CharField(label=_("Title"), max_length=200)
    points = forms.DecimalField(
        label=_("Points"), max_digits=6, decimal_places=2, required=False, min_value=0
    )
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, rules: list[dict[str, Any]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rule_code"].choices = [(r["code"], r["name"]) for r in rules or []]
