"""API routes of the notification centre: the caller's own notifications only."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import paginate

from chuangwen.core.pagination import Pagination
from chuangwen.notifications.models import Notification
from chuangwen.notifications.services import mark_read

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    title: str
    body: str
    url: str
    created_at: dt.datetime
    read_at: dt.datetime | None


@router.get("/", response=list[NotificationOut], summary="My notifications, newest first")
@paginate(Pagination)
def list_notifications(request: HttpRequest, unread: bool = False):
    qs = Notification.objects.filter(user=request.auth)
    return qs.unread() if unread else qs


@router.post("/{notification_id}/read", response=NotificationOut, summary="Mark one of my notifications read")
def read_notification(request: HttpRequest, notification_id: int):
    note = get_object_or_404(Notification, pk=notification_id, user=request.auth)
    mark_read(request.auth, [note.pk])
    note.refresh_from_db()
    return note
