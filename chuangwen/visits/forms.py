"""Forms of the visit pages."""

from __future__ import annotations

import secrets
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from chuangwen.points.forms import bootstrap
from chuangwen.visits.models import Outcome


class RoundForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=120)
    unit = forms.ModelChoiceField(label=_("organised by"), queryset=None)
    start = forms.DateField(label=_("start"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("end"), widget=forms.DateInput(attrs={"type": "date"}))
    due = forms.DateField(label=_("due date"), widget=forms.DateInput(attrs={"type": "date"}))
    grids = forms.ModelMultipleChoiceField(label=_("grids"), queryset=None)
    buildings = forms.CharField(
        label=_("buildings"),
        required=False,
        help_text=_("One building per line; empty: every building of the grids."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, units: Any, grids: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["grids"].queryset = grids
        bootstrap(self)


class VisitForm(forms.Form):
    outcome = forms.ChoiceField(label=_("visit outcome"), choices=Outcome.choices, widget=forms.RadioSelect)
    materials = forms.CharField(label=_("materials handed out"), required=False, max_length=200)
    opinions = forms.CharField(
        label=_("opinions"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    difficulties = forms.CharField(
        label=_("difficulties"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    photo = forms.FileField(label=_("photo (optional)"), required=False)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("idempotency_key", secrets.token_urlsafe(24))
        self.fields["photo"].widget.attrs["accept"] = "image/*"
        bootstrap(self)
        self.fields["outcome"].widget.attrs["class"] = "form-check-input"


class ImportForm(forms.Form):
    file = forms.FileField(label=_("workbook (.xlsx)"))
    commit = forms.BooleanField(label=_("import now (otherwise check only)"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


class ProblemForm(forms.Form):
    category = forms.ModelChoiceField(label=_("category"), queryset=None)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from chuangwen.problems.models import ProblemCategory

        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = ProblemCategory.objects.filter(
            parent__isnull=False, is_active=True
        )
        bootstrap(self)
