"""API route of the audit log: office admins read it; nobody writes it through the API."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from chuangwen.audit.permissions import READ_AUDIT
from chuangwen.audit.views import filtered_entries
from chuangwen.core.pagination import Pagination
from chuangwen.core.permissions import has_any_role

router = Router(tags=["audit"])


class EntryOut(Schema):
    id: int
    created_at: dt.datetime
    actor_name: str
    action: str
    object_type: str
    object_id: str
    object_repr: str
    changes: dict
    ip: str | None


@router.get("/entries", response=list[EntryOut], summary="Audit entries, newest first (office admins)")
@paginate(Pagination)
def list_entries(
    request: HttpRequest,
    actor: str = "",
    action: str = "",
    object: str = "",
    object_type: str = "",
    object_id: str = "",
    since: str = "",
    until: str = "",
):
    if not has_any_role(request.auth, READ_AUDIT):
        raise PermissionError("only the campaign office reads the audit log")
    qs, _filters = filtered_entries(
        {
            "actor": actor,
            "action": action,
            "object": object,
            "object_type": object_type,
            "object_id": object_id,
            "since": since,
            "until": until,
        }
    )
    return qs
