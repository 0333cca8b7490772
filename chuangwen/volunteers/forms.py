"""Forms of the volunteers pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from chuangwen.accounts.scope import scoped, unit_choices
from chuangwen.points.forms import bootstrap
from chuangwen.points.models import Point
from chuangwen.volunteers.models import Activity, Team, Volunteer


class TeamForm(forms.ModelForm):
    class Meta:
        model = Team
        fields = ["unit", "name", "leader", "description"]

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = unit_choices(user).order_by("path")
        self.fields["leader"].queryset = (
            scoped(Volunteer.objects.all(), user).filter(unit=self.instance.unit)
            if self.instance.pk
            else Volunteer.objects.none()
        )
        bootstrap(self)


class VolunteerForm(forms.ModelForm):
    id_number = forms.CharField(
        label=_("ID number"),
        required=False,
        max_length=18,
        help_text=_("Optional; stored encrypted and shown masked."),
    )

    class Meta:
        model = Volunteer
        fields = ["unit", "name", "gender", "phone", "code", "skills", "imported_hours", "teams", "is_active"]
        widgets = {"teams": forms.CheckboxSelectMultiple}

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = unit_choices(user).order_by("path")
        self.fields["teams"].queryset = scoped(Team.objects.select_related("unit"), user).order_by(
            "unit__path", "name"
        )
        self.fields["teams"].required = False
        bootstrap(self)

    def clean_id_number(self) -> str:
        value = self.cleaned_data["id_number"].strip().upper()
        if value and len(value) not in (15, 18):
            raise forms.ValidationError(_("An ID number has 15 or 18 characters."))
        return value


class ActivityForm(forms.ModelForm):
    class Meta:
        model = Activity
        fields = [
            "unit",
            "team",
            "title",
            "category",
            "point",
            "address",
            "lat",
            "lng",
            "radius_m",
            "starts_at",
            "ends_at",
            "capacity",
            "description",
        ]
        widgets = {
            "starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "ends_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = unit_choices(user).order_by("path")
        self.fields["team"].queryset = scoped(Team.objects.all(), user).order_by("name")
        self.fields["point"].queryset = scoped(Point.objects.filter(is_active=True), user).order_by("name")
        bootstrap(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("point") and not (data.get("address") or "").strip():
            raise forms.ValidationError(_("Give the place: a point or an address."))
        if (data.get("lat") is None) != (data.get("lng") is None):
            raise forms.ValidationError(_("Give both the latitude and the longitude, or neither."))
        return data


class PhoneSignForm(forms.Form):
    """The volunteer's phone after scanning the activity's QR code."""

    name = forms.CharField(label=_("Your name"), max_length=60)
    phone = forms.CharField(label=_("Your phone number"), max_length=20)
    action = forms.ChoiceField(
        choices=[("sign_up", _("Sign up")), ("sign_in", _("Sign in")), ("sign_out", _("Sign out"))]
    )
    lat = forms.CharField(required=False, widget=forms.HiddenInput)
    lng = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


class PopulationForm(forms.Form):
    population = forms.IntegerField(label=_("resident population"), min_value=1, max_value=100_000_000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)
