"""API routes of volunteers (same rules and scoping as the pages)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.pagination import paginate

from chuangwen.accounts.permissions import has_any_role
from chuangwen.accounts.scope import get_scoped_or_404, scope_for, scoped
from chuangwen.core.errors import DomainError
from chuangwen.core.pagination import Pagination
from chuangwen.org.models import Unit
from chuangwen.volunteers import figures, services
from chuangwen.volunteers.models import Activity, ServiceRecord, Volunteer
from chuangwen.volunteers.permissions import MANAGE, READ
from chuangwen.volunteers.privacy import phone_for

router = Router(tags=["volunteers"])


def _need(request: HttpRequest, roles: tuple[str, ...]) -> None:
    if not has_any_role(request.auth, roles):
        raise PermissionError


class MonthOut(Schema):
    month: str
    hours: float
    volunteers: int


class FiguresOut(Schema):
    unit_id: int
    unit_name: str
    registered: int
    population: int | None
    ratio_percent: float | None
    active_90_days: int
    hours_total: float
    activities_12_months: int
    friday_service_days_12_months: int
    months: list[MonthOut]


class VolunteerOut(Schema):
    id: int
    name: str
    phone: str
    code: str
    unit_id: int
    unit_name: str
    total_hours: Decimal
    stars: int


class HoursOut(Schema):
    volunteer_id: int
    total_hours: Decimal
    stars: int
    hours_to_next_star: Decimal | None
    confirmed_hours: Decimal
    confirmed_activities: int
    awaiting_confirmation: int
    by_year: dict[int, Decimal]


class ActivityOut(Schema):
    id: int
    title: str
    category: str
    unit_id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    capacity: int
    status: str
    place: str


class ConfirmIn(Schema):
    hours: Decimal | None = None
    reject: bool = False
    note: str = ""


class RecordOut(Schema):
    id: int
    activity_id: int
    volunteer_id: int
    status: str
    computed_hours: Decimal | None
    hours: Decimal | None


@router.get("/units/{unit_id}/figures", response=FiguresOut, url_name="volunteers_unit_figures")
def unit_figures(request: HttpRequest, unit_id: int):
    """A unit's volunteer figures (its subtree included)."""
    _need(request, READ)
    unit = get_scoped_or_404(Unit.objects.all(), request.auth, pk=unit_id)
    return figures.as_dict(figures.unit_figures(unit))


@router.get("/volunteers", response=list[VolunteerOut], url_name="volunteers_list")
@paginate(Pagination)
def list_volunteers(request: HttpRequest, unit_id: int | None = None, q: str = ""):
    """Volunteers in scope; phones masked outside the volunteer's own unit and the office."""
    _need(request, READ)
    qs = scoped(Volunteer.objects.select_related("unit"), request.auth).order_by("unit__path", "name", "id")
    if unit_id is not None:
        unit = get_scoped_or_404(Unit.objects.all(), request.auth, pk=unit_id)
        qs = qs.filter(unit__path__startswith=unit.path)
    if q.strip():
        qs = qs.filter(name__contains=q.strip()[:60])
    return _VolunteerRows(qs, request.auth)


class _VolunteerRows:
    """Lazily sliced rows, so the paginator's slice is what is read and masked."""

    def __init__(self, qs, user) -> None:
        self.qs, self.user = qs, user

    def count(self) -> int:
        return self.qs.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, item):
        return [
            {
                "id": v.pk,
                "name": v.name,
                "phone": phone_for(self.user, v),
                "code": v.code,
                "unit_id": v.unit_id,
                "unit_name": v.unit.name,
                "total_hours": v.total_hours,
                "stars": v.stars,
            }
            for v in self.qs[item]
        ]


@router.get("/volunteers/{volunteer_id}/hours", response=HoursOut, url_name="volunteers_hours")
def volunteer_hours(request: HttpRequest, volunteer_id: int):
    """A volunteer's hours and star level."""
    _need(request, READ)
    volunteer = get_scoped_or_404(Volunteer.objects.all(), request.auth, pk=volunteer_id)
    h = figures.volunteer_hours(volunteer)
    return {
        "volunteer_id": volunteer.pk,
        "total_hours": h.total,
        "stars": h.stars,
        "hours_to_next_star": h.to_next,
        "confirmed_hours": h.confirmed_hours,
        "confirmed_activities": h.activities,
        "awaiting_confirmation": h.pending,
        "by_year": dict(h.by_year),
    }


@router.get("/activities", response=list[ActivityOut], url_name="volunteers_activities")
@paginate(Pagination)
def list_activities(request: HttpRequest, status: str = ""):
    _need(request, READ)
    qs = scoped(Activity.objects.select_related("point"), request.auth).order_by("-starts_at", "-id")
    if status:
        qs = qs.filter(status=status[:10])
    return qs


@router.post("/records/{record_id}/confirm", response=RecordOut, url_name="volunteers_record_confirm")
def confirm_record(request: HttpRequest, record_id: int, payload: ConfirmIn):
    """The organiser confirms (default: the computed hours) or rejects a record."""
    _need(request, MANAGE)
    record = get_scoped_or_404(
        ServiceRecord.objects.select_related("activity__unit"), request.auth, pk=record_id
    )
    if not scope_for(request.auth).covers(record.activity.unit):
        raise PermissionError(_("Only the organiser confirms the hours of an activity."))
    if payload.hours is not None and not payload.hours.is_finite():
        raise DomainError(_("Hours must be between 0 and 24."))
    return services.confirm_record(
        record, request.auth, hours=payload.hours, reject=payload.reject, note=payload.note, request=request
    )
