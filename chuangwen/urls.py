from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from chuangwen.api import api
from chuangwen.core import views as core_views
from chuangwen.reports.urls import home_urlpatterns
from chuangwen.surveys.urls import public_urlpatterns as survey_public_urlpatterns

admin.site.site_header = "创文平台管理"
admin.site.site_title = "创文平台"

urlpatterns = [
    path("", include((home_urlpatterns, "core"))),
    path("healthz", core_views.healthz, name="healthz"),
    path("", include("chuangwen.offline.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("accounts/", include("chuangwen.accounts.urls")),
    path("org/", include("chuangwen.org.urls")),
    path("campaigns/", include("chuangwen.campaigns.urls")),
    path("setup/", include("chuangwen.setup.urls")),
    path("indicators/", include("chuangwen.indicators.urls")),
    path("tasks/", include("chuangwen.tasks.urls")),
    path("notifications/", include("chuangwen.notifications.urls")),
    path("points/", include("chuangwen.points.urls")),
    path("inspections/", include("chuangwen.inspections.urls")),
    path("surveys/", include("chuangwen.surveys.urls")),
    path("s/", include((survey_public_urlpatterns, "surveys_public"))),
    path("problems/", include("chuangwen.problems.urls")),
    path("report/", include("chuangwen.problems.public_urls")),
    path("open311/v2/", include("chuangwen.problems.open311_urls")),
    path("audit/", include("chuangwen.audit.urls")),
    path("materials/", include("chuangwen.materials.urls")),
    path("scoring/", include("chuangwen.scoring.urls")),
    path("assessments/", include("chuangwen.assessments.urls")),
    path("stars/", include("chuangwen.stars.urls")),
    path("dashboard/", include("chuangwen.dashboard.urls")),
    path("bulletins/", include("chuangwen.bulletins.urls")),
    path("jobs/", include("chuangwen.jobs.urls")),
    path("shops/", include("chuangwen.shops.urls")),
    path("basemap/", include("chuangwen.basemap.urls")),
    path("placements/", include("chuangwen.placements.urls")),
    path("honours/", include("chuangwen.honours.urls")),
    path("exposure/", include("chuangwen.exposure.urls")),
    path("meetings/", include("chuangwen.meetings.urls")),
    path("briefings/", include("chuangwen.briefings.urls")),
    path("ledger/", include("chuangwen.ledger.urls")),
    path("volunteers/", include("chuangwen.volunteers.urls")),
    path("practice/", include("chuangwen.practice.urls")),
    path("visits/", include("chuangwen.visits.urls")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]

handler400 = "chuangwen.core.views.bad_request"
handler403 = "chuangwen.core.views.permission_denied"
handler404 = "chuangwen.core.views.page_not_found"
handler500 = "chuangwen.core.views.server_error"
