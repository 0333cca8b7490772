"""State changes of the organisation, each in a transaction with an audit entry."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Length, Substr
from django.forms import ModelForm
from django.http import HttpRequest

from chuangwen.audit.services import diff, log_action
from chuangwen.org.models import Person, Unit


def _snapshot(obj: Any, fields: list[str]) -> dict[str, Any]:
    return {f: getattr(obj, f"{f}_id", None) if hasattr(obj, f"{f}_id") else getattr(obj, f) for f in fields}


@transaction.atomic
def save_unit(form: ModelForm, actor: Any, request: HttpRequest | None = None) -> Unit:
    """Create or update a unit; moving it under another parent re-roots its whole subtree."""
    fields = list(form.Meta.fields)
    before: dict[str, Any] = {}
    old_path = ""
    if form.instance.pk:
        current = Unit.objects.select_for_update().get(pk=form.instance.pk)
        before = _snapshot(current, fields)
        old_path = current.path
    unit = form.save()
    if old_path and unit.path != old_path:
        move_subtree(old_path, unit.path)
    log_action(
        actor,
        "org.unit.update" if before else "org.unit.create",
        unit,
        diff(before, _snapshot(unit, fields)),
        request=request,
    )
    return unit


def move_subtree(old_path: str, new_path: str) -> int:
    """Rewrite the paths of every descendant after their ancestor moved (one UPDATE)."""
    descendants = Unit.objects.filter(path__startswith=old_path).exclude(path=old_path)
    count = descendants.update(
        path=Concat(Value(new_path), Substr(F("path"), Length(Value(old_path)) + 1)),
    )
    shift = new_path.count("/") - old_path.count("/")
    if shift:
        Unit.objects.filter(path__startswith=new_path).exclude(path=new_path).update(depth=F("depth") + shift)
    return count


@transaction.atomic
def save_person(form: ModelForm, actor: Any, request: HttpRequest | None = None) -> Person:
    fields = list(form.Meta.fields)
    before = _snapshot(Person.objects.get(pk=form.instance.pk), fields) if form.instance.pk else {}
    person = form.save()
    log_action(
        actor,
        "org.person.update" if before else "org.person.create",
        person,
        diff(before, _snapshot(person, fields)),
        request=request,
    )
    return person
