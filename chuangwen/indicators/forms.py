from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from chuangwen.accounts.scope import scoped
from chuangwen.campaigns.models import Campaign
from chuangwen.indicators.models import EvaluationSystem, SystemLevel


def bootstrap(form: forms.Form) -> None:
    for field in form.fields.values():
        if isinstance(field.widget, forms.CheckboxInput):
            field.widget.attrs.setdefault("class", "form-check-input")
        else:
            field.widget.attrs.setdefault(
                "class", "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            )


class IndicatorImportForm(forms.Form):
    """Upload an evaluation-system table into an existing system or a new one."""

    file = forms.FileField(label=_("Spreadsheet (.xlsx)"))
    system = forms.ModelChoiceField(
        label=_("Into evaluation system"),
        queryset=EvaluationSystem.objects.none(),
        required=False,
        empty_label=_("— a new evaluation system —"),
    )
    name = forms.CharField(label=_("Name of the new system"), max_length=120, required=False)
    edition = forms.CharField(label=_("Edition"), max_length=40, required=False)
    level = forms.ChoiceField(label=_("Level"), choices=SystemLevel.choices, initial=SystemLevel.PREFECTURE)
    campaign = forms.ModelChoiceField(label=_("Campaign"), queryset=Campaign.objects.none(), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["system"].queryset = scoped(EvaluationSystem.objects.all(), user)
        self.fields["campaign"].queryset = scoped(Campaign.objects.all(), user)
        self.fields["campaign"].initial = scoped(Campaign.objects.all(), user).current()
        bootstrap(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("system") and not data.get("name"):
            self.add_error("name", _("Choose a system or name a new one."))
        return data
