from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.contrib.auth.password_validation import password_validators_help_texts, validate_password
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from chuangwen.accounts.models import Membership, Role, User
from chuangwen.accounts.permissions import administered_units, grantable_roles
from chuangwen.accounts.security import locked_attempts
from chuangwen.core.text import normalize_phone
from chuangwen.org.models import Person, Unit

# A datalist longer than this helps nobody; past it the field is typed (name, short name or code).
_DATALIST_MAX = 500


class LoginForm(AuthenticationForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.error_messages = {
            **self.error_messages,
            "invalid_login": _(
                "Wrong username or password. After %(limit)d failures the account is locked "
                "for %(minutes)d minutes."
            )
            % {
                "limit": settings.AXES_FAILURE_LIMIT,
                "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
            },
            "inactive": _("This account is disabled."),
        }


class OwnPasswordChangeForm(PasswordChangeForm):
    """Django's form, plus: the new password must differ from the old one (a temporary password
    typed by an administrator cannot simply be kept)."""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        new = cleaned.get("new_password1")
        if new and new == cleaned.get("old_password"):
            self.add_error("new_password1", _("Choose a password different from the old one."))
        return cleaned


class OTPSetupForm(forms.Form):
    token = forms.CharField(
        label=_("6-digit code"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "class": "form-control"}
        ),
    )

    def __init__(self, device: TOTPDevice, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].strip()
        allowed, _details = self.device.verify_is_allowed()
        if not allowed:
            # django-otp's back-off after wrong codes: say so, or a right code looks wrong.
            raise forms.ValidationError(_("Too many wrong codes. Wait a few seconds and try again."))
        if not token.isdigit() or not self.device.verify_token(token):
            raise forms.ValidationError(
                _("That code is not right. Check the time on your phone and try again.")
            )
        return token


class UnitField(forms.CharField):
    """A unit typed by name, short name, alias or code, limited to the units allowed."""

    def __init__(self, units: QuerySet[Unit], **kwargs: Any) -> None:
        kwargs.setdefault("label", _("unit"))
        kwargs.setdefault("help_text", _("Full name, short name or code."))
        super().__init__(max_length=120, **kwargs)
        self.units = units

    def clean(self, value: Any) -> Unit:  # type: ignore[override]
        text = super().clean(value).strip()
        # Look among the allowed units first: two communities in different streets may share a name.
        unit = self.units.filter(code=text).first() or self.units.find_by_name(text)
        if unit is None or not self.units.filter(pk=unit.pk).exists():
            raise forms.ValidationError(_("No unit you manage is called %(name)s.") % {"name": text})
        return unit


def _style(form: forms.Form) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        else:
            widget.attrs.setdefault(
                "class", "form-select" if isinstance(widget, forms.Select) else "form-control"
            )


class _RoleInUnitForm(forms.Form):
    """A unit the actor administers and a role it may grant."""

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = administered_units(actor).filter(is_active=True)
        self.fields["unit"] = UnitField(units)
        self.fields["unit"].widget.attrs["placeholder"] = _("Unit: name or code")
        self.fields["role"] = forms.ChoiceField(
            label=_("role"), choices=[(r, Role(r).label) for r in grantable_roles(actor)]
        )
        names = list(units.order_by("path").values_list("name", flat=True)[: _DATALIST_MAX + 1])
        self.unit_names = names if len(names) <= _DATALIST_MAX else []
        if self.unit_names:
            self.fields["unit"].widget.attrs["list"] = f"{self.prefix or 'f'}-units"
        self.datalist_id = f"{self.prefix or 'f'}-units"


class MembershipForm(_RoleInUnitForm):
    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, actor=actor, **kwargs)
        _style(self)


class UserCreateForm(_RoleInUnitForm):
    """A new login, for an existing person or for somebody not yet in the people list."""

    username = forms.RegexField(
        label=_("username"),
        max_length=150,
        regex=r"^[\w.@+-]+\Z",
        help_text=_("Letters, digits and @ . + - _ only; a phone number works well."),
    )
    display_name = forms.CharField(label=_("display name"), max_length=60, required=False)
    phone = forms.CharField(label=_("phone"), max_length=20, required=False)
    email = forms.EmailField(label=_("email address"), required=False)
    password = forms.CharField(
        label=_("initial password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Leave blank to generate one. It must be changed at first sign-in."),
    )

    field_order = ["username", "display_name", "phone", "email", "unit", "role", "password"]

    def __init__(self, *args: Any, actor: Any, person: Person | None = None, **kwargs: Any) -> None:
        super().__init__(*args, actor=actor, **kwargs)
        self.person = person
        self.order_fields(self.field_order)
        if person is not None and not self.is_bound:
            self.initial.update(
                {
                    "username": normalize_phone(person.phone) or "",
                    "display_name": person.name,
                    "phone": person.phone,
                    "unit": person.unit.name,
                }
            )
        rules = " ".join(password_validators_help_texts())
        self.fields["password"].help_text = f"{self.fields['password'].help_text} {rules}"
        _style(self)

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This username is taken."))
        return username

    def clean_phone(self) -> str:
        raw = self.cleaned_data.get("phone", "")
        if raw and normalize_phone(raw) is None:
            raise forms.ValidationError(_("Not a valid phone number."))
        return normalize_phone(raw) or ""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        password = cleaned.get("password")
        if password:
            probe = User(
                username=cleaned.get("username", ""),
                display_name=cleaned.get("display_name", ""),
                email=cleaned.get("email", ""),
            )
            try:
                validate_password(password, probe)
            except forms.ValidationError as exc:
                self.add_error("password", exc)
        return cleaned


class UserFilterForm(forms.Form):
    STATUS_CHOICES = [
        ("", _("all")),
        ("active", _("active")),
        ("inactive", _("deactivated")),
        ("locked", _("locked")),
        ("must_change", _("must change password")),
    ]
    q = forms.CharField(label=_("search"), required=False)
    role = forms.ChoiceField(label=_("role"), required=False, choices=[("", _("any role")), *Role.choices])
    status = forms.ChoiceField(label=_("status"), required=False, choices=STATUS_CHOICES)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)

    def filter(self, users: QuerySet[User]) -> QuerySet[User]:
        if not self.is_valid():
            return users
        data = self.cleaned_data
        if data["q"]:
            q = data["q"].strip()
            users = users.filter(
                Q(username__icontains=q) | Q(display_name__icontains=q) | Q(phone__contains=q)
            )
        if data["role"]:
            users = users.filter(pk__in=Membership.objects.filter(role=data["role"]).values("user_id"))
        if data["status"] == "active":
            users = users.filter(is_active=True)
        elif data["status"] == "inactive":
            users = users.filter(is_active=False)
        elif data["status"] == "locked":
            users = users.filter(username__in=locked_attempts().values("username"))
        elif data["status"] == "must_change":
            users = users.filter(must_change_password=True)
        return users
