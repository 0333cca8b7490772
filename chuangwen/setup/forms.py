"""Forms of the setup page, one per step that writes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chuangwen.campaigns.models import CampaignLevel
from chuangwen.campaigns.services import STANDARD_PHASES, PhaseSpec, standard_phases
from chuangwen.core.errors import DomainError
from chuangwen.org.models import UnitKind
from chuangwen.setup.services import CATALOGUE_LABELS, CATALOGUES

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
PHASE_ROWS = 4


def _style(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")


class RootForm(forms.Form):
    name = forms.CharField(label=_("Name of the city, district or county"), max_length=120)
    code = forms.CharField(
        label=_("Code"), max_length=40, help_text=_("e.g. the administrative division code, 330106")
    )
    kind = forms.ChoiceField(
        label=_("kind"), choices=[(k, UnitKind(k).label) for k in (UnitKind.CITY, UnitKind.DISTRICT)]
    )
    office_name = forms.CharField(
        label=_("Campaign office"),
        max_length=120,
        required=False,
        help_text=_("The unit that runs the campaign, e.g. 区文明办 (default: the root's name + 创建办)."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)


class AdminForm(forms.Form):
    username = forms.RegexField(
        label=_("username"),
        regex=r"^[\w.@+-]+$",
        max_length=150,
        error_messages={"invalid": _("Letters, digits and @/./+/-/_ only.")},
    )
    display_name = forms.CharField(label=_("display name"), max_length=60, required=False)
    phone = forms.CharField(label=_("phone"), max_length=20, required=False)
    password = forms.CharField(
        label=_("initial password"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Leave empty to generate one; the new admin must change it at first sign-in."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)


class CampaignSetupForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=120)
    level = forms.ChoiceField(label=_("level"), choices=CampaignLevel.choices)
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)
    inspection_start = forms.DateField(label=_("inspection window opens"), widget=DATE)
    inspection_end = forms.DateField(label=_("inspection window closes"), widget=DATE, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["year"].initial = today.year
        for n, (name, _items) in enumerate(STANDARD_PHASES, start=1):
            self.fields[f"phase{n}_name"] = forms.CharField(
                label=_("Phase %(n)d") % {"n": n}, max_length=120, required=False, initial=name
            )
            self.fields[f"phase{n}_start"] = forms.DateField(label=_("starts"), widget=DATE, required=False)
            self.fields[f"phase{n}_end"] = forms.DateField(label=_("ends"), widget=DATE, required=False)
        _style(self)

    def phase_rows(self) -> list[tuple[Any, Any, Any]]:
        return [
            (self[f"phase{n}_name"], self[f"phase{n}_start"], self[f"phase{n}_end"])
            for n in range(1, PHASE_ROWS + 1)
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("inspection_start"), data.get("inspection_end")
        if start and end and end < start:
            self.add_error("inspection_end", _("The inspection window closes before it opens."))
        phases: list[PhaseSpec] = []
        rows = [
            (
                (data.get(f"phase{n}_name") or "").strip(),
                data.get(f"phase{n}_start"),
                data.get(f"phase{n}_end"),
                n,
            )
            for n in range(1, PHASE_ROWS + 1)
        ]
        dated = any(begin or finish for name, begin, finish, _n in rows if name)
        for name, begin, finish, n in rows:
            if not name:
                continue
            if dated and not (begin and finish):
                self.add_error(f"phase{n}_start", _("Give both dates of every phase, or no dates at all."))
            elif dated and finish < begin:
                self.add_error(f"phase{n}_end", _("A phase cannot end before it starts."))
            else:
                phases.append(PhaseSpec(name, begin or dt.date.min, finish or dt.date.min))
        if not dated and start:
            # No dates at all: the phases are spread from today to the inspection.
            try:
                spread = standard_phases(timezone.localdate(), start)
            except DomainError as exc:
                self.add_error("inspection_start", str(exc))
                spread = []
            phases = [PhaseSpec(p.name, s.start, s.end) for p, s in zip(phases, spread, strict=False)]
        data["phases"] = phases
        return data


class CataloguesForm(forms.Form):
    load = forms.MultipleChoiceField(
        label=_("Load the shipped catalogues"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[
            ("categories", CATALOGUE_LABELS["categories"]),
            ("checklists", _("point types and checklists")),
            ("indicators", _("evaluation system (2015 edition, excerpt)")),
        ],
        initial=list(CATALOGUES),
    )
