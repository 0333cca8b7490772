// Duty on the phone: check in/out with the phone's position, record duty log entries.
// No inline scripts (CSP); texts come translated in data-msg-* attributes.
(function () {
  "use strict";
  var statusEl = document.querySelector("[data-duty-status]");

  function say(text, ok) {
    if (!statusEl) { return; }
    statusEl.textContent = text;
    statusEl.className = "small mb-2 " + (ok ? "text-success" : "text-danger");
  }
  function msg(name) { return statusEl ? statusEl.getAttribute("data-msg-" + name) || "" : ""; }

  function csrfToken() {
    var m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (m) { return decodeURIComponent(m[1]); }
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (input) { return input.value; }
    return document.body.getAttribute("data-csrf-token") || "";
  }

  // Resolves with {lat, lng} or with null when the phone gives no position (the server says why).
  function locate(timeoutMs) {
    return new Promise(function (resolve) {
      if (!navigator.geolocation) { resolve(null); return; }
      navigator.geolocation.getCurrentPosition(
        function (p) { resolve({ lat: p.coords.latitude, lng: p.coords.longitude, accuracy: p.coords.accuracy }); },
        function () { resolve(null); },
        { enableHighAccuracy: true, timeout: timeoutMs || 15000, maximumAge: 30000 }
      );
    });
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "Accept": "application/json" }
    }).then(function (r) { return r.json().catch(function () { return { ok: false, message: r.statusText }; }); });
  }

  function randomKey() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    return Date.now().toString(36) + Math.random().toString(36).slice(2);
  }

  // Check-in and check-out go through the site's offline queue (cw-queue.js, docs/offline.md):
  // made without a signal, they are sent later with the time and place of the tap, and the
  // server judges them by those.
  var Off = window.CwOffline;
  if (Off) {
    Off.on("sent", function (d) {
      if (d.kind !== "duty") { return; }
      var data = d.data || {};
      say(data.message, data.ok);
      if (data.ok) { setTimeout(function () { window.location.reload(); }, 1200); }
    });
    Off.on("held", function (d) { if (d.kind === "duty") { say(d.reason, false); } });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-gps-post]");
    if (!button) { return; }
    button.disabled = true;
    say(msg("locating"), true);
    var tappedAt = new Date().toISOString();
    if (Off) {
      locate().then(function (pos) {
        return Off.queue({
          kind: "duty", label: button.textContent.trim(), url: button.getAttribute("data-gps-post"),
          captured_at: tappedAt,
          fields: pos ? { lat: String(pos.lat), lng: String(pos.lng), gps_accuracy: String(pos.accuracy) } : {}
        });
      }).then(function () { if (Off.isOffline()) { say(msg("queued"), false); } });
      return;
    }
    locate().then(function (pos) {
      var body = new FormData();
      if (pos) { body.append("lat", pos.lat); body.append("lng", pos.lng); }
      return post(button.getAttribute("data-gps-post"), body);
    }).then(function (data) {
      say(data.message, data.ok);
      if (data.ok) { setTimeout(function () { window.location.reload(); }, 1200); } else { button.disabled = false; }
    }).catch(function () { say(msg("offline"), false); button.disabled = false; });
  });

  document.addEventListener("submit", function (event) {
    var form = event.target.closest("form[data-duty-log]");
    if (!form) { return; }
    event.preventDefault();
    // The key is made once per entry: a retry after a dropped connection is stored once.
    var key = form.querySelector("[name=client_key]");
    if (!key.value) { key.value = randomKey(); }
    say(msg("saving"), true);
    locate(8000).then(function (pos) {
      if (pos) {
        form.querySelector("[name=lat]").value = pos.lat;
        form.querySelector("[name=lng]").value = pos.lng;
      }
      return post(form.action, new FormData(form));
    }).then(function (data) {
      say(data.message, data.ok);
      if (data.ok) { form.reset(); key.value = ""; }
    }).catch(function () { say(msg("offline"), false); });
  });
})();
