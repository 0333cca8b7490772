from django.urls import path

from chuangwen.offline import views

app_name = "offline"

# Mounted at the site root by the project's urls.py: a service worker's scope is its folder.
urlpatterns = [
    path("sw.js", views.service_worker, name="service_worker"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("offline/precache.json", views.precache_list, name="precache"),
    path("offline/device/", views.device_ping, name="device_ping"),
    path("offline/devices/", views.device_list, name="devices"),
    path("offline/devices/<int:pk>/revoke/", views.device_revoke, name="device_revoke"),
]
