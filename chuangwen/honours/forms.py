"""Forms of the honour pages; every input has a label."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chuangwen.accounts.scope import scoped
from chuangwen.honours.models import SELECTION_KINDS, HonourStatus, Kind, Level, Outcome
from chuangwen.org.models import Unit


def _style(form: forms.Form) -> None:
    for field in form.fields.values():
        if isinstance(field.widget, forms.Select):
            field.widget.attrs["class"] = "form-select"
        elif not isinstance(field.widget, forms.HiddenInput | forms.CheckboxInput):
            field.widget.attrs["class"] = "form-control"


class HonourForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    kind = forms.ChoiceField(label=_("Title"), choices=Kind.choices)
    level = forms.ChoiceField(label=_("Level"), choices=Level.choices)
    year = forms.IntegerField(label=_("Year"), min_value=1949, max_value=2100)
    holder_name = forms.CharField(label=_("Holder (family or person)"), max_length=120, required=False)
    awarded_by = forms.CharField(label=_("Awarded by"), max_length=120, required=False)
    status = forms.ChoiceField(
        label=_("Record as"),
        choices=[(HonourStatus.HELD, _("Title held")), (HonourStatus.CANDIDATE, _("Candidate"))],
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = scoped(Unit.objects.filter(is_active=True), user).order_by("path")
        self.fields["year"].initial = timezone.localdate().year
        _style(self)


class RecheckForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=1949, max_value=2100)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year
        _style(self)


class SelectionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=[c for c in Kind.choices if c[0] in SELECTION_KINDS])
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("Title"), max_length=120)
    nominations_until = forms.DateField(
        label=_("Nominations until"), widget=forms.DateInput(attrs={"type": "date"})
    )
    objection_contact = forms.CharField(label=_("Where to send objections"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year
        _style(self)


class NominationForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Nominating unit"), queryset=Unit.objects.none())
    nominee = forms.CharField(label=_("Nominee"), max_length=120)
    story = forms.CharField(
        label=_("Story (事迹)"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6})
    )
    key = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = scoped(Unit.objects.filter(is_active=True), user).order_by("path")
        _style(self)


class NoticeForm(forms.Form):
    notice_from = forms.DateField(
        label=_("Public notice from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    notice_until = forms.DateField(
        label=_("Objections until"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)
