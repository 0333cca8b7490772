// The map of points: Leaflet + markercluster, markers coloured by the latest result.
// Works without tiles (MAP_TILE_URL unset): the markers are drawn on a blank canvas.
(function () {
  "use strict";
  var el = document.getElementById("cw-map");
  if (!el || !window.L) { return; }
  var COLOURS = { good: "#2e7d32", fair: "#ef6c00", poor: "#c62828", none: "#9e9e9e" };
  // maxZoom on the map itself: without a tile layer nothing else sets it, and clustering needs it.
  var map = L.map(el, { preferCanvas: true, zoomControl: true, maxZoom: 19, minZoom: 3 });
  var tiles = el.getAttribute("data-tile-url");
  if (tiles) {
    L.tileLayer(tiles, { maxZoom: 19, attribution: el.getAttribute("data-tile-attribution") || "" }).addTo(map);
  }
  var detail = el.getAttribute("data-detail-url");
  var renderer = L.canvas({ padding: 0.5 });
  var cluster = L.markerClusterGroup({ chunkedLoading: true, maxClusterRadius: 50 });
  var counter = document.querySelector("[data-map-count]");

  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text == null ? "" : String(text);
    return div.innerHTML;
  }

  fetch(el.getAttribute("data-points-url"), { credentials: "same-origin", headers: { "Accept": "application/json" } })
    .then(function (r) { return r.json(); })
    .then(function (data) {
      var f = {};
      data.fields.forEach(function (name, i) { f[name] = i; });
      var markers = data.rows.map(function (row) {
        var m = L.circleMarker([row[f.lat], row[f.lng]], {
          renderer: renderer, radius: 7, weight: 1, color: "#fff",
          fillColor: COLOURS[row[f.status]] || COLOURS.none, fillOpacity: 0.9
        });
        m.bindPopup('<a href="' + detail.replace("/0/", "/" + row[f.id] + "/") + '">' + escapeHtml(row[f.name]) +
          "</a><br><small>" + escapeHtml(row[f.type]) + " · " + escapeHtml(row[f.unit]) + "</small>");
        return m;
      });
      cluster.addLayers(markers);
      map.addLayer(cluster);
      if (counter) { counter.textContent = String(markers.length); }
      if (markers.length) {
        map.fitBounds(cluster.getBounds(), { padding: [20, 20] });
      } else {
        map.setView([35.0, 105.0], 4);
        if (counter) { counter.textContent = el.getAttribute("data-empty-text"); }
      }
    });
})();
