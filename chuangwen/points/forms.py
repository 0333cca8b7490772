from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from chuangwen.accounts.scope import scoped, unit_choices
from chuangwen.core import geo
from chuangwen.org.models import Grid, Person
from chuangwen.points.models import ChecklistItem, Datum, DutyCategory, DutyRoster, Point, PointType


def bootstrap(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.CheckboxSelectMultiple):
            continue
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")


class PointForm(forms.ModelForm):
    position_lat = forms.FloatField(label=_("latitude"), required=False)
    position_lng = forms.FloatField(label=_("longitude"), required=False)
    datum = forms.ChoiceField(
        label=_("coordinate system of the figures above"),
        choices=Datum.choices,
        initial=Datum.GCJ02,
        help_text=_(
            "Positions copied from Amap or Tencent maps are GCJ-02; from Baidu, BD-09; from a phone's GPS, WGS-84."
        ),
    )

    class Meta:
        model = Point
        fields = [
            "name",
            "code",
            "point_type",
            "address",
            "radius_m",
            "unit",
            "grid",
            "leader",
            "cadre",
            "is_key",
            "is_fixed",
            "is_active",
            "note",
        ]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["point_type"].queryset = PointType.objects.filter(is_active=True)
        self.fields["unit"].queryset = unit_choices(user).order_by("path")
        self.fields["grid"].queryset = scoped(Grid.objects.all(), user)
        people = scoped(Person.objects.filter(is_active=True), user).select_related("unit")
        self.fields["leader"].queryset = people
        self.fields["cadre"].queryset = people
        point = self.instance
        if point.pk and point.has_location:
            self.initial.setdefault(
                "position_lat", point.input_lat if point.input_lat is not None else point.lat
            )
            self.initial.setdefault(
                "position_lng", point.input_lng if point.input_lng is not None else point.lng
            )
            self.initial.setdefault("datum", point.input_datum)
        bootstrap(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        lat, lng = data.get("position_lat"), data.get("position_lng")
        if (lat is None) != (lng is None):
            raise forms.ValidationError(_("Give both latitude and longitude, or neither."))
        if lat is not None:
            try:
                geo.parse_position(lat, lng)
            except geo.PositionError as exc:
                raise forms.ValidationError(str(exc)) from exc
        code = data.get("code", "")
        if code and Point.objects.filter(code=code).exclude(pk=self.instance.pk).exists():
            self.add_error("code", _("Another point already has this code."))
        return data


class PointTypeForm(forms.ModelForm):
    class Meta:
        model = PointType
        fields = ["code", "name", "group", "typical_checks", "sort_order", "is_active"]
        widgets = {"typical_checks": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


class ChecklistItemForm(forms.ModelForm):
    params = forms.CharField(
        label=_("parameters"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": '{"walk_m": 200, "min_count": 1}'}),
        help_text=_(
            'JSON, e.g. {"walk_m": 200}, {"lamp_rate_min": 0.95}, {"max_count": 3}, {"deduct": 0.5}.'
        ),
    )

    class Meta:
        model = ChecklistItem
        fields = [
            "number",
            "text",
            "indicator_code",
            "check_mode",
            "params",
            "scoring",
            "points",
            "weight",
            "is_active",
        ]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["params"] = (
                json.dumps(self.instance.params, ensure_ascii=False) if self.instance.params else ""
            )
        bootstrap(self)

    def clean_params(self) -> dict[str, Any]:
        raw = (self.cleaned_data.get("params") or "").strip()
        if not raw:
            return {}
        try:
            value = json.loads(raw)
        except ValueError as exc:
            raise forms.ValidationError(_("Not valid JSON.")) from exc
        if not isinstance(value, dict):
            raise forms.ValidationError(_('Parameters must be an object like {"walk_m": 200}.'))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        number = data.get("number")
        point_type = self.instance.point_type if self.instance.point_type_id else None
        if (
            number
            and point_type
            and (
                ChecklistItem.objects.filter(point_type=point_type, number=number)
                .exclude(pk=self.instance.pk)
                .exists()
            )
        ):
            self.add_error("number", _("This point type already has an item with this number."))
        return data


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel file (.xlsx)"))
    commit = forms.BooleanField(label=_("Write the changes (otherwise only check the file)"), required=False)

    def __init__(self, *args: Any, with_datum: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if with_datum:
            self.fields["datum"] = forms.ChoiceField(
                label=_("coordinate system when the file does not say"),
                choices=Datum.choices,
                initial=Datum.GCJ02,
            )
        bootstrap(self)


WEEKDAYS = [
    ("1", _("Mon")),
    ("2", _("Tue")),
    ("3", _("Wed")),
    ("4", _("Thu")),
    ("5", _("Fri")),
    ("6", _("Sat")),
    ("7", _("Sun")),
]
_WINDOW = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*[-–~至到]\s*(\d{1,2}):(\d{2})\s*$")


def parse_windows(text: str) -> list[list[str]]:
    """'07:00-09:00; 17:00-19:00' → [["07:00", "09:00"], ["17:00", "19:00"]]."""
    windows = []
    for part in re.split(r"[;,，；、\n]+", text or ""):
        if not part.strip():
            continue
        match = _WINDOW.match(part)
        if not match:
            raise forms.ValidationError(_("Write time windows like 07:00-09:00; 17:00-19:00."))
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        try:
            start, end = dt.time(h1, m1), dt.time(h2, m2)
        except ValueError as exc:
            raise forms.ValidationError(_("Write time windows like 07:00-09:00; 17:00-19:00.")) from exc
        if start == end:
            raise forms.ValidationError(_("A time window cannot start and end at the same time."))
        windows.append([start.strftime("%H:%M"), end.strftime("%H:%M")])
    if not windows:
        raise forms.ValidationError(_("Give at least one time window."))
    return windows


class RosterForm(forms.ModelForm):
    weekday_list = forms.MultipleChoiceField(
        label=_("weekdays"),
        choices=WEEKDAYS,
        widget=forms.CheckboxSelectMultiple,
        initial=[c for c, _l in WEEKDAYS],
    )
    window_text = forms.CharField(
        label=_("time windows"),
        initial="07:00-09:00; 17:00-19:00",
        help_text=_("e.g. 07:00-09:00; 17:00-19:00"),
    )

    class Meta:
        model = DutyRoster
        fields = ["point", "unit", "name", "start_date", "end_date", "required_count", "people", "note"]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "people": forms.SelectMultiple(attrs={"size": 8}),
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["point"].queryset = scoped(Point.objects.filter(is_active=True), user)
        self.fields["unit"].queryset = unit_choices(user).order_by("path")
        self.fields["people"].queryset = scoped(Person.objects.filter(is_active=True), user).select_related(
            "unit"
        )
        if self.instance.pk:
            self.initial["weekday_list"] = list(self.instance.weekdays)
            self.initial["window_text"] = "; ".join(f"{a}-{b}" for a, b in self.instance.windows)
        bootstrap(self)

    def clean_window_text(self) -> list[list[str]]:
        return parse_windows(self.cleaned_data.get("window_text", ""))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end:
            if end < start:
                self.add_error("end_date", _("The end date is before the start date."))
            elif (end - start).days > 366:
                self.add_error("end_date", _("A roster covers at most one year."))
        return data

    def save(self, commit: bool = True) -> DutyRoster:
        self.instance.weekdays = "".join(sorted(self.cleaned_data["weekday_list"]))
        self.instance.windows = self.cleaned_data["window_text"]
        return super().save(commit=commit)


class ShiftForm(forms.Form):
    people = forms.ModelMultipleChoiceField(
        label=_("people"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    required_count = forms.IntegerField(label=_("people required"), min_value=0, max_value=100)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = scoped(Person.objects.filter(is_active=True), user).select_related(
            "unit"
        )
        bootstrap(self)


class DutyLogForm(forms.Form):
    category = forms.ChoiceField(label=_("category"), choices=DutyCategory.choices)
    count = forms.IntegerField(label=_("count"), min_value=1, max_value=10_000, initial=1)
    note = forms.CharField(label=_("note"), required=False, max_length=300)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)
