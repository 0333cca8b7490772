// Problem report pages: GPS capture and possible duplicates nearby (no inline scripts: CSP).
(function () {
  "use strict";
  var form = document.querySelector("form.cw-report");
  if (!form) { return; }
  var lat = form.querySelector("input[name=lat]");
  var lng = form.querySelector("input[name=lng]");
  var status = document.querySelector("[data-cw-location-status]");
  var button = document.querySelector("[data-cw-locate]");
  var nearby = document.getElementById("cw-nearby");
  var category = form.querySelector("select[name=category]");

  function say(text) { if (status) { status.textContent = text; } }

  function refreshNearby() {
    if (!nearby || !category || !category.value || !lat.value || !lng.value) { return; }
    var url = nearby.getAttribute("data-cw-nearby-url") + "?" + new URLSearchParams({
      category: category.value, lat: lat.value, lng: lng.value
    }).toString();
    fetch(url, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (r) { return r.ok ? r.text() : ""; })
      .then(function (html) { nearby.innerHTML = html; })
      .catch(function () { /* suggestions are a help, never a blocker */ });
  }

  function locate() {
    if (!navigator.geolocation) { say(form.dataset.noGps); return; }
    say("…");
    navigator.geolocation.getCurrentPosition(function (pos) {
      lat.value = pos.coords.latitude.toFixed(7);
      lng.value = pos.coords.longitude.toFixed(7);
      say((form.dataset.located || "{place}").replace("{place}", lat.value + ", " + lng.value)
        .replace("{metres}", Math.round(pos.coords.accuracy)));
      refreshNearby();
    }, function (err) {
      // The browser's own message is English ("User denied Geolocation"): say it in the page's words.
      say(err && err.code === 1 ? form.dataset.gpsDenied : form.dataset.gpsFailed);
    }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 30000 });
  }

  if (button) { button.addEventListener("click", locate); }
  if (category) { category.addEventListener("change", refreshNearby); }
  if (lat && !lat.value) { locate(); }
})();
