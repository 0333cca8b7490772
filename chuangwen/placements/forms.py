"""Forms of the placement pages; every input has a label."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from chuangwen.accounts.scope import scoped
from chuangwen.org.models import Road, Unit
from chuangwen.placements.models import Carrier, Condition, Site, Theme
from chuangwen.points.models import Point, PointType


def _style(form: forms.Form) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs["class"] = "form-check-input"
        elif isinstance(widget, forms.Select):
            widget.attrs["class"] = "form-select"
        elif not isinstance(widget, forms.HiddenInput):
            widget.attrs["class"] = "form-control"


class PlacementForm(forms.Form):
    carrier = forms.ChoiceField(label=_("Carrier"), choices=Carrier.choices)
    theme = forms.ChoiceField(label=_("Content theme"), choices=Theme.choices)
    title = forms.CharField(label=_("Content"), max_length=120, required=False)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    lat = forms.FloatField(label=_("Latitude (WGS-84)"), required=False, min_value=-90, max_value=90)
    lng = forms.FloatField(label=_("Longitude (WGS-84)"), required=False, min_value=-180, max_value=180)
    road = forms.ModelChoiceField(label=_("Road"), queryset=Road.objects.none(), required=False)
    point = forms.ModelChoiceField(label=_("Point"), queryset=Point.objects.none(), required=False)
    site = forms.ModelChoiceField(label=_("Construction site"), queryset=Site.objects.none(), required=False)
    width_m = forms.DecimalField(
        label=_("Width (m)"), required=False, min_value=0, max_digits=6, decimal_places=2
    )
    height_m = forms.DecimalField(
        label=_("Height (m)"), required=False, min_value=0, max_digits=6, decimal_places=2
    )
    installed_on = forms.DateField(
        label=_("Installed on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    content_until = forms.DateField(
        label=_("Content valid until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    owner_unit = forms.ModelChoiceField(label=_("Owner unit"), queryset=Unit.objects.none())

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["road"].queryset = scoped(Road.objects.all(), user).order_by("name")
        self.fields["point"].queryset = scoped(Point.objects.filter(is_active=True), user).order_by("name")
        self.fields["site"].queryset = scoped(Site.objects.all(), user).order_by("name")
        self.fields["owner_unit"].queryset = scoped(Unit.objects.filter(is_active=True), user).order_by(
            "path"
        )
        _style(self)


class ConditionForm(forms.Form):
    condition = forms.ChoiceField(label=_("Condition found"), choices=Condition.choices)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)
    key = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)


class SiteForm(forms.Form):
    name = forms.CharField(label=_("Construction site"), max_length=120)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    hoarding_length_m = forms.IntegerField(label=_("Hoarding length (m)"), min_value=1, max_value=100000)
    owner_unit = forms.ModelChoiceField(label=_("Responsible unit"), queryset=Unit.objects.none())

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner_unit"].queryset = scoped(Unit.objects.filter(is_active=True), user).order_by(
            "path"
        )
        _style(self)


class RulesForm(forms.Form):
    max_gap_m = forms.IntegerField(
        label=_("Longest stretch without a placement (m)"), min_value=50, max_value=10000
    )
    hoarding_share_pct = forms.IntegerField(
        label=_("Public-welfare share of a hoarding (%)"), min_value=1, max_value=100
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)


class RequirementForm(forms.Form):
    point_type = forms.ModelChoiceField(
        label=_("Point type"), queryset=PointType.objects.filter(is_active=True)
    )
    minimum = forms.IntegerField(label=_("Placements required (0 removes)"), min_value=0, max_value=100)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)
