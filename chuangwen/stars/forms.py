"""Forms of star ratings: the scheme (thresholds and aspects) and opening a rating."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from chuangwen.stars.services import AspectInput


class SetupForm(forms.Form):
    star_threshold = forms.DecimalField(
        label=_("Score that earns a star"),
        min_value=0,
        max_value=10,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"class": "form-control", "step": "0.5"}),
    )
    top_stars = forms.IntegerField(
        label=_("Stars for the top title (十星级)"),
        min_value=1,
        max_value=50,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )
    pass_stars = forms.IntegerField(
        label=_("Stars to pass (达标)"),
        min_value=1,
        max_value=50,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )
    aspects = forms.CharField(
        label=_("Aspects"),
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 12}),
        help_text=_("One aspect per line, optionally “name | what is checked”. Each is scored 0–10."),
    )

    def aspect_inputs(self) -> list[AspectInput]:
        out = []
        for line in self.cleaned_data["aspects"].splitlines():
            name, _sep, description = line.replace("｜", "|").partition("|")
            if name.strip():
                out.append(AspectInput(name.strip(), description.strip()))
        return out


class OpenForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Community"), queryset=None)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].widget.attrs["class"] = "form-select"
        self.fields["year"].widget.attrs["class"] = "form-control"
