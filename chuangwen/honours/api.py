"""API routes of honours (same rules and scoping as the pages)."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema
from ninja.pagination import paginate

from chuangwen.accounts.permissions import has_any_role
from chuangwen.accounts.scope import get_scoped_or_404, scoped
from chuangwen.core.pagination import Pagination
from chuangwen.honours import services
from chuangwen.honours.models import Honour, Selection
from chuangwen.honours.permissions import READ_HONOURS

router = Router(tags=["honours"])


def _need(request: HttpRequest) -> None:
    if not has_any_role(request.auth, READ_HONOURS):
        raise PermissionError


class HonourOut(Schema):
    id: int
    kind: str
    level: str
    year: int
    unit_id: int
    holder_name: str
    awarded_by: str
    status: str


class NominationOut(Schema):
    id: int
    unit_id: int
    nominee: str
    story: str
    status: str
    lost_points: float | None
    red_cards: int
    yellow_cards: int


@router.get("/honours", response=list[HonourOut], summary="Titles held and candidates the caller can see")
@paginate(Pagination)
def list_honours(request: HttpRequest, kind: str = "", status: str = ""):
    _need(request)
    rows = scoped(Honour.objects.all(), request.auth)
    if kind:
        rows = rows.filter(kind=kind)
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("-year", "kind", "id")


@router.get(
    "/selections/{selection_id}/nominations",
    response=list[NominationOut],
    summary="A selection's nominations with each unit's part in the year's city campaign",
)
def nominations(request: HttpRequest, selection_id: int):
    _need(request)
    selection = get_scoped_or_404(Selection.objects.all(), request.auth, pk=selection_id)
    result = []
    for n in scoped(selection.nominations.select_related("unit"), request.auth):
        perf = services.performance(n.unit, selection.year or timezone.localdate().year)
        result.append(
            {
                "id": n.pk,
                "unit_id": n.unit_id,
                "nominee": n.nominee,
                "story": n.story,
                "status": n.status,
                "lost_points": perf.lost_points,
                "red_cards": perf.red_cards,
                "yellow_cards": perf.yellow_cards,
            }
        )
    return result
