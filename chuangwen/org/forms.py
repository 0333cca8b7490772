from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from chuangwen.core.text import normalize_phone
from chuangwen.org.models import Person, Unit
from chuangwen.org.scope import unit_choices


class UnitForm(forms.ModelForm):
    class Meta:
        model = Unit
        fields = [
            "name",
            "short_name",
            "code",
            "kind",
            "parent",
            "contact_person",
            "contact_phone",
            "address",
            "sort_order",
            "is_active",
        ]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parents = unit_choices(user)
        if self.instance.pk:
            # A unit cannot move below itself.
            parents = parents.exclude(path__startswith=self.instance.path)
        self.fields["parent"].queryset = parents.order_by("path")
        for field in self.fields.values():
            field.widget.attrs.setdefault(
                "class", "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            )

    def clean_contact_phone(self) -> str:
        raw = self.cleaned_data.get("contact_phone", "")
        if raw and normalize_phone(raw) is None:
            raise forms.ValidationError(_("Not a valid phone number."))
        return normalize_phone(raw) or ""


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = ["name", "phone", "position", "unit", "note", "is_active"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = unit_choices(user).order_by("path")
        for field in self.fields.values():
            field.widget.attrs.setdefault(
                "class", "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            )

    def clean_phone(self) -> str:
        raw = self.cleaned_data.get("phone", "")
        if raw and normalize_phone(raw) is None:
            raise forms.ValidationError(_("Not a valid phone number."))
        return normalize_phone(raw) or ""


class ImportUploadForm(forms.Form):
    """An Excel roster of units and people to check (and then import)."""

    file = forms.FileField(
        label=_("Excel file (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".xlsx,.xls"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        # Checked before reading: an oversized upload must not be loaded into memory.
        if upload.size > settings.UPLOAD_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is too large (%(size)s); the limit is %(limit)s.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(settings.UPLOAD_MAX_BYTES)}
            )
        return upload
