"""API routes of the organisation: units and people, scoped like the pages."""

from __future__ import annotations

from django.db.models import F, Q, QuerySet
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from chuangwen.core.pagination import Pagination
from chuangwen.org.models import Person, Unit
from chuangwen.org.scope import get_scoped_or_404, scoped

router = Router(tags=["org"])


class UnitOut(Schema):
    id: int
    name: str
    short_name: str
    code: str
    kind: str
    parent_id: int | None
    depth: int
    is_active: bool


class PersonOut(Schema):
    id: int
    name: str
    phone: str
    position: str
    unit_id: int
    unit_name: str


@router.get("/units", response=list[UnitOut], summary="Units the caller can see")
@paginate(Pagination)
def list_units(request: HttpRequest, q: str = "", kind: str = "", parent_id: int | None = None):
    qs = scoped(Unit.objects.all(), request.auth)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(short_name__icontains=q) | Q(code__icontains=q))
    if kind:
        qs = qs.filter(kind=kind)
    if parent_id is not None:
        qs = qs.filter(parent_id=parent_id)
    # Plain rows, not model instances: the schema needs nothing more and a page is 2-3x faster.
    return qs.order_by("path").values(*UnitOut.model_fields)


@router.get("/units/{unit_id}", response=UnitOut, summary="One unit")
def get_unit(request: HttpRequest, unit_id: int):
    return get_scoped_or_404(Unit.objects.all(), request.auth, pk=unit_id)


class _LeanCount(Pagination):
    """Counts the rows before the unit's name was joined in, when the route says how
    (`rows.count_from`): counting 50,000 people need not join 50,000 units."""

    def _items_count(self, queryset: QuerySet) -> int:
        return getattr(queryset, "count_from", queryset).count()


@router.get("/people", response=list[PersonOut], summary="People the caller can see")
@paginate(_LeanCount)
def list_people(request: HttpRequest, q: str = "", unit_id: int | None = None):
    qs = scoped(Person.objects.filter(is_active=True), request.auth)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(position__icontains=q))
    if unit_id is not None:
        unit = get_scoped_or_404(Unit.objects.all(), request.auth, pk=unit_id)
        qs = qs.filter(unit__path__startswith=unit.path)
    # unit_id after unit__path: people are read unit by unit from the (unit, name, id) index.
    rows = qs.order_by("unit__path", "unit_id", "name", "id").values(
        "id", "name", "phone", "position", "unit_id", unit_name=F("unit__name")
    )
    rows.count_from = qs  # the same people: the inner join to their (required) unit adds none
    return rows
