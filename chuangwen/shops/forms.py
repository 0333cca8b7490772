"""Forms of the shop pages; every input has a label."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from chuangwen.accounts.scope import scoped
from chuangwen.org.models import Grid, Road, Unit
from chuangwen.problems.forms import CategoryChoiceField
from chuangwen.shops.models import Category, Duty


class ShopForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    lat = forms.FloatField(label=_("Latitude (WGS-84)"), required=False, min_value=-90, max_value=90)
    lng = forms.FloatField(label=_("Longitude (WGS-84)"), required=False, min_value=-180, max_value=180)
    road = forms.ModelChoiceField(label=_("Road"), queryset=Road.objects.none(), required=False)
    grid = forms.ModelChoiceField(label=_("Grid"), queryset=Grid.objects.none(), required=False)
    unit = forms.ModelChoiceField(
        label=_("Responsible unit"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("Left empty: the grid's unit, else the road chief's unit."),
    )
    walk_order = forms.IntegerField(
        label=_("Order along the road"), required=False, min_value=0, max_value=100000
    )
    licence_no = forms.CharField(label=_("Business licence number"), max_length=40, required=False)
    licence_seen = forms.BooleanField(label=_("Business licence seen"), required=False)
    licence_expiry = forms.DateField(
        label=_("Business licence expires"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    food_licence_seen = forms.BooleanField(label=_("Food business licence seen"), required=False)
    food_licence_expiry = forms.DateField(
        label=_("Food business licence expires"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    contact_name = forms.CharField(label=_("Contact person"), max_length=60, required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=20, required=False)
    duties = forms.MultipleChoiceField(
        label=_("Duties"), choices=Duty.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["road"].queryset = scoped(Road.objects.all(), user).order_by("name")
        self.fields["grid"].queryset = scoped(Grid.objects.all(), user).order_by("code")
        self.fields["unit"].queryset = scoped(Unit.objects.filter(is_active=True), user).order_by("path")
        for field in self.fields.values():
            if isinstance(field.widget, forms.CheckboxInput):
                field.widget.attrs["class"] = "form-check-input"
            elif not isinstance(field.widget, forms.CheckboxSelectMultiple):
                field.widget.attrs["class"] = (
                    "form-select" if isinstance(field.widget, forms.Select) else "form-control"
                )


class PledgeForm(forms.Form):
    signed_on = forms.DateField(
        label=_("Signed on"), widget=forms.DateInput(attrs={"type": "date", "class": "form-control"})
    )
    scan = forms.FileField(
        label=_("Photo or scan of the signed page"),
        widget=forms.ClearableFileInput(attrs={"class": "form-control"}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class PhotoForm(forms.Form):
    photos = forms.FileField(
        label=_("Photos of the frontage"),
        widget=forms.ClearableFileInput(
            attrs={"class": "form-control", "accept": "image/*", "capture": "environment"}
        ),
    )
    key = forms.CharField(widget=forms.HiddenInput, required=False)


class ReportForm(forms.Form):
    category = CategoryChoiceField(label=_("Category"))
    description = forms.CharField(
        label=_("What was found"), widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"})
    )
    key = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].widget.attrs["class"] = "form-select"


class RulesForm(forms.Form):
    notice_after = forms.IntegerField(
        label=_("Problems that raise a rectification notice"), min_value=1, max_value=100
    )
    window_days = forms.IntegerField(label=_("Counted over the last (days)"), min_value=1, max_value=3650)
    expose_after = forms.IntegerField(
        label=_("Notices that put a shop on the exposure list"), min_value=1, max_value=100
    )
    five_duties = forms.BooleanField(label=_("Five duties (五包) instead of three"), required=False)


class RoadLineForm(forms.Form):
    road = forms.ModelChoiceField(label=_("Road"), queryset=Road.objects.all().order_by("name"))
    geometry = forms.CharField(
        label=_("Line (GeoJSON LineString)"),
        widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
        help_text=_('For example {"type": "LineString", "coordinates": [[120.1, 30.2], [120.11, 30.2]]}'),
    )
    is_main = forms.BooleanField(label=_("Main or commercial street"), required=False)
