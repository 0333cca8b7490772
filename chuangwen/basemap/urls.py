from django.urls import path

from chuangwen.basemap import views

app_name = "basemap"

urlpatterns = [
    path("territory.geojson", views.territory, name="territory"),
]
