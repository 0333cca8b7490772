"""Forms of meetings: convene, minutes, a decision. Choices come through the scoping helper."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chuangwen.accounts.scope import scoped, unit_choices
from chuangwen.campaigns.models import Campaign
from chuangwen.indicators.models import Indicator
from chuangwen.meetings.models import DecisionKind, MeetingKind
from chuangwen.problems.models import ProblemCategory

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MeetingForm(forms.Form):
    campaign = forms.ModelChoiceField(label=_("campaign"), queryset=Campaign.objects.none())
    kind = forms.ChoiceField(label=_("kind"), choices=MeetingKind.choices)
    title = forms.CharField(label=_("title"), max_length=200)
    held_on = forms.DateField(label=_("date"), widget=DATE)
    chair = forms.CharField(label=_("chair"), max_length=100)
    place = forms.CharField(label=_("place"), max_length=200, required=False)
    units = forms.ModelMultipleChoiceField(
        label=_("units invited"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        campaigns = scoped(Campaign.objects.select_related("root_unit"), user)
        self.fields["campaign"].queryset = campaigns
        self.fields["campaign"].initial = campaigns.filter(is_current=True).first()
        self.fields["units"].queryset = unit_choices(user).order_by("path")
        self.fields["held_on"].initial = timezone.localdate()
        for field in self.fields.values():
            css = (
                "form-select"
                if isinstance(field.widget, forms.Select | forms.SelectMultiple)
                else "form-control"
            )
            field.widget.attrs.setdefault("class", css)


class InviteForm(forms.Form):
    units = forms.ModelMultipleChoiceField(
        label=_("units to invite"),
        queryset=None,
        widget=forms.SelectMultiple(attrs={"size": 6, "class": "form-select"}),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = unit_choices(user).order_by("path")


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label=_("minutes"),
        required=False,
        max_length=50_000,
        widget=forms.Textarea(attrs={"rows": 6, "class": "form-control"}),
    )


class DecisionForm(forms.Form):
    text = forms.CharField(
        label=_("agreed item"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )
    unit = forms.ModelChoiceField(
        label=_("responsible unit"), queryset=None, widget=forms.Select(attrs={"class": "form-select"})
    )
    deadline = forms.DateField(
        label=_("deadline"),
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
    )
    kind = forms.ChoiceField(
        label=_("carried out as"),
        choices=DecisionKind.choices,
        initial=DecisionKind.TASK,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    indicator = forms.ModelChoiceField(
        label=_("indicator (for a task)"),
        queryset=None,
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    category = forms.ModelChoiceField(
        label=_("problem category (for a problem)"),
        queryset=None,
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=80)

    def __init__(self, *args: Any, user: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = (
            unit_choices(user).filter(path__startswith=campaign.root_unit.path).order_by("path")
        )
        self.fields["indicator"].queryset = (
            scoped(Indicator.objects.all(), user)
            .filter(system__campaign=campaign)
            .order_by("system_id", "position", "id")
        )
        self.fields["category"].queryset = ProblemCategory.objects.filter(
            parent__isnull=False
        ).select_related("parent")
        if not self.is_bound:
            # A fresh key per form shown: a resend of the same form is recognised and kept once.
            self.fields["idempotency_key"].initial = uuid.uuid4().hex
