"""Forms of the ledger: the year-end rules (a weight and a cap per kind) and a credit."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chuangwen.accounts.scope import scoped, unit_choices
from chuangwen.campaigns.models import Campaign
from chuangwen.ledger.models import CREDIT_KINDS, EntryKind, YearEndRules
from chuangwen.scoring.models import BonusAward


class RulesForm(forms.Form):
    base_score = forms.DecimalField(label=_("base score"), min_value=0, max_digits=6, decimal_places=2)

    def __init__(self, *args: Any, rules: YearEndRules, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["base_score"].initial = rules.base_score
        for kind in EntryKind:
            rule = rules.rule(kind)
            self.fields[f"weight_{kind.value}"] = forms.FloatField(
                label=_("%(kind)s: points per record") % {"kind": kind.label},
                min_value=0,
                initial=rule["weight"],
            )
            self.fields[f"cap_{kind.value}"] = forms.FloatField(
                label=_("%(kind)s: cap") % {"kind": kind.label},
                min_value=0,
                required=False,
                initial=rule["cap"],
            )
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control form-control-sm")

    def rows(self) -> list[tuple[str, Any, Any]]:
        return [(kind.label, self[f"weight_{kind.value}"], self[f"cap_{kind.value}"]) for kind in EntryKind]

    def rules(self) -> dict[str, dict[str, float | None]]:
        data = self.cleaned_data
        return {
            k.value: {"weight": data[f"weight_{k.value}"], "cap": data[f"cap_{k.value}"]} for k in EntryKind
        }


class CreditForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("unit"), queryset=None)
    kind = forms.ChoiceField(label=_("kind"), choices=[(k.value, k.label) for k in CREDIT_KINDS])
    title = forms.CharField(label=_("for what"), max_length=200)
    points = forms.DecimalField(label=_("score points"), min_value=0, max_digits=6, decimal_places=2)
    awarded_on = forms.DateField(
        label=_("date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    bonus = forms.ModelChoiceField(label=_("bonus award (特色加分)"), queryset=None, required=False)

    def __init__(self, *args: Any, user: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = (
            unit_choices(user).filter(path__startswith=campaign.root_unit.path).order_by("path")
        )
        self.fields["bonus"].queryset = scoped(BonusAward.objects.filter(campaign=campaign), user)
        self.fields["awarded_on"].initial = timezone.localdate()
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)


class ResponsibilitiesForm(forms.Form):
    """A unit and a share for each of the four responsibilities (leave a row empty to skip it)."""

    def __init__(self, *args: Any, user: Any, current: dict[str, Any], **kwargs: Any) -> None:
        from chuangwen.ledger.models import ResponsibilityRole

        super().__init__(*args, **kwargs)
        units = unit_choices(user).order_by("path")
        for role in ResponsibilityRole:
            row = current.get(role.value)
            self.fields[f"unit_{role.value}"] = forms.ModelChoiceField(
                label=role.label,
                queryset=units,
                required=False,
                initial=row.unit_id if row else None,
                widget=forms.Select(attrs={"class": "form-select"}),
            )
            self.fields[f"share_{role.value}"] = forms.DecimalField(
                label=_("%(role)s: share") % {"role": role.label},
                required=False,
                min_value=0,
                max_value=1,
                max_digits=4,
                decimal_places=3,
                initial=row.share if row else None,
                widget=forms.NumberInput(attrs={"class": "form-control", "step": "0.05"}),
            )

    def rows(self) -> list[tuple[Any, Any]]:
        from chuangwen.ledger.models import ResponsibilityRole

        return [(self[f"unit_{r.value}"], self[f"share_{r.value}"]) for r in ResponsibilityRole]

    def entries(self) -> dict[str, tuple[Any, Any]]:
        from chuangwen.ledger.models import ResponsibilityRole

        data = self.cleaned_data
        return {
            r.value: (data[f"unit_{r.value}"], data[f"share_{r.value}"])
            for r in ResponsibilityRole
            if data.get(f"unit_{r.value}") is not None and data.get(f"share_{r.value}") is not None
        }
