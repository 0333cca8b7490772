"""Open311 GeoReport v2, mounted at /open311/v2/ (format suffix .json or .xml).

The last pattern answers every other path under the prefix with a GeoReport error list, so a
client never has to parse an HTML page."""

from django.urls import path, re_path

from chuangwen.problems.views import open311

app_name = "open311"
FMT = r"(?P<fmt>json|xml)"

urlpatterns = [
    re_path(rf"^services\.{FMT}$", open311.services_list, name="services"),
    re_path(rf"^services/(?P<code>[\w.-]+)\.{FMT}$", open311.service_definition, name="service"),
    re_path(rf"^requests\.{FMT}$", open311.requests, name="requests"),
    re_path(rf"^requests/(?P<request_id>\d+)\.{FMT}$", open311.request_detail, name="request"),
    re_path(rf"^tokens/(?P<token>[\w-]+)\.{FMT}$", open311.token_detail, name="token"),
    path("media/<str:token>.jpg", open311.media, name="media"),
    re_path(r"^.*$", open311.not_found, name="not_found"),
]
