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

  // Without a signal the report goes into the offline queue (cw-queue.js, docs/offline.md) with
  // its photos scaled on the phone, its own idempotency key and the time it was made.
  form.addEventListener("submit", function (event) {
    var Off = window.CwOffline;
    if (!Off || (navigator.onLine && !Off.isOffline())) { return; }
    event.preventDefault();
    if (!form.reportValidity()) { return; }
    var fields = {};
    var files = [];
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.disabled || el.name === "csrfmiddlewaretoken" || el.name === "idempotency_key") { return; }
      if (el.type === "file") { files = files.concat(Array.prototype.slice.call(el.files)); return; }
      if ((el.type === "radio" || el.type === "checkbox") && !el.checked) { return; }
      fields[el.name] = el.value;
    });
    var label = category && category.selectedIndex >= 0 ? category.options[category.selectedIndex].text : "";
    var capturedAt = new Date().toISOString();
    Promise.all(files.map(Off.resizePhoto)).then(function (photos) {
      return Off.queue({
        kind: "problem", label: label, url: form.getAttribute("action") || window.location.pathname,
        fields: fields, keyField: "idempotency_key", captured_at: capturedAt,
        files: photos.map(function (p) { return { field: "photos", blob: p.blob, name: p.name }; })
      });
    }).then(function () {
      form.reset();
      lat.value = ""; lng.value = "";
      var done = document.querySelector("[data-cw-report-queued]");
      if (done) { done.classList.remove("d-none"); window.scrollTo(0, 0); }
    });
  });

  if (button) { button.addEventListener("click", locate); }
  if (category) { category.addEventListener("change", refreshNearby); }
  if (lat && !lat.value) { locate(); }
})();
