"""Every write through Django's admin site goes into the audit log like any other change.

The admin edits the same rows as the product's pages (a superuser can give somebody the office
role in a user's memberships), so its writes must be as visible. The site wraps each ModelAdmin
registered on it in `AuditedAdminMixin`, which hooks the admin's own log_addition, log_change and
log_deletions (called for every add, change, list edit, password change and delete, inside the
admin's transaction): one entry per object with the changed fields' old and new values, one per
inline row added, changed or deleted. Admin actions run in one transaction, and each object an
action changes or deletes gets an entry too.
"""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import NestedObjects
from django.db import models, router, transaction
from django.http import HttpRequest

from chuangwen.audit.services import diff, log_action

# Values of fields named like these are never written to the log, only that they changed.
_SECRET_NAMES = ("password", "secret", "token", "otp")
_HIDDEN = "******"
_MAX_CASCADE = 200
_PLAIN_TYPES = (str, int, float, bool, Decimal, dt.date, dt.time, dt.timedelta, uuid.UUID)


def _plain(value: Any) -> Any:
    """A value the JSON column keeps and a reader understands (objects by name and id)."""
    if value is None or isinstance(value, _PLAIN_TYPES):
        return value
    if isinstance(value, models.Model):
        return f"{value} (#{value.pk})"
    if isinstance(value, models.QuerySet | list | tuple | set | frozenset):
        return [_plain(item) for item in value]
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or None
    return str(value)


def _secret(name: str) -> bool:
    return any(part in name.lower() for part in _SECRET_NAMES)


def _initial(field: forms.Field, value: Any) -> Any:
    """The form's initial value as an object: model_to_dict gives foreign keys as bare ids."""
    if isinstance(field, forms.ModelMultipleChoiceField) and value is not None:
        ids = [getattr(item, "pk", item) for item in value]
        return list(field.queryset.model._default_manager.filter(pk__in=ids))
    if (
        isinstance(field, forms.ModelChoiceField)
        and value is not None
        and not isinstance(value, models.Model)
    ):
        return field.queryset.model._default_manager.filter(pk=value).first()
    return value


def form_changes(form: forms.BaseForm) -> dict[str, list[Any]]:
    """{field: [old, new]} for the fields the admin's form changed (secrets masked)."""
    changes = {}
    for name in form.changed_data:
        if _secret(name):
            changes[name] = [_HIDDEN, _HIDDEN]
            continue
        field = form.fields.get(name)
        before = _initial(field, form.initial.get(name)) if field is not None else form.initial.get(name)
        changes[name] = [_plain(before), _plain(form.cleaned_data.get(name))]
    return changes


def object_values(obj: models.Model) -> dict[str, Any]:
    """The object's own field values, as a deleted object's last record (secrets masked)."""
    return {
        field.name: _HIDDEN if _secret(field.name) else _plain(getattr(obj, field.name, None))
        for field in obj._meta.concrete_fields
    }


def _added(obj: models.Model) -> dict[str, list[Any]]:
    return {name: [None, value] for name, value in object_values(obj).items()}


def _deleted_with(obj: models.Model) -> list[str]:
    """The rows deleting `obj` takes with it (a user's memberships…), as the admin's confirmation
    page lists them; capped, the log is a record, not a backup."""
    collector = NestedObjects(using=router.db_for_write(type(obj)))
    collector.collect([obj])
    rows = [
        f"{item._meta.label_lower} {item} (#{item.pk})"
        for instances in collector.data.values()
        for item in instances
        if not (type(item) is type(obj) and item.pk == obj.pk)
    ]
    return sorted(rows)[:_MAX_CASCADE] + (
        [f"… {len(rows) - _MAX_CASCADE} more"] if len(rows) > _MAX_CASCADE else []
    )


def _action(obj_or_model: Any, verb: str) -> str:
    return f"admin.{obj_or_model._meta.label_lower}.{verb}"


def _audited_action(func, name: str):
    """The admin action `func`, writing one entry per selected object it changed or deleted."""

    @functools.wraps(func)
    def run(modeladmin, request: HttpRequest, queryset):
        before = {obj.pk: object_values(obj) for obj in queryset}
        response = func(modeladmin, request, queryset)
        model = queryset.model
        after = {obj.pk: obj for obj in model._default_manager.filter(pk__in=list(before))}
        for pk, values in before.items():
            obj = after.get(pk)
            if obj is None:
                # Gone: an unsaved stand-in names its type and id (its str() is not called).
                log_action(
                    request.user,
                    f"admin.{model._meta.label_lower}.delete",
                    model(pk=pk),
                    {**{k: [v, None] for k, v in values.items()}, "admin_action": [name, None]},
                    request=request,
                    object_repr=f"{model._meta.verbose_name} #{pk}",
                )
                continue
            changes = diff(values, object_values(obj))
            if changes:
                changes["admin_action"] = [None, name]
                log_action(request.user, _action(obj, "change"), obj, changes, request=request)
        return response

    return run


class AuditedAdminMixin:
    """Writes an audit entry for each add, change and delete made through this ModelAdmin."""

    def construct_change_message(self, request: HttpRequest, form, formsets, add: bool = False):
        # The admin saved the object and its inlines just before asking for this message, and
        # logs it right after: remember what changed, for log_addition/log_change to record.
        pending = request.__dict__.setdefault("_audit_admin_pending", {})
        # The password form of the user admin has no instance, only the user it changes.
        target = getattr(form, "instance", None) or getattr(form, "user", None)
        pending[id(target)] = (form, formsets or [])
        return super().construct_change_message(request, form, formsets, add)

    def _audit_save(self, request: HttpRequest, obj: models.Model, verb: str, message: Any) -> None:
        form, formsets = request.__dict__.get("_audit_admin_pending", {}).pop(id(obj), (None, []))
        changes = form_changes(form) if form is not None else {"admin_message": _plain(message)}
        if verb == "add":
            # Everything the new object holds, plus what the form set beyond its own columns
            # (many-to-many fields, the password typed twice: masked).
            changes = {**{k: [None, new] for k, (_old, new) in changes.items()}, **_added(obj)}
        log_action(request.user, _action(obj, verb), obj, changes, request=request)
        for formset in formsets:
            self._audit_inline(request, formset)

    def _audit_inline(self, request: HttpRequest, formset) -> None:
        by_instance = {id(inline_form.instance): inline_form for inline_form in formset.forms}
        for obj in formset.new_objects:
            log_action(request.user, _action(obj, "add"), obj, _added(obj), request=request)
        for obj, _names in formset.changed_objects:
            inline_form = by_instance.get(id(obj))
            changes = form_changes(inline_form) if inline_form is not None else {}
            log_action(request.user, _action(obj, "change"), obj, changes, request=request)
        pk_name = formset.model._meta.pk.name
        for obj in formset.deleted_objects:
            # Deleting cleared the instance's primary key; the submitted form still has it.
            inline_form = by_instance.get(id(obj))
            pk = inline_form.data.get(inline_form.add_prefix(pk_name), "") if inline_form is not None else ""
            log_action(
                request.user,
                _action(obj, "delete"),
                changes={
                    "id": [pk, None],
                    **{k: [v, None] for k, v in object_values(obj).items() if k != pk_name},
                },
                request=request,
                object_repr=f"{obj} (#{pk})",
            )

    def log_addition(self, request: HttpRequest, obj: models.Model, message: Any):
        self._audit_save(request, obj, "add", message)
        return super().log_addition(request, obj, message)

    def log_change(self, request: HttpRequest, obj: models.Model, message: Any):
        self._audit_save(request, obj, "change", message)
        return super().log_change(request, obj, message)

    def log_deletions(self, request: HttpRequest, queryset):
        # Called just before the objects are deleted, so their values can still be read.
        for obj in queryset:
            changes = {k: [v, None] for k, v in object_values(obj).items()}
            cascade = _deleted_with(obj)
            if cascade:
                changes["deleted_with_it"] = [cascade, None]
            log_action(request.user, _action(obj, "delete"), obj, changes, request=request)
        return super().log_deletions(request, queryset)

    def get_actions(self, request: HttpRequest) -> dict:
        # The bulk delete logs through log_deletions; any other action (an app's own) is
        # wrapped so each object it changes or deletes gets an entry with the values it changed.
        return {
            name: (func if name == "delete_selected" else _audited_action(func, name), name, description)
            for name, (func, _name, description) in super().get_actions(request).items()
        }

    def response_action(self, request: HttpRequest, queryset):
        # Admin actions (the bulk delete) run outside the admin's transaction: log and delete
        # together or not at all.
        with transaction.atomic(using=router.db_for_write(self.model)):
            return super().response_action(request, queryset)


class AuditedAdminSite(admin.AdminSite):
    """The admin site: whatever ModelAdmin is registered on it is audited."""

    def register(self, model_or_iterable, admin_class=None, **options) -> None:
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, AuditedAdminMixin):
            admin_class = type(
                admin_class.__name__, (AuditedAdminMixin, admin_class), {"__module__": admin_class.__module__}
            )
        super().register(model_or_iterable, admin_class, **options)
