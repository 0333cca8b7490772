"""API routes of the ledger: the year-end table and one unit's account, line by line.
The role decides what a caller may read (403), the scoping helper which units (404)."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from ninja import Router, Schema

from chuangwen.accounts.scope import get_scoped_or_404, scope_for
from chuangwen.ledger.compute import accounts
from chuangwen.ledger.permissions import READ, has_any_role
from chuangwen.org.models import Unit
from chuangwen.tasks.queries import pick_campaign

router = Router(tags=["ledger"])


class LineOut(Schema):
    kind: str
    label: str
    count: int
    amount: float
    weight: float
    cap: float | None
    points: float
    capped: bool
    credit: bool


class AccountOut(Schema):
    unit_id: int
    unit: str
    base: float
    deducted: float
    credited: float
    total: float
    rank: int
    lines: list[LineOut]


def _out(a) -> dict:
    return {
        "unit_id": a.unit_id,
        "unit": a.name,
        "base": a.base,
        "deducted": a.deducted,
        "credited": a.credited,
        "total": a.total,
        "rank": a.rank,
        "lines": [
            {
                "kind": line.kind,
                "label": line.label,
                "count": line.count,
                "amount": line.amount,
                "weight": line.weight,
                "cap": line.cap,
                "points": line.points,
                "capped": line.capped,
                "credit": line.is_credit,
            }
            for line in a.lines
        ],
    }


def _rows(request: HttpRequest, campaign_id: int | None, year: int | None):
    if not has_any_role(request.auth, READ):
        raise PermissionError
    campaign = pick_campaign(request.auth, campaign_id)
    if campaign is None:
        raise Http404
    return accounts(campaign, year if year and 2000 <= year <= 2100 else campaign.year)


@router.get("", response=list[AccountOut])
def year_end(request: HttpRequest, campaign_id: int | None = None, year: int | None = None):
    """Every unit the caller may see, ranked by its year-end total."""
    rows = _rows(request, campaign_id, year)
    scope = scope_for(request.auth)
    if not scope.everything:
        rows = [a for a in rows if any(a.path.startswith(p) for p in scope.paths)]
    return [_out(a) for a in rows]


@router.get("units/{unit_id}", response=AccountOut)
def unit_account(request: HttpRequest, unit_id: int, campaign_id: int | None = None, year: int | None = None):
    """One unit's account, line by line."""
    if not has_any_role(request.auth, READ):
        raise PermissionError
    unit = get_scoped_or_404(Unit.objects.all(), request.auth, pk=unit_id)
    for a in _rows(request, campaign_id, year):
        if a.unit_id == unit.pk:
            return _out(a)
    raise Http404
