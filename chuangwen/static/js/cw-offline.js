// The page side of offline field work (docs/offline.md), on every signed-in page:
// registers the service worker (/sw.js), asks it to keep today's field pages, shows the
// "offline / N waiting to send" bar with "Send now", and sends the queue (cw-queue.js) when
// the page opens, when the network returns and every 30 s. Field pages use window.CwOffline:
//
//   CwOffline.queue({kind, label, url, fields, files, ref, keyField, key}) -> Promise<item>
//   CwOffline.resizePhoto(file) -> Promise<{blob, name}>   (1600 px JPEG, what the server keeps)
//   CwOffline.position() -> {lat, lng, accuracy, at} | null  (after CwOffline.watchPosition())
//   CwOffline.on("sent" | "held" | "added", fn(detail))
(function () {
  "use strict";
  var Q = window.CwQueue;
  var body = document.body;
  var user = body.getAttribute("data-cw-user") || "";
  var bar = document.getElementById("cw-offline-bar");
  if (!Q || !user) { return; }
  var last = { stopped: "" };
  var fix = null;
  var handlers = {};
  var PHOTO_SIDE = 1600; // chuangwen.core.images.DISPLAY_MAX_SIDE
  var PHOTO_QUALITY = 0.85;
  var QUOTA_WARN = 0.8;

  function msg(name) { return bar ? bar.getAttribute("data-msg-" + name) || "" : ""; }
  function csrf() {
    var m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (m) { return decodeURIComponent(m[1]); }
    return body.getAttribute("data-csrf-token") || "";
  }

  // --- the bar ------------------------------------------------------------------------------
  function render() {
    if (!bar) { return Promise.resolve(); }
    return Q.all().then(function (items) {
      items = items.filter(function (i) { return !i.user || String(i.user) === user; });
      var waiting = items.filter(function (i) { return i.status !== "held"; });
      var held = items.filter(function (i) { return i.status === "held"; });
      var offline = !navigator.onLine || last.stopped === "offline";
      var parts = [];
      if (offline) { parts.push(msg("offline")); }
      if (waiting.length) { parts.push(msg("waiting").replace("%(n)s", waiting.length)); }
      if (waiting.length && last.stopped === "signin") { parts.push(msg("signin")); }
      if (waiting.length && last.stopped === "server") { parts.push(msg("server")); }
      if (held.length) { parts.push(msg("held").replace("%(n)s", held.length)); }
      bar.querySelector("[data-cw-offline-text]").textContent = parts.join(" · ");
      bar.querySelector("[data-cw-offline-flag]").classList.toggle("d-none", !offline);
      bar.querySelector("[data-cw-send-now]").classList.toggle("d-none", !waiting.length);
      bar.setAttribute("data-waiting", String(waiting.length));
      bar.setAttribute("data-held", String(held.length));
      var quota = bar.querySelector("[data-cw-quota]");
      bar.classList.toggle("d-none", !offline && !waiting.length && !held.length && quota.classList.contains("d-none"));
      renderHeld(held);
    });
  }

  function renderHeld(held) {
    var box = bar.querySelector("[data-cw-held]");
    var list = bar.querySelector("[data-cw-held-list]");
    var row = bar.querySelector("[data-cw-held-row]");
    box.classList.toggle("d-none", !held.length);
    list.textContent = "";
    held.forEach(function (item) {
      var li = row.content.firstElementChild.cloneNode(true);
      li.setAttribute("data-id", String(item.id));
      li.querySelector("[data-cw-held-label]").textContent = item.label || item.kind;
      li.querySelector("[data-cw-held-at]").textContent = new Date(item.captured_at).toLocaleString();
      li.querySelector("[data-cw-held-reason]").textContent = item.reason;
      list.appendChild(li);
    });
  }

  function checkQuota() {
    if (!bar || !navigator.storage || !navigator.storage.estimate) { return; }
    navigator.storage.estimate().then(function (e) {
      var el = bar.querySelector("[data-cw-quota]");
      var near = e.quota && e.usage / e.quota >= QUOTA_WARN;
      el.classList.toggle("d-none", !near);
      if (near) {
        el.textContent = msg("quota").replace("%(used)s", Math.round(e.usage / 1048576)).replace("%(quota)s", Math.round(e.quota / 1048576));
      }
      render();
    });
  }

  // --- sending ------------------------------------------------------------------------------
  // A reply lost on the way back or a server error: try again soon, then less often.
  var retryDelay = 2000;
  var retryTimer = null;
  function retryLater() {
    if (retryTimer) { return; }
    retryTimer = setTimeout(function () { retryTimer = null; flush(); }, retryDelay);
    retryDelay = Math.min(retryDelay * 2, 60000);
  }

  function flush() {
    return Q.flush({ csrf: csrf(), user: user }).then(function (outcome) {
      if (outcome.stopped !== "busy") { last = outcome; }
      if (outcome.stopped === "offline" || outcome.stopped === "server") { retryLater(); }
      else if (outcome.stopped === "") { retryDelay = 2000; }
      render();
      checkQuota();
      return outcome;
    }, function () { render(); });
  }

  function emit(detail) {
    (handlers[detail.type] || []).forEach(function (fn) { try { fn(detail); } catch (e) { /* page bug */ } });
    if (detail.type !== "flushed") { render(); }
  }
  Q.onChange(emit);

  function requestSync() {
    if (!("serviceWorker" in navigator)) { return; }
    navigator.serviceWorker.ready.then(function (reg) {
      if (reg.sync && reg.sync.register) { return reg.sync.register("cw-queue"); }
      return null;
    })["catch"](function () { /* no Background Sync: the pages send */ });
  }

  // --- photos and position ------------------------------------------------------------------
  function resizePhoto(file) {
    return new Promise(function (resolve) {
      var url = URL.createObjectURL(file);
      var img = new Image();
      img.onload = function () {
        var scale = Math.min(1, PHOTO_SIDE / Math.max(img.naturalWidth, img.naturalHeight));
        var canvas = document.createElement("canvas");
        canvas.width = Math.round(img.naturalWidth * scale);
        canvas.height = Math.round(img.naturalHeight * scale);
        canvas.getContext("2d").drawImage(img, 0, 0, canvas.width, canvas.height);
        URL.revokeObjectURL(url);
        canvas.toBlob(function (blob) {
          if (!blob || (scale === 1 && file.size <= blob.size)) { resolve({ blob: file, name: file.name }); return; }
          resolve({ blob: blob, name: (file.name || "photo").replace(/\.\w+$/, "") + ".jpg" });
        }, "image/jpeg", PHOTO_QUALITY);
      };
      img.onerror = function () { URL.revokeObjectURL(url); resolve({ blob: file, name: file.name }); };
      img.src = url;
    });
  }

  var watching = false;
  function watchPosition(onFix, onError) {
    if (!navigator.geolocation) { if (onError) { onError(); } return; }
    if (watching) { return; }
    watching = true;
    navigator.geolocation.watchPosition(function (p) {
      fix = { lat: p.coords.latitude, lng: p.coords.longitude, accuracy: p.coords.accuracy, at: new Date(p.timestamp).toISOString() };
      if (onFix) { onFix(fix); }
    }, function () { if (onError) { onError(); } }, { enableHighAccuracy: true, maximumAge: 20000, timeout: 30000 });
  }

  window.CwOffline = {
    queue: function (item) {
      item.user = user;
      return Q.supersede(item.supersede ? item.ref : null).then(function () { return Q.add(item); }).then(function (stored) {
        requestSync();
        flush();
        return stored;
      });
    },
    flush: flush,
    // True when the last send found no network (navigator.onLine can say yes on a dead signal).
    isOffline: function () { return !navigator.onLine || last.stopped === "offline"; },
    resizePhoto: resizePhoto,
    watchPosition: watchPosition,
    position: function () { return fix; },
    items: function () { return Q.all(); },
    on: function (type, fn) { (handlers[type] = handlers[type] || []).push(fn); }
  };

  // --- the bar's buttons --------------------------------------------------------------------
  if (bar) {
    bar.addEventListener("click", function (event) {
      if (event.target.closest("[data-cw-send-now]")) { flush(); return; }
      var li = event.target.closest("li[data-id]");
      if (!li) { return; }
      var id = Number(li.getAttribute("data-id"));
      if (event.target.closest("[data-cw-discard]")) {
        if (window.confirm(msg("discard-confirm"))) { Q.remove(id).then(render); }
      } else if (event.target.closest("[data-cw-retry]")) {
        Q.all().then(function (items) {
          var item = items.filter(function (i) { return i.id === id; })[0];
          if (!item) { return null; }
          item.status = "waiting";
          item.reason = "";
          return Q.put(item).then(flush);
        });
      }
    });
  }

  // --- the service worker -------------------------------------------------------------------
  function setUp() {
    return Q.getMeta("device:" + user).then(function (device) {
      if (device) { return device; }
      device = Q.newKey();
      return Q.setMeta("device:" + user, device).then(function () { return device; });
    }).then(function (device) {
      // The phone says which device it is, so the office can revoke it (docs/offline.md).
      var url = body.getAttribute("data-cw-device");
      if (url && navigator.onLine) {
        fetch(url, {
          method: "POST", credentials: "same-origin",
          headers: { "X-CSRFToken": csrf(), "X-CW-Device": device, "Accept": "application/json" }
        })["catch"](function () { /* offline: next time */ });
      }
      return Promise.all([Q.setMeta("user", user), Q.setMeta("csrf", csrf())]);
    });
  }

  function precache(reg) {
    // The worker keeps the list fresh: it refetches at most every ten minutes, or at once
    // after a new version.
    var worker = reg.active || navigator.serviceWorker.controller;
    if (worker && navigator.onLine) { worker.postMessage({ type: "precache" }); }
  }

  if ("serviceWorker" in navigator && body.getAttribute("data-cw-sw")) {
    navigator.serviceWorker.addEventListener("message", function (event) {
      var data = event.data || {};
      if (data.type === "precached") {
        document.documentElement.setAttribute("data-cw-precached", String(data.kept));
      }
    });
    navigator.serviceWorker.register(body.getAttribute("data-cw-sw"), { scope: "/" }).then(function () {
      return navigator.serviceWorker.ready;
    }).then(precache)["catch"](function () { /* no worker (http on a LAN address): the queue still works */ });
    // Signing out forgets the kept pages (they show the person's work); the queue stays.
    document.addEventListener("submit", function (event) {
      var form = event.target;
      if (form.getAttribute("action") && form.getAttribute("action").indexOf("/accounts/logout") === 0 &&
          navigator.serviceWorker.controller) {
        navigator.serviceWorker.controller.postMessage({ type: "forget-pages" });
      }
    });
  }
  if (navigator.storage && navigator.storage.persist) {
    navigator.storage.persist()["catch"](function () { /* the browser decides */ });
  }

  window.addEventListener("online", function () { last.stopped = ""; flush(); });
  window.addEventListener("offline", render);
  setInterval(flush, 30000);
  setUp().then(flush);
}());
