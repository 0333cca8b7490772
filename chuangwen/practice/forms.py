"""Forms of the practice ledger pages."""

from __future__ import annotations

import secrets
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chuangwen.points.forms import bootstrap
from chuangwen.practice.models import STANDARD_ITEMS, Theme


class EntryForm(forms.Form):
    date = forms.DateField(label=_("date"), widget=forms.DateInput(attrs={"type": "date"}))
    theme = forms.ChoiceField(label=_("theme"), choices=Theme.choices)
    title = forms.CharField(label=_("title"), max_length=120)
    organiser = forms.CharField(label=_("organiser"), max_length=120)
    participants = forms.IntegerField(label=_("participants"), min_value=0, max_value=100_000)
    attendees = forms.CharField(
        label=_("who took part"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    record = forms.CharField(
        label=_("record"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("date", timezone.localdate())
        self.initial.setdefault("idempotency_key", secrets.token_urlsafe(24))
        bootstrap(self)


class StandardsForm(forms.Form):
    def __init__(self, *args: Any, checks: dict[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        checks = checks or {}
        for key, label in STANDARD_ITEMS:
            check = checks.get(key)
            self.fields[f"met_{key}"] = forms.BooleanField(
                label=label, required=False, initial=bool(check and check.met)
            )
            self.fields[f"note_{key}"] = forms.CharField(
                label=_("note"), required=False, max_length=200, initial=check.note if check else ""
            )
        bootstrap(self)

    def values(self) -> dict[str, tuple[bool, str]]:
        return {
            key: (self.cleaned_data[f"met_{key}"], self.cleaned_data[f"note_{key}"])
            for key, _label in STANDARD_ITEMS
        }
