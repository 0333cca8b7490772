"""Forms of the reports page: generate one now, and the schedule."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chuangwen.briefings.models import BriefingKind, Weekday


class GenerateForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("kind"), choices=BriefingKind.choices, widget=forms.Select(attrs={"class": "form-select"})
    )
    day = forms.DateField(
        label=_("date covered (the last day)"),
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["day"].initial = timezone.localdate() - dt.timedelta(days=1)


class ScheduleForm(forms.Form):
    enabled = forms.BooleanField(
        label=_("generate automatically"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    time_of_day = forms.TimeField(
        label=_("time of day"),
        widget=forms.TimeInput(attrs={"type": "time", "class": "form-control"}, format="%H:%M"),
    )
    weekday = forms.TypedChoiceField(
        label=_("weekly report on"),
        choices=Weekday.choices,
        coerce=int,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
