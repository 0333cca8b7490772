"""Routes of the installable app: the worker and the manifest are public files (a browser
fetches them before and after signing in); the list of pages to keep needs a signed-in person."""

from django.utils import timezone

from chuangwen.tests.matrix import page


def _device(world):
    from chuangwen.accounts.models import Device

    device, _new = Device.objects.get_or_create(
        key="matrix-device-0000000001",
        defaults={"user": world.users["duty_a"], "unit": world.community_a, "last_seen": timezone.now()},
    )
    return {"pk": device.pk}


EVERYBODY = {"anonymous": 200}

ROUTES = [
    page("offline:service_worker", **EVERYBODY),
    page("offline:manifest", **EVERYBODY),
    page("offline:precache"),
    page("offline:device_ping", method="POST"),
    page("offline:devices", default=403, office=200),
    page("offline:device_revoke", default=403, method="POST", kwargs=_device, office=302),
]
