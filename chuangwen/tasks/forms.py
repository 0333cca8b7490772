from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chuangwen.accounts.scope import scoped, unit_choices
from chuangwen.campaigns.models import Campaign
from chuangwen.indicators.forms import bootstrap
from chuangwen.indicators.models import EvaluationSystem
from chuangwen.org.models import Unit
from chuangwen.tasks.periods import add_months, month_start

REPORT_MONTHS_BACK = 3  # a late report may still be filed for the last few months


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list:
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


def month_choices(today: dt.date | None = None) -> list[tuple[str, str]]:
    this = month_start(today or timezone.localdate())
    months = [add_months(this, -i) for i in range(REPORT_MONTHS_BACK + 1)]
    return [(m.isoformat(), f"{m:%Y-%m}") for m in months]


class ProgressReportForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Reporting unit"), queryset=Unit.objects.none())
    month = forms.ChoiceField(label=_("Month"))
    text = forms.CharField(label=_("Progress"), widget=forms.Textarea(attrs={"rows": 6}), max_length=5000)
    files = MultipleFileField(label=_("Attachments (photos, PDF, Office documents)"), required=False)

    def __init__(self, *args: Any, units: list[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(pk__in=[u.pk for u in units]).order_by("path")
        if len(units) == 1:
            self.fields["unit"].initial = units[0]
        self.fields["month"].choices = month_choices()
        bootstrap(self)

    def clean_month(self) -> dt.date:
        return dt.date.fromisoformat(self.cleaned_data["month"])


class TaskImportForm(forms.Form):
    file = forms.FileField(label=_("Task table (.xlsx)"))
    campaign = forms.ModelChoiceField(label=_("Campaign"), queryset=Campaign.objects.none())
    system = forms.ModelChoiceField(
        label=_("Evaluation system"),
        queryset=EvaluationSystem.objects.none(),
        required=False,
        empty_label=_("— the campaign's own —"),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        campaigns = scoped(Campaign.objects.all(), user)
        self.fields["campaign"].queryset = campaigns
        self.fields["campaign"].initial = campaigns.current()
        self.fields["system"].queryset = scoped(EvaluationSystem.objects.all(), user)
        bootstrap(self)


class AliasForm(forms.Form):
    """Say once which unit a name in the table means; kept as a unit alias."""

    name = forms.CharField(widget=forms.HiddenInput, max_length=120)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = unit_choices(user).order_by("path")
        bootstrap(self)
