from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chuangwen.accounts.permissions import has_any_role
from chuangwen.accounts.scope import scoped, unit_choices
from chuangwen.campaigns.models import Campaign
from chuangwen.inspections.models import Round, RoundKind
from chuangwen.org.models import Unit
from chuangwen.points.forms import bootstrap
from chuangwen.points.models import PointType


class RoundForm(forms.ModelForm):
    class Meta:
        model = Round
        fields = ["name", "kind", "start_date", "end_date", "organizer", "team", "pass_rate", "note"]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        units = unit_choices(user).order_by("path")
        self.fields["organizer"].queryset = units
        # Cross-checks borrow inspectors from elsewhere: any active unit may be the team.
        self.fields["team"].queryset = Unit.objects.filter(is_active=True).order_by("path")
        if not self.instance.pk:
            today = timezone.localdate()
            self.initial.setdefault("start_date", today)
            self.initial.setdefault("end_date", today + dt.timedelta(days=6))
        if not has_any_role(user, ("office_admin",)):
            # A unit admin runs self-checks of its own units only.
            self.fields["kind"].choices = [(RoundKind.SELF_CHECK, RoundKind.SELF_CHECK.label)]
            self.fields["team"].queryset = units
        bootstrap(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("start_date") and data.get("end_date") and data["end_date"] < data["start_date"]:
            self.add_error("end_date", _("The end date is before the start date."))
        rate = data.get("pass_rate")
        if rate is not None and not 0 <= rate <= 100:
            self.add_error("pass_rate", _("The pass mark is a percentage from 0 to 100."))
        return data

    def save(self, commit: bool = True) -> Round:
        if not self.instance.campaign_id:
            self.instance.campaign = scoped(Campaign.objects.all(), self.user).current()
        return super().save(commit=commit)


class DrawForm(forms.Form):
    """Quotas per point type (one number field per type), an optional seed and a territory."""

    seed = forms.IntegerField(
        label=_("seed"),
        required=False,
        min_value=0,
        help_text=_("Leave empty for a new random seed; the same seed draws the same points."),
    )
    within = forms.ModelChoiceField(label=_("within"), queryset=Unit.objects.none(), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["within"].queryset = unit_choices(user).order_by("path")
        self.type_fields = []
        for point_type in PointType.objects.filter(is_active=True):
            name = f"q_{point_type.code}"
            self.fields[name] = forms.IntegerField(
                label=point_type.name, required=False, min_value=0, max_value=5000
            )
            self.type_fields.append(name)
        bootstrap(self)

    def quotas(self) -> dict[str, int]:
        return {name[2:]: self.cleaned_data[name] for name in self.type_fields if self.cleaned_data.get(name)}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.errors and not self.quotas():
            raise forms.ValidationError(_("Give at least one point type with a number of points to draw."))
        return data
