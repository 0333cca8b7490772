// The territory base layer: when no tile server is configured, every map draws the grid
// boundaries and road centre lines the user may see (GeoJSON from the basemap endpoint,
// WGS-84) beneath its markers, so the markers stand on the territory, not on a blank canvas.
// Usage: cwBasemap(map, element, {near: L.latLngBounds}) — the element carries data-basemap-url and data-tile-url.
(function () {
  "use strict";
  var GRID = { color: "#198754", weight: 1.5, fillColor: "#198754", fillOpacity: 0.06, interactive: false, className: "cw-basemap-grid" };
  var ROAD = { color: "#6c757d", weight: 3, opacity: 0.7, interactive: false, className: "cw-basemap-road" };
  var MAIN_ROAD = { color: "#495057", weight: 5, opacity: 0.8, interactive: false, className: "cw-basemap-road" };

  window.cwBasemap = function (map, el, options) {
    options = options || {};
    var url = el.getAttribute("data-basemap-url");
    if (!url || el.getAttribute("data-tile-url")) { return; }
    el.classList.add("cw-basemap");
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/geo+json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data || !data.features || !data.features.length) { return; }
        var layer = L.geoJSON(data, {
          style: function (feature) {
            var p = feature.properties || {};
            if (p.kind === "road") { return p.main ? MAIN_ROAD : ROAD; }
            return GRID;
          },
          onEachFeature: function (feature, lyr) {
            var p = feature.properties || {};
            if (p.kind === "grid" && p.name && lyr.bindTooltip) {
              lyr.bindTooltip(p.name, { permanent: false, direction: "center", className: "cw-grid-label" });
            }
          }
        }).addTo(map);
        layer.bringToBack(); // beneath the markers, which were drawn first
        el.setAttribute("data-basemap-features", String(data.features.length));
        // Bring the nearby grids and roads into view with the markers (options.near: the
        // markers' bounds), so a marker stands among its grid boundaries, not on a bare patch.
        if (options.near) {
          var near = options.near.pad(0.5);
          var view = L.latLngBounds(options.near.getSouthWest(), options.near.getNorthEast());
          layer.eachLayer(function (lyr) {
            var b = lyr.getBounds && lyr.getBounds();
            if (b && b.isValid() && b.intersects(near)) { view.extend(b); }
          });
          map.fitBounds(view, { padding: [10, 10], maxZoom: 17, animate: false });
        }
      })
      .catch(function () { /* the markers still show; the base layer is a help, not a must */ });
  };
})();
