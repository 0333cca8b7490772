"""Forms of the problem pages. Every action form carries the version it was shown (conflicts)."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chuangwen.core.geo import PositionError, parse_position
from chuangwen.core.text import normalize_phone
from chuangwen.org.models import Unit
from chuangwen.org.widgets import UnitTreeSelect
from chuangwen.problems.models import CalendarDay, ProblemCategory, Source, Urgency
from chuangwen.problems.photos import MAX_PHOTOS


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """Several photos from one input (the phone's camera or gallery)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        attrs = {"accept": "image/jpeg,image/png,image/webp", "class": "form-control", "multiple": True}
        attrs.update(kwargs.pop("attrs", {}))
        kwargs.setdefault("widget", MultipleFileInput(attrs=attrs))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        if len(files) > MAX_PHOTOS:
            raise forms.ValidationError(_("At most %(n)d photos at a time.") % {"n": MAX_PHOTOS})
        if self.required and not files:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return [super(MultiplePhotoField, self).clean(f, initial) for f in files]


def _style(form: forms.Form) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, (forms.HiddenInput, forms.CheckboxInput, forms.RadioSelect)):
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            continue
        widget.attrs.setdefault(
            "class", "form-select" if isinstance(widget, forms.Select) else "form-control"
        )


class GroupedCategoryIterator(forms.models.ModelChoiceIterator):
    """An <optgroup> per major category; the options are its minor categories."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        groups: dict[str, list[Any]] = {}
        for category in self.queryset:
            groups.setdefault(str(category.parent), []).append(self.choice(category))
        yield from groups.items()


class CategoryChoiceField(forms.ModelChoiceField):
    """Minor categories grouped under their major category, each with its time limit."""

    iterator = GroupedCategoryIterator

    def __init__(self, **kwargs: Any) -> None:
        queryset = ProblemCategory.objects.filter(is_active=True, parent__isnull=False).select_related(
            "parent"
        )
        super().__init__(queryset=queryset.order_by("sort_order", "id"), **kwargs)

    def label_from_instance(self, obj: ProblemCategory) -> str:
        limit = obj.limit_display()
        return f"{obj.name}（{limit}）" if limit else obj.name


STAFF_SOURCES = [c for c in Source.choices if c[0] != Source.CITIZEN]


class ReportForm(forms.Form):
    """The staff phone page: category, what and where, photos."""

    category = CategoryChoiceField(label=_("Category"))
    description = forms.CharField(
        label=_("What is wrong"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    photos = MultiplePhotoField(label=_("Photos"), attrs={"capture": "environment"})
    address = forms.CharField(label=_("Address or landmark"), max_length=200, required=False)
    lat = forms.CharField(required=False, widget=forms.HiddenInput)
    lng = forms.CharField(required=False, widget=forms.HiddenInput)
    source = forms.ChoiceField(label=_("Source of the problem"), choices=STAFF_SOURCES, initial=Source.PATROL)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial=Urgency.NORMAL)
    point_ref = forms.CharField(label=_("Point code"), max_length=64, required=False)
    # A fresh key per page view: a double tap or a resent request files the problem once.
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False)
    # A problem number (one the reporter may open) or the opaque choice the page offered.
    same_as = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)
    nearby_seen = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4().hex)
        _style(self)
        self.fields["description"].widget.attrs["placeholder"] = _(
            "e.g. stalls blocking the pavement at the east gate"
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        lat, lng = data.get("lat"), data.get("lng")
        data["position"] = None
        if lat or lng:
            try:
                data["position"] = parse_position(lat, lng)
            except PositionError as exc:
                self.add_error(None, str(exc))
        if data["position"] is None and not data.get("address") and not data.get("point_ref"):
            self.add_error("address", _("Give the address, or allow the page to use your location."))
        return data


class PublicReportForm(forms.Form):
    """The public 随手拍 page: no login; a honeypot field that people never see."""

    category = CategoryChoiceField(label=_("What kind of problem"))
    description = forms.CharField(
        label=_("Describe it"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000
    )
    photos = MultiplePhotoField(label=_("Photos"), attrs={"capture": "environment"})
    address = forms.CharField(label=_("Where"), max_length=200, required=False)
    lat = forms.CharField(required=False, widget=forms.HiddenInput)
    lng = forms.CharField(required=False, widget=forms.HiddenInput)
    phone = forms.CharField(label=_("Your phone (optional)"), max_length=20, required=False)
    website = forms.CharField(required=False, label=_("Leave this empty"))  # the honeypot
    # Made when the page is shown: the same form sent again (a double tap, a resend after a lost
    # answer) files one problem, not one per tap.
    idempotency_key = forms.RegexField(
        regex=r"^[0-9a-f]{32}$", widget=forms.HiddenInput, required=False, max_length=32
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4().hex)
        _style(self)
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    def clean_phone(self) -> str:
        raw = self.cleaned_data.get("phone", "")
        if raw and normalize_phone(raw) is None:
            raise forms.ValidationError(_("Not a valid phone number."))
        return normalize_phone(raw) or ""

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        data["position"] = None
        if data.get("lat") or data.get("lng"):
            try:
                data["position"] = parse_position(data.get("lat"), data.get("lng"))
            except PositionError as exc:
                self.add_error(None, str(exc))
        if data["position"] is None and not data.get("address"):
            self.add_error("address", _("Tell us where, or allow the page to use your location."))
        return data


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class DispatchForm(VersionForm):
    unit = forms.ModelChoiceField(
        label=_("Responsible unit"), queryset=Unit.objects.none(), widget=UnitTreeSelect()
    )
    force = forms.BooleanField(label=_("Force-assign (the unit cannot return it)"), required=False)
    deadline = forms.DateTimeField(
        label=_("Deadline (empty: from the category's time limit)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    verify_unit = forms.ModelChoiceField(
        label=_("Verified by"), queryset=Unit.objects.none(), required=False, widget=UnitTreeSelect()
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args: Any, units: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        queryset = (units if units is not None else Unit.objects.filter(is_active=True)).order_by("path")
        self.fields["unit"].queryset = queryset
        self.fields["verify_unit"].queryset = queryset
        _style(self)

    def clean_deadline(self):
        value = self.cleaned_data.get("deadline")
        if value and value <= timezone.now():
            raise forms.ValidationError(_("The deadline must be in the future."))
        return value


class ReasonForm(VersionForm):
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)


class SubmitForm(VersionForm):
    measures = forms.CharField(
        label=_("Measures taken"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    photos = MultiplePhotoField(label=_("Photos after rectification"), attrs={"capture": "environment"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)


class VerifyForm(VersionForm):
    passed = forms.TypedChoiceField(
        label=_("Result"),
        choices=[("1", _("Passed: close it")), ("0", _("Failed: back to the unit"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    photos = MultiplePhotoField(label=_("Photos on site"), attrs={"capture": "environment"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)


class ExtensionForm(VersionForm):
    until = forms.DateTimeField(
        label=_("New deadline"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)


class DecideExtensionForm(VersionForm):
    approve = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Approve")), ("0", _("Refuse"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)


class DuplicateForm(VersionForm):
    """Merge into a problem picked from those reported nearby (same category, open), or into
    one whose number is typed when it is not in that list."""

    nearby = forms.TypedChoiceField(
        label=_("Same as a problem nearby"), coerce=int, required=False, empty_value=None,
        widget=forms.RadioSelect,
    )  # fmt: skip
    original = forms.IntegerField(label=_("Or its number"), min_value=1, required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args: Any, nearby: list[tuple[int, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if nearby:
            self.fields["nearby"].choices = nearby
        else:
            del self.fields["nearby"]
            self.fields["original"].label = _("Same as problem number")
        _style(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        chosen = data.get("nearby") or data.get("original")
        if not chosen and not self.errors:
            raise forms.ValidationError(_("Choose the problem it repeats, or type its number."))
        data["original"] = chosen
        return data


class BulkDispatchForm(forms.Form):
    """The console's bulk assignment: checked rows carry "id:version"."""

    unit = forms.ModelChoiceField(
        label=_("Assign to"),
        queryset=Unit.objects.filter(is_active=True).order_by("path"),
        widget=UnitTreeSelect(),
    )
    force = forms.BooleanField(label=_("Force-assign"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(is_active=True).order_by("path")
        _style(self)


class CalendarDayForm(forms.ModelForm):
    class Meta:
        model = CalendarDay
        fields = ["date", "kind", "name"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel file (.xlsx)"))
    commit = forms.BooleanField(
        label=_("Save the rows (leave unticked for a dry run that only checks)"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)
