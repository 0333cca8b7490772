"""Browsing the audit log (office admins only)."""

from __future__ import annotations

import datetime as dt

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from chuangwen.audit.models import AuditEntry
from chuangwen.audit.permissions import READ_AUDIT
from chuangwen.core.permissions import role_required


def filtered_entries(params: dict) -> tuple:
    """Entries matching the filters in `params`: actor (name contains), action (prefix, so
    "accounts." finds every accounts action), object (name contains), object type and id, and a
    date range in local dates (both ends included). Unreadable dates are ignored."""
    qs = AuditEntry.objects.all()
    filters = {
        key: params.get(key, "").strip()
        for key in ("actor", "action", "object", "object_type", "object_id", "since", "until")
    }
    if filters["actor"]:
        qs = qs.filter(actor_name__icontains=filters["actor"])
    if filters["action"]:
        qs = qs.filter(action__startswith=filters["action"])
    if filters["object"]:
        qs = qs.filter(object_repr__icontains=filters["object"])
    if filters["object_type"]:
        qs = qs.filter(object_type=filters["object_type"])
    if filters["object_id"]:
        qs = qs.filter(object_id=filters["object_id"])
    for key, lookup in (("since", "created_at__date__gte"), ("until", "created_at__date__lte")):
        if filters[key]:
            try:
                qs = qs.filter(**{lookup: dt.date.fromisoformat(filters[key])})
            except ValueError:
                filters[key] = ""
    return qs.order_by("-id"), filters


@role_required(*READ_AUDIT)
def entry_list(request: HttpRequest) -> HttpResponse:
    qs, filters = filtered_entries(request.GET)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    querystring = request.GET.copy()
    querystring.pop("page", None)
    return render(
        request, "audit/list.html", {"page": page, "filters": filters, "querystring": querystring.urlencode()}
    )
