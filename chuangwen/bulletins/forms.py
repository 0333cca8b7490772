"""Forms of the bulletin pages: the period to report on, and the office's texts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chuangwen.accounts.scope import scoped
from chuangwen.bulletins.models import Bulletin
from chuangwen.bulletins.services import TEXT_FIELDS
from chuangwen.campaigns.models import Campaign
from chuangwen.inspections.models import Round
from chuangwen.org.models import Unit
from chuangwen.points.forms import bootstrap
from chuangwen.problems.rates import STREET_KINDS


class NewBulletinForm(forms.Form):
    campaign = forms.ModelChoiceField(label=_("campaign"), queryset=Campaign.objects.none())
    start = forms.DateField(
        label=_("from"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    end = forms.DateField(label=_("to"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    round = forms.ModelChoiceField(
        label=_("inspection round (optional)"), queryset=Round.objects.none(), required=False
    )
    street = forms.ModelChoiceField(
        label=_("street / township (optional)"), queryset=Unit.objects.none(), required=False
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        campaigns = scoped(Campaign.objects.all(), user)
        self.fields["campaign"].queryset = campaigns
        # The 200 latest rounds, as a filter and not a slice: ModelChoiceField looks the choice up
        # with .get(), which a sliced queryset refuses, so every round was "not a valid choice".
        latest = scoped(Round.objects.all(), user).order_by("-start_date").values_list("pk", flat=True)[:200]
        self.fields["round"].queryset = Round.objects.filter(pk__in=list(latest)).order_by("-start_date")
        self.fields["street"].queryset = scoped(
            Unit.objects.filter(kind__in=STREET_KINDS, is_active=True), user
        ).order_by("path")
        current = campaigns.current()
        today = timezone.localdate()
        self.initial.setdefault("campaign", current.pk if current else None)
        self.initial.setdefault("start", today - dt.timedelta(days=6))
        self.initial.setdefault("end", today)
        bootstrap(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The period ends before it starts."))
        return data


class TextsForm(forms.ModelForm):
    class Meta:
        model = Bulletin
        fields = list(TEXT_FIELDS)
        widgets = {
            "issue_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "lead": forms.Textarea(attrs={"rows": 4}),
            "highlights": forms.Textarea(attrs={"rows": 4}),
            "good_text": forms.Textarea(attrs={"rows": 3}),
            "poor_text": forms.Textarea(attrs={"rows": 3}),
            "requirements": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["highlights"].help_text = _("Good practice worth naming; one paragraph per line.")
        bootstrap(self)
