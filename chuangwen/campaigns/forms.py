"""Forms of the campaign pages: the campaign, phases, deliverables, 指挥部 posts, working groups."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from chuangwen.accounts.forms import UnitField
from chuangwen.accounts.scope import unit_choices
from chuangwen.campaigns.models import (
    Campaign,
    CommandPost,
    DeliverableStatus,
    Phase,
    PhaseTask,
    WorkingGroup,
)
from chuangwen.core.text import normalize_phone
from chuangwen.org.models import Person, Unit


class UnitNameField(UnitField):
    """A unit typed by name or code (a tree of thousands of units does not fit a drop-down)."""

    def __init__(self, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(units, **kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, int):
            unit = Unit.objects.filter(pk=value).only("name").first()
            return unit.name if unit else ""
        return value.name if isinstance(value, Unit) else value

    def clean(self, value: Any) -> Unit | None:  # type: ignore[override]
        if not self.required and not (value or "").strip():
            return None
        return super().clean(value)


class PersonField(forms.CharField):
    """A person typed by name, or by name and phone when two people share a name."""

    def __init__(self, people: QuerySet[Person], **kwargs: Any) -> None:
        kwargs.setdefault("help_text", _("Name, or name and mobile number when two people share a name."))
        super().__init__(max_length=80, **kwargs)
        self.people = people

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, int):
            value = Person.objects.filter(pk=value).first()
        if isinstance(value, Person):
            return f"{value.name} {value.phone}".strip()
        return value

    def clean(self, value: Any) -> Person | None:  # type: ignore[override]
        text = super().clean(value).strip()
        if not text:
            return None
        name, _sep, rest = text.partition(" ")
        phone = normalize_phone(rest.strip()) if rest.strip() else None
        found = self.people.filter(name=name.strip())
        if phone:
            found = found.filter(phone=phone)
        hits = list(found[:2])
        if not hits:
            raise forms.ValidationError(_("Nobody called %(name)s is in the people list.") % {"name": text})
        if len(hits) > 1:
            raise forms.ValidationError(
                _("Several people are called %(name)s: add the mobile number.") % {"name": name}
            )
        return hits[0]


def _style(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")
        if isinstance(widget, forms.Textarea):
            widget.attrs.setdefault("rows", 3)


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CampaignForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = [
            "name",
            "year",
            "level",
            "root_unit",
            "office_unit",
            "cycle_start",
            "cycle_end",
            "inspection_start",
            "inspection_end",
            "is_current",
            "description",
        ]
        widgets = {"inspection_start": DATE, "inspection_end": DATE}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = unit_choices(user)
        self.fields["root_unit"] = UnitNameField(units, label=_("territory"))
        self.fields["office_unit"] = UnitNameField(units, label=_("campaign office"), required=False)
        _style(self)

    def _get_validation_exclusions(self) -> set[str]:
        # "One current campaign" would refuse a new current one; services.save_campaign moves
        # the mark from the old one in the same transaction instead.
        return {*super()._get_validation_exclusions(), "is_current"}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("inspection_start"), data.get("inspection_end")
        if start and end and end < start:
            self.add_error("inspection_end", _("The inspection window closes before it opens."))
        first, last = data.get("cycle_start"), data.get("cycle_end")
        if first and last and last < first:
            self.add_error("cycle_end", _("The cycle ends before it starts."))
        office, root = data.get("office_unit"), data.get("root_unit")
        if office and root and not office.is_within(root):
            self.add_error("office_unit", _("The campaign office must be a unit inside the territory."))
        return data


class PhaseForm(forms.ModelForm):
    class Meta:
        model = Phase
        fields = ["seq", "name", "start", "end", "lead_unit", "goal"]
        widgets = {"start": DATE, "end": DATE}

    def __init__(self, *args: Any, user: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        self.fields["lead_unit"] = UnitNameField(unit_choices(user), label=_("lead unit"), required=False)
        _style(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("A phase cannot end before it starts."))
        seq = data.get("seq")
        if (
            seq
            and Phase.objects.filter(campaign=self.campaign, seq=seq).exclude(pk=self.instance.pk).exists()
        ):
            self.add_error("seq", _("Another phase has this number."))
        return data


class DeliverableForm(forms.ModelForm):
    class Meta:
        model = PhaseTask
        fields = ["number", "text", "unit", "due"]
        widgets = {"due": DATE, "text": forms.Textarea}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["number"].required = False
        self.fields["unit"] = UnitNameField(unit_choices(user), label=_("responsible unit"), required=False)
        _style(self)


class DeliverableMoveForm(forms.Form):
    """Submitting evidence (the responsible unit), accepting or sending back (the office)."""

    status = forms.ChoiceField(choices=DeliverableStatus.choices)
    note = forms.CharField(label=_("evidence"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    evidence = forms.FileField(label=_("evidence file"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)


class PostForm(forms.ModelForm):
    class Meta:
        model = CommandPost
        fields = ["title", "person", "rank", "duties"]
        widgets = {"duties": forms.Textarea}

    def __init__(self, *args: Any, user: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = Person.objects.filter(is_active=True, unit__path__startswith=campaign.root_unit.path)
        self.fields["person"] = PersonField(people, label=_("person"))
        _style(self)


class GroupForm(forms.ModelForm):
    members_text = forms.CharField(
        label=_("member units"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Names or codes of the member units, separated by commas or new lines."),
    )

    class Meta:
        model = WorkingGroup
        fields = ["name", "lead_unit", "responsible", "duties", "rank"]
        widgets = {"duties": forms.Textarea}

    audit_fields = [*Meta.fields, "members"]

    def __init__(self, *args: Any, user: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        self.units = unit_choices(user).filter(path__startswith=campaign.root_unit.path)
        self.fields["lead_unit"] = UnitNameField(self.units, label=_("lead unit"))
        people = Person.objects.filter(is_active=True, unit__path__startswith=campaign.root_unit.path)
        self.fields["responsible"] = PersonField(people, label=_("responsible person"), required=False)
        if self.instance.pk and not self.is_bound:
            self.initial["members_text"] = "\n".join(self.instance.members.values_list("name", flat=True))
        _style(self)

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        taken = WorkingGroup.objects.filter(campaign=self.campaign, name=name).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("The campaign already has a group of this name."))
        return name

    def clean_members_text(self) -> list[Unit]:
        found: list[Unit] = []
        unknown: list[str] = []
        for raw in (
            self.cleaned_data.get("members_text", "").replace("，", ",").replace("、", ",").splitlines()
        ):
            for text in (part.strip() for part in raw.split(",")):
                if not text:
                    continue
                unit = self.units.filter(Q(code=text)).first() or self.units.find_by_name(text)
                if unit is None or not self.units.filter(pk=unit.pk).exists():
                    unknown.append(text)
                else:
                    found.append(unit)
        if unknown:
            raise forms.ValidationError(
                _("No unit inside the campaign's territory is called: %(names)s")
                % {"names": "、".join(unknown)}
            )
        return found

    def save(self, commit: bool = True) -> WorkingGroup:
        group = super().save(commit=commit)
        members = self.cleaned_data.get("members_text", [])
        base_save_m2m = self.save_m2m

        def save_m2m() -> None:
            base_save_m2m()
            group.members.set(members)

        self.save_m2m = save_m2m  # type: ignore[method-assign]
        return group
