// The dispatch console's map: Leaflet markers for the queue, blue for new, red for returned.
// Tiles only when MAP_TILE_URL is set; otherwise the territory (grids, roads) is drawn beneath
// the markers by basemap.js.
// A marker's popup links to the problem and ticks its row for bulk assignment.
(function () {
  "use strict";
  var el = document.getElementById("cw-problem-map");
  var data = document.getElementById("cw-problem-markers");
  if (!el || !data || !window.L) { return; }
  var markers = JSON.parse(data.textContent);
  var COLOURS = { reported: "#0d6efd", returned: "#dc3545" };
  // SVG markers (not canvas): the queue holds at most 500, and SVG paths are clickable elements.
  var map = L.map(el, { maxZoom: 19, minZoom: 3 });
  var tiles = el.getAttribute("data-tile-url");
  if (tiles) {
    L.tileLayer(tiles, { maxZoom: 19, attribution: el.getAttribute("data-tile-attribution") || "" }).addTo(map);
  }
  var selectText = el.getAttribute("data-select-text");

  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text == null ? "" : String(text);
    return div.innerHTML;
  }

  var layer = L.featureGroup();
  markers.forEach(function (m) {
    var marker = L.circleMarker([m.lat, m.lng], {
      radius: 8, weight: 2, color: "#fff", fillColor: COLOURS[m.status] || "#6c757d", fillOpacity: 0.9
    });
    marker.bindPopup('<a href="' + m.url + '">' + escapeHtml(m.label) + '</a><br>' +
      '<button type="button" class="btn btn-sm btn-outline-primary mt-1" data-tick="' + m.id + '">' +
      escapeHtml(selectText) + '</button>');
    marker.addTo(layer);
  });
  layer.addTo(map);
  map.fitBounds(layer.getBounds(), { padding: [20, 20], maxZoom: 17 });
  // the grids and roads within about 500 m of the queue come into view with it
  var b = layer.getBounds();
  var near = L.latLngBounds([b.getSouth() - 0.0045, b.getWest() - 0.0045], [b.getNorth() + 0.0045, b.getEast() + 0.0045]);
  if (window.cwBasemap) { window.cwBasemap(map, el, { near: near }); }

  el.addEventListener("click", function (event) {
    var id = event.target.getAttribute && event.target.getAttribute("data-tick");
    if (!id) { return; }
    var box = document.querySelector('input[name="rows"][value^="' + id + ':"]');
    if (box) { box.checked = true; box.closest("tr").scrollIntoView({ block: "center" }); }
  });
})();
