"""API routes of accounts: who the caller is, what roles it holds and where."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from chuangwen.accounts import otp

router = Router(tags=["accounts"])


class MembershipOut(Schema):
    unit_id: int
    unit_name: str
    role: str
    role_label: str


class MeOut(Schema):
    id: int
    username: str
    display_name: str
    phone: str
    roles: list[str]
    campaign_wide: bool
    two_factor: bool
    memberships: list[MembershipOut]


@router.get("/me", response=MeOut, summary="The caller: its roles and the units it holds them in")
def me(request: HttpRequest):
    user = request.auth
    memberships = user.memberships.select_related("unit").order_by("unit__path", "role")
    return {
        "id": user.pk,
        "username": user.username,
        "display_name": user.display_name,
        "phone": user.phone,
        "roles": sorted(user.roles),
        "campaign_wide": user.is_campaign_wide,
        "two_factor": otp.confirmed_device(user) is not None,
        "memberships": [
            {
                "unit_id": m.unit_id,
                "unit_name": m.unit.name,
                "role": m.role,
                "role_label": str(m.get_role_display()),
            }
            for m in memberships
        ],
    }
