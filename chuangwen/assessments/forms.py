"""Forms of the monthly assessment: the rules, a manual card, a summons."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from chuangwen.assessments.models import CardColor, DeductionRule, RuleKind, Summons
from chuangwen.org.models import Unit, UnitKind

_IDS = re.compile(r"\d+")


def parse_ids(text: str) -> list[int]:
    """ "#12, 15；#20" -> [12, 15, 20] (any separators, full-width ones too)."""
    return list(dict.fromkeys(int(n) for n in _IDS.findall(text or "")))


class RulesForm(forms.Form):
    base_score = forms.DecimalField(label=_("Base score"), min_value=0, max_value=10000, decimal_places=2)
    unit_kinds = forms.MultipleChoiceField(
        label=_("Kinds of unit assessed every month"),
        choices=UnitKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Units of other kinds appear only in a month they lost points."),
    )

    def __init__(self, *args: Any, rules: list[DeductionRule], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kinds = [rule.kind for rule in rules]
        for rule in rules:
            label = RuleKind(rule.kind).label
            self.fields[f"points_{rule.kind}"] = forms.DecimalField(
                label=_("%(rule)s: points each") % {"rule": label},
                min_value=0,
                max_value=10000,
                decimal_places=2,
                initial=rule.points,
            )
            self.fields[f"cap_{rule.kind}"] = forms.DecimalField(
                label=_("%(rule)s: cap per month") % {"rule": label},
                min_value=0,
                max_value=10000,
                decimal_places=2,
                required=False,
                initial=rule.cap,
            )
            self.fields[f"active_{rule.kind}"] = forms.BooleanField(
                label=_("%(rule)s: active") % {"rule": label}, required=False, initial=rule.is_active
            )
        for field in self.fields.values():
            if not isinstance(field.widget, forms.CheckboxInput | forms.CheckboxSelectMultiple):
                field.widget.attrs.setdefault("class", "form-control")


class CardForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    color = forms.ChoiceField(label=_("Card"), choices=CardColor.choices)
    reason = forms.CharField(label=_("Reason"), max_length=300, widget=forms.Textarea(attrs={"rows": 3}))
    problem = forms.IntegerField(label=_("Problem number (optional)"), required=False, min_value=1)
    issued_on = forms.DateField(
        label=_("Date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Blank: today. The card counts in the assessment of this month."),
    )

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        for field in self.fields.values():
            field.widget.attrs.setdefault(
                "class", "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            )


class SummonsForm(forms.ModelForm):
    problem_ids = forms.CharField(
        label=_("Problems (numbers)"),
        required=False,
        help_text=_("Separate numbers with commas, e.g. 12, 15."),
    )
    card_ids = forms.CharField(label=_("Manual cards (numbers)"), required=False)
    unit_card_ids = forms.CharField(label=_("Automatic cards (numbers)"), required=False)

    class Meta:
        model = Summons
        fields = ["unit", "held_on", "summoned", "summoned_by", "reason", "outcome"]
        widgets = {
            "held_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "reason": forms.Textarea(attrs={"rows": 3}),
            "outcome": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        if self.instance.pk:
            self.fields["problem_ids"].initial = ", ".join(str(p.pk) for p in self.instance.problems.all())
            self.fields["card_ids"].initial = ", ".join(str(c.pk) for c in self.instance.cards.all())
            self.fields["unit_card_ids"].initial = ", ".join(
                str(c.pk) for c in self.instance.unit_cards.all()
            )
        for field in self.fields.values():
            field.widget.attrs.setdefault(
                "class", "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            )
