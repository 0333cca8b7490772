// The problem detail page's map: the problem's position (WGS-84) on the territory. Tiles when
// MAP_TILE_URL is set; otherwise the grid boundaries and roads drawn by basemap.js.
(function () {
  "use strict";
  var el = document.getElementById("cw-problem-position");
  if (!el || !window.L) { return; }
  var lat = parseFloat(el.getAttribute("data-lat"));
  var lng = parseFloat(el.getAttribute("data-lng"));
  if (isNaN(lat) || isNaN(lng)) { return; }
  var map = L.map(el, { maxZoom: 19, minZoom: 3 }).setView([lat, lng], 16);
  var tiles = el.getAttribute("data-tile-url");
  if (tiles) {
    L.tileLayer(tiles, { maxZoom: 19, attribution: el.getAttribute("data-tile-attribution") || "" }).addTo(map);
  }
  // the grids and roads within about 500 m come into view with the position
  var around = L.latLngBounds([lat - 0.0045, lng - 0.0045], [lat + 0.0045, lng + 0.0045]);
  if (window.cwBasemap) { window.cwBasemap(map, el, { near: around }); }
  L.circleMarker([lat, lng], {
    radius: 9, weight: 3, color: "#fff", fillColor: "#dc3545", fillOpacity: 0.95
  }).addTo(map);
})();
