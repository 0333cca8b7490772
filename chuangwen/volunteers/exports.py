"""The activity's sign-in sheet (.xlsx), written through core.xlsx."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from chuangwen.core.xlsx import write_table
from chuangwen.volunteers.models import Activity
from chuangwen.volunteers.privacy import phone_for


def _time(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def activity_sheet(activity: Activity, user: Any) -> bytes:
    headers = [
        _("name"),
        _("phone"),
        _("organisation"),
        _("signed in"),
        _("signed out"),
        _("distance at sign-in (m)"),
        _("computed hours"),
        _("confirmed hours"),
        _("status"),
    ]
    rows = []
    for r in activity.records.select_related("volunteer", "volunteer__unit").order_by("signed_in_at", "id"):
        rows.append(
            [
                r.volunteer.name,
                phone_for(user, r.volunteer),
                r.volunteer.unit.name,
                _time(r.signed_in_at),
                _time(r.signed_out_at),
                round(r.in_distance_m) if r.in_distance_m is not None else "",
                float(r.computed_hours) if r.computed_hours is not None else "",
                float(r.hours) if r.hours is not None else "",
                r.get_status_display(),
            ]
        )
    out = write_table(_("Sign-in sheet"), headers, rows)
    try:
        return out.read()
    finally:
        out.close()
