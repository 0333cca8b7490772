"""What the demo modules share: the context they fill in and an idempotent bulk "sync"."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import models

from chuangwen.campaigns.models import Campaign
from chuangwen.org.models import Person, Unit

M = TypeVar("M", bound=models.Model)

DEMO_PASSWORD = "Demo-Cw-2026!"  # ≥ 12 characters and 4 classes: passes both dengbao and asvs
NAME_SEED = 20260  # fixed, so every run invents the same people


@dataclass(frozen=True)
class PersonSpec:
    """A demo person before it is written: `key` is how other demo modules refer to it."""

    key: str
    unit_code: str
    position: str
    name: str
    phone: str
    note: str = ""


@dataclass
class DemoContext:
    """Everything loaded so far; each area's `load(ctx)` reads what it needs and adds its own."""

    today: dt.date
    units: dict[str, Unit] = field(default_factory=dict)  # by code
    people: dict[str, Person] = field(default_factory=dict)  # by PersonSpec.key
    person_specs: dict[str, PersonSpec] = field(default_factory=dict)
    campaign: Campaign | None = None
    logins: list[tuple[str, str, str]] = field(default_factory=list)
    created: Counter = field(default_factory=Counter)  # model label -> rows created
    updated: Counter = field(default_factory=Counter)
    # Filled by the capability modules (evaluation system, tasks, points) for the later ones.
    indicators: dict[str, Any] = field(default_factory=dict)  # Ⅲ indicators by code
    tasks: dict[str, Any] = field(default_factory=dict)  # by demo task key
    points: dict[str, Any] = field(default_factory=dict)  # by point code

    def unit(self, code: str) -> Unit:
        return self.units[code]

    def person(self, key: str) -> Person:
        return self.people[key]

    def count(self, model: type[models.Model], n: int = 1) -> None:
        """Record rows a service created (for the one "demo.load" summary entry)."""
        self.created[model._meta.label] += n


def login(username: str) -> Any:
    """A demo user (accounts.load has run): the actor the services record in the audit log."""
    from chuangwen.accounts.models import User

    return User.objects.get(username=username)


def valid(form: Any) -> Any:
    """The form, checked: demo data that a form refuses is a bug in the demo, said loudly."""
    if not form.is_valid():
        raise ValueError(f"demo data refused by {type(form).__name__}: {form.errors.as_json()}")
    return form


def sync(
    ctx: DemoContext,
    model: type[M],
    rows: Iterable[dict[str, Any]],
    key: tuple[str, ...],
) -> dict[tuple[Hashable, ...], M]:
    """Make the table hold these rows, matched on `key` (attnames, e.g. "unit_id").

    Missing rows are bulk-created, rows whose values differ are bulk-updated, identical rows
    are left alone, so a second run writes nothing. Returns every row by its key.
    """
    rows = list(rows)
    if not rows:
        return {}
    keyed = {tuple(row[k] for k in key): row for row in rows}
    first_values = {k[0] for k in keyed}
    found: dict[tuple[Hashable, ...], M] = {
        tuple(getattr(obj, k) for k in key): obj
        for obj in model._default_manager.filter(**{f"{key[0]}__in": first_values})
    }
    new: list[M] = []
    changed: list[M] = []
    changed_fields: set[str] = set()
    for row_key, row in keyed.items():
        obj = found.get(row_key)
        if obj is None:
            new.append(model(**row))
            continue
        dirty = [name for name, value in row.items() if getattr(obj, name) != value]
        if dirty:
            for name in dirty:
                setattr(obj, name, row[name])
            changed.append(obj)
            changed_fields.update(dirty)
    if new:
        model._default_manager.bulk_create(new)
        if any(obj.pk is None for obj in new):  # a backend that cannot return ids: read them back
            fresh = model._default_manager.filter(**{f"{key[0]}__in": first_values})
            found.update({tuple(getattr(obj, k) for k in key): obj for obj in fresh})
        else:
            found.update({tuple(getattr(obj, k) for k in key): obj for obj in new})
        ctx.created[model._meta.label] += len(new)
    if changed:
        model._default_manager.bulk_update(changed, sorted(changed_fields))
        ctx.updated[model._meta.label] += len(changed)
    return {row_key: found[row_key] for row_key in keyed}


def link_many(
    ctx: DemoContext, through: type[models.Model], pairs: Iterable[tuple[int, int]], fields: tuple[str, str]
) -> None:
    """Add many-to-many links (left_id, right_id) that are missing; existing ones stay."""
    pairs = set(pairs)
    if not pairs:
        return
    left, right = fields
    existing = set(
        through._default_manager.filter(**{f"{left}__in": {a for a, _ in pairs}}).values_list(left, right)
    )
    missing = [through(**{left: a, right: b}) for a, b in sorted(pairs - existing)]
    if missing:
        through._default_manager.bulk_create(missing)
        ctx.created[through._meta.label] += len(missing)
