// The gap map of the public-welfare ad checks: road lines in grey, stretches without a
// placement in red. Works without tiles (MAP_TILE_URL unset) on a blank canvas.
(function () {
  var el = document.getElementById("cw-gap-map");
  var source = document.getElementById("cw-gap-data");
  if (!el || !source || typeof L === "undefined") return;
  var data = JSON.parse(source.textContent);
  var map = L.map(el, { preferCanvas: true, maxZoom: 19, minZoom: 3 });
  var tiles = el.getAttribute("data-tile-url");
  if (tiles) {
    L.tileLayer(tiles, { maxZoom: 19, attribution: el.getAttribute("data-tile-attribution") || "" }).addTo(map);
  }
  var bounds = L.latLngBounds([]);
  (data.lines || []).forEach(function (line) {
    var layer = L.polyline(line, { color: "#6c757d", weight: 4 }).addTo(map);
    bounds.extend(layer.getBounds());
  });
  (data.roads || []).forEach(function (road) {
    road.gaps.forEach(function (gap) {
      L.polyline(gap, { color: "#dc3545", weight: 7 }).bindTooltip(road.name).addTo(map);
    });
  });
  if (bounds.isValid()) {
    map.fitBounds(bounds, { padding: [10, 10] });
  } else {
    map.setView([30, 120], 4);
  }
})();
