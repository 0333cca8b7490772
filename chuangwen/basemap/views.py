"""The territory base layer: grid boundaries and roads the user may see, as GeoJSON."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from chuangwen.accounts.scope import scoped
from chuangwen.basemap import geojson
from chuangwen.org.models import Grid
from chuangwen.shops.models import RoadLine

MAX_FEATURES = 5000


@login_required
@require_GET
def territory(request: HttpRequest) -> JsonResponse:
    """A FeatureCollection of the user's grids (polygons) and road centre lines (WGS-84), drawn
    beneath the markers of every map when no tile server is configured."""
    grids = (
        scoped(Grid.objects.all(), request.user)
        .exclude(polygon__isnull=True)
        .select_related("unit")
        .order_by("code")[:MAX_FEATURES]
    )
    lines = (
        scoped(RoadLine.objects.all(), request.user).select_related("road").order_by("road_id")[:MAX_FEATURES]
    )
    features = [geojson.grid_feature(g) for g in grids] + [geojson.road_feature(line) for line in lines]
    response = JsonResponse(geojson.collection(features))
    response["Cache-Control"] = "private, max-age=300"
    return response
