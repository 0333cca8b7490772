"""Forms of the materials pages."""

from __future__ import annotations

import secrets
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chuangwen.accounts.models import Role
from chuangwen.core.geo import BD09, GCJ02, WGS84
from chuangwen.materials.models import Cadence, Decision, MaterialRequirement, ReviewPolicy
from chuangwen.materials.periods import Period, format_named_dates, parse_named_dates

_DATE = forms.DateInput(attrs={"type": "date", "class": "form-control"})


def _bootstrap(form: forms.BaseForm) -> None:
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


class RequirementForm(forms.ModelForm):
    named_dates_text = forms.CharField(
        label=gettext_lazy("Named dates"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "One per line: a festival (端午节), a named day (质量月), or “label = 03-15”, "
            "“label = 09-01 +30” (30 days), “label = 2024-06-18”."
        ),
    )

    class Meta:
        model = MaterialRequirement
        fields = [
            "seq",
            "title",
            "kind",
            "cadence",
            "photos_min",
            "photos_max",
            "photos_total_max",
            "min_participants",
            "organiser_required",
            "words_min",
            "words_max",
            "window_from",
            "window_to",
            "notes",
            "source_text",
            "is_active",
        ]
        widgets = {
            "window_from": _DATE,
            "window_to": _DATE,
            "notes": forms.Textarea(attrs={"rows": 2}),
            "source_text": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, task: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.task = task
        if self.instance.pk and not self.is_bound:
            self.initial["named_dates_text"] = format_named_dates(self.instance.named_dates)
        _bootstrap(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        entries, errors = parse_named_dates(data.get("named_dates_text", ""))
        for error in errors:
            self.add_error("named_dates_text", error)
        if data.get("cadence") == Cadence.NAMED_DATES and not entries and not errors:
            self.add_error("named_dates_text", _("Name at least one date for this cadence."))
        self.instance.named_dates = entries
        for low, high in (
            ("photos_min", "photos_max"),
            ("words_min", "words_max"),
            ("window_from", "window_to"),
        ):
            if data.get(low) is not None and data.get(high) is not None and data[low] > data[high]:
                self.add_error(high, _("Must not be below the lower bound."))
        return data

    def save(self, commit: bool = True) -> MaterialRequirement:
        if self.task is not None and not self.instance.task_id:
            self.instance.task = self.task
        return super().save(commit)


class SubmissionForm(forms.Form):
    unit = forms.ModelChoiceField(queryset=None, label=gettext_lazy("Unit"))
    period = forms.ChoiceField(label=gettext_lazy("Period"), required=False)
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    activity_date = forms.DateField(label=gettext_lazy("Activity date"), required=False, widget=_DATE)
    place = forms.CharField(label=gettext_lazy("Place"), max_length=200, required=False)
    latitude = forms.CharField(
        label=gettext_lazy("Latitude"), required=False, widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )
    longitude = forms.CharField(
        label=gettext_lazy("Longitude"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    datum = forms.ChoiceField(
        label=gettext_lazy("Coordinates from"),
        required=False,
        initial=WGS84,
        choices=[
            (WGS84, gettext_lazy("Phone GPS (WGS-84)")),
            (GCJ02, gettext_lazy("Amap / Tencent map (GCJ-02)")),
            (BD09, gettext_lazy("Baidu map (BD-09)")),
        ],
    )
    organiser = forms.CharField(label=gettext_lazy("Organiser (主办单位)"), max_length=120, required=False)
    participants = forms.IntegerField(
        label=gettext_lazy("Participants"), min_value=0, max_value=1_000_000, required=False
    )
    description = forms.CharField(
        label=gettext_lazy("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    keep_photos = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Keep photos of the previous version"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    keep_documents = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Keep documents of the previous version"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)

    def __init__(
        self,
        *args: Any,
        units: Any,
        periods: list[Period],
        previous: Any = None,
        dated: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        if units.count() == 1:
            self.fields["unit"].initial = units.first().pk
        auto = [("", _("From the activity date"))] if dated else []
        self.fields["period"].choices = auto + [(p.key, p.label) for p in periods]
        if not dated:
            for name in (
                "activity_date",
                "place",
                "latitude",
                "longitude",
                "datum",
                "organiser",
                "participants",
            ):
                del self.fields[name]
        if previous is None:
            del self.fields["keep_photos"]
            del self.fields["keep_documents"]
        else:
            self.fields["keep_photos"].choices = [(p.pk, p.original_name) for p in previous.photos.all()]
            self.fields["keep_documents"].choices = [
                (d.pk, d.original_name) for d in previous.documents.all()
            ]
            if not self.is_bound:
                self.initial.update(
                    {
                        "unit": previous.unit_id,
                        "period": previous.period,
                        "title": previous.title,
                        "activity_date": previous.activity_date,
                        "place": previous.place,
                        "latitude": previous.latitude if previous.latitude is not None else "",
                        "longitude": previous.longitude if previous.longitude is not None else "",
                        "organiser": previous.organiser,
                        "participants": previous.participants,
                        "description": previous.description,
                        "keep_photos": [p.pk for p in previous.photos.all()],
                        "keep_documents": [d.pk for d in previous.documents.all()],
                    }
                )
        if not self.is_bound:
            # A fresh key per form: resending this form (a phone's retry) finds the first upload.
            self.initial["idempotency_key"] = secrets.token_urlsafe(24)
        _bootstrap(self)


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(label=gettext_lazy("Decision"), choices=Decision.choices)
    comment = forms.CharField(
        label=gettext_lazy("Comments"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    revision = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _bootstrap(self)


ROLE_CHOICES = [
    (Role.UNIT_ADMIN, Role.UNIT_ADMIN.label),
    (Role.LIAISON, Role.LIAISON.label),
    (Role.OFFICE_ADMIN, Role.OFFICE_ADMIN.label),
    (Role.LEADER, Role.LEADER.label),
    (Role.INSPECTOR, Role.INSPECTOR.label),
]


class PolicyForm(forms.ModelForm):
    first_roles = forms.MultipleChoiceField(
        label=gettext_lazy("First review (初审)"),
        choices=ROLE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    second_roles = forms.MultipleChoiceField(
        label=gettext_lazy("Second review (复审)"),
        choices=ROLE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    final_roles = forms.MultipleChoiceField(
        label=gettext_lazy("Final review (终审)"),
        choices=ROLE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = ReviewPolicy
        fields = ["first_roles", "second_roles", "final_roles", "separate_reviewers"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _bootstrap(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not any(data.get(f) for f in ("first_roles", "second_roles", "final_roles")):
            raise forms.ValidationError(_("At least one level needs reviewers."))
        return data
