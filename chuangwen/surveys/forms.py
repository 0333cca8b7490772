from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from chuangwen.accounts.models import Role, User
from chuangwen.accounts.scope import scoped, unit_choices
from chuangwen.campaigns.models import Campaign
from chuangwen.org.models import UnitKind
from chuangwen.surveys.models import Measure, Question, Questionnaire, Round

_AGE_BAND = re.compile(r"^\s*(\d{1,3})\s*[-–—~～]\s*(\d{1,3})\s*$")


def _style(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")


class QuestionnaireForm(forms.ModelForm):
    template = forms.ChoiceField(
        label=_("Start from"),
        required=False,
        choices=[
            ("", _("nothing (import an XLSForm afterwards)")),
            (
                "citizen",
                _("the standard citizens' questionnaire (screening, awareness, support, satisfaction)"),
            ),
            ("hotline", _("12345 hotline callbacks (resolved, satisfaction)")),
        ],
    )

    class Meta:
        model = Questionnaire
        fields = ["campaign", "name", "audience", "threshold", "intro"]
        widgets = {"intro": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = scoped(Campaign.objects.all(), user)
        if self.instance.pk:
            del self.fields["template"]
            self.fields["campaign"].disabled = True
        _style(self)


class QuestionForm(forms.ModelForm):
    """A question's wording and scoring, with one value field per option."""

    class Meta:
        model = Question
        fields = ["label", "hint", "required", "measure", "indicator_code", "threshold", "count_unsure"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.options = list(self.instance.options.all())
        for option in self.options:
            self.fields[f"option_{option.pk}"] = forms.DecimalField(
                label=option.label,
                required=False,
                min_value=Decimal("0"),
                max_value=Decimal("1"),
                max_digits=5,
                decimal_places=3,
                initial=option.value,
                help_text=_("empty = “don't know”, left out of the rate unless counted"),
            )
        if not self.instance.questionnaire.is_editable:
            self.fields["required"].disabled = True
        _style(self)

    def option_values(self) -> dict[int, Decimal | None]:
        return {o.pk: self.cleaned_data.get(f"option_{o.pk}") for o in self.options}

    def option_fields(self) -> list[forms.BoundField]:
        return [self[f"option_{o.pk}"] for o in self.options]


class BandForm(forms.Form):
    measure = forms.ChoiceField(
        label=_("measure"), choices=[("", _("every measure"))] + list(Measure.choices), required=False
    )
    grade = forms.CharField(label=_("grade"), max_length=4)
    lower = forms.DecimalField(
        label=_("rate above"), required=False, min_value=0, max_value=1, max_digits=4, decimal_places=3,
        help_text=_("empty for the last grade"),
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)


BandFormSet = forms.formset_factory(BandForm, extra=2, can_delete=True)


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Excel file (.xlsx)"))
    commit = forms.BooleanField(
        label=_("Write it (otherwise only check)"),
        required=False,
        help_text=_("Leave unticked for a dry run."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > settings.UPLOAD_MAX_BYTES:
            raise forms.ValidationError(_("The file is too large."))
        return upload


class RoundForm(forms.ModelForm):
    class Meta:
        model = Round
        fields = ["name", "mode", "starts_on", "ends_on", "require_phone", "rate_limit_per_hour"]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.responses.exists():
            self.fields["mode"].disabled = True
        _style(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            raise forms.ValidationError(_("The round cannot end before it starts."))
        return data


class QuotaPlanForm(forms.Form):
    parent = forms.ModelChoiceField(label=_("within"), queryset=None)
    kind = forms.ChoiceField(label=_("areas of kind"), choices=UnitKind.choices, initial=UnitKind.COMMUNITY)
    per_area = forms.IntegerField(label=_("interviews per area"), min_value=1, max_value=10000, initial=20)
    split_sex = forms.BooleanField(label=_("split evenly by sex"), required=False)
    age_bands = forms.CharField(
        label=_("age bands"), required=False, help_text=_("e.g. 18-35, 36-50, 51-65; empty for no age quota")
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = unit_choices(user).order_by("path")
        _style(self)

    def clean_age_bands(self) -> list[tuple[int, int]]:
        bands = []
        for part in re.split(r"[,，、;；\s]+", self.cleaned_data.get("age_bands", "").strip()):
            if not part:
                continue
            match = _AGE_BAND.match(part)
            if not match or int(match.group(1)) > int(match.group(2)):
                raise forms.ValidationError(_("Write age bands like 18-35, 36-50."))
            bands.append((int(match.group(1)), int(match.group(2))))
        return bands


class AssignmentForm(forms.Form):
    enumerator = forms.ModelChoiceField(label=_("enumerator"), queryset=None)
    unit = forms.ModelChoiceField(label=_("area"), queryset=None)
    note = forms.CharField(label=_("note"), max_length=200, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["enumerator"].queryset = (
            User.objects.filter(is_active=True, memberships__role=Role.ENUMERATOR)
            .distinct()
            .order_by("username")
        )
        self.fields["unit"].queryset = unit_choices(user).order_by("path")
        _style(self)


class VoidForm(forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)
