"""Requests from the offline queue carry the phone's device id (X-CW-Device): the device is
recorded, and a device the office revoked is refused (410, with the reason the phone shows)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _


class DeviceMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = request.headers.get("X-CW-Device", "")
        if key:
            from chuangwen.accounts import devices

            device = devices.seen(request, key)
            if device is not None and (device.revoked_at or device.user_id != request.user.pk):
                message = _("This phone was revoked by the office: what it still holds is not accepted.")
                return JsonResponse({"ok": False, "message": message, "revoked": True}, status=410)
        return self.get_response(request)
