// The inspector's phone page: every change goes into the offline queue (cw-queue.js, IndexedDB,
// see docs/offline.md) and is sent in order, so a dropped connection loses nothing. Each entry
// carries its own idempotency key (a resend after a lost answer is stored once), the time and
// GPS fix of its capture, and its photos as blobs scaled on the phone to 1600 px.
(function () {
  "use strict";
  var root = document.getElementById("cw-visit");
  if (!root || !window.CwOffline) { return; }
  var Off = window.CwOffline;
  var LEGACY_KEY = "cw.inspections.queue.v1"; // the localStorage queue of earlier versions
  var KIND = "inspection";
  var rpId = root.getAttribute("data-round-point");
  var chain = Promise.resolve();

  function msg(name) { return root.getAttribute("data-msg-" + name) || ""; }
  function refOf(itemId) { return "inspection:" + rpId + ":" + itemId; }
  function formOf(ref) {
    var parts = (ref || "").split(":");
    if (parts[1] !== rpId) { return null; }
    return root.querySelector('form[data-item="' + parts[2] + '"]');
  }
  function setStatus(form, state, text) {
    if (!form) { return; }
    form.classList.remove("cw-saved", "cw-queued", "cw-failed");
    form.classList.add("cw-" + state);
    form.querySelector("[data-item-status]").textContent = text || "";
  }
  function showQueue() {
    Off.items().then(function (items) {
      var n = items.filter(function (e) { return e.kind === KIND && e.status === "waiting"; }).length;
      var el = root.querySelector("[data-queue-status]");
      el.textContent = n + " " + msg("pending");
      el.classList.toggle("d-none", n === 0);
    });
  }

  // Keep a fresh position: the server records it (with its accuracy) and flags items saved far
  // from the point.
  Off.watchPosition(function (fix) {
    root.querySelector("[data-gps-status]").textContent = msg("gps").replace("%s", Math.round(fix.accuracy));
  }, function () {
    root.querySelector("[data-gps-status]").textContent = msg("gps-none");
  });

  function snapshot(form) {
    var fields = {};
    // querySelector, not form.elements[name]: elements["item"] is the collection's item() method.
    ["item", "occurrences", "value", "note"].forEach(function (name) {
      var input = form.querySelector('[name="' + name + '"]');
      if (input) { fields[name] = input.value; }
    });
    var checked = form.querySelector("input[name=result]:checked");
    fields.result = checked ? checked.value : "";
    var fix = Off.position();
    fields.lat = fix ? String(fix.lat) : "";
    fields.lng = fix ? String(fix.lng) : "";
    fields.gps_accuracy = fix ? String(fix.accuracy) : "";
    fields.gps_at = fix ? fix.at : "";
    return fields;
  }

  function enqueue(form, files) {
    var itemId = form.getAttribute("data-item");
    var capturedAt = new Date().toISOString();
    var fields = snapshot(form);
    var photos = Array.prototype.slice.call(files || []);
    setStatus(form, "queued", msg("queued"));
    // Entries join the queue in the order they were made, even while photos are being scaled:
    // a later answer must not be overwritten by an earlier one sent after it.
    var resized = Promise.all(photos.map(Off.resizePhoto));
    chain = chain.then(function () { return resized; }).then(function (read) {
      var label = (document.title.split(" · ")[0] || "") + " · " + (form.querySelector(".fw-semibold") || {}).textContent;
      return Off.queue({
        kind: KIND, ref: refOf(itemId), label: label, url: form.action, fields: fields,
        files: read.map(function (p) { return { field: "photos", blob: p.blob, name: p.name }; }),
        supersede: read.length === 0, captured_at: capturedAt
      });
    }).then(showQueue, showQueue);
    return chain;
  }

  Off.on("sent", function (d) {
    if (d.kind !== KIND) { return; }
    showQueue();
    var form = formOf(d.ref);
    var data = d.data || {};
    if (!form || !data.ok) { return; }
    var text = msg("saved") + (data.warnings && data.warnings.length ? " · " + data.warnings[0] : "");
    setStatus(form, "saved", text);
    if (data.item) { form.querySelector("[data-item-grade]").textContent = data.item.grade || ""; }
    if (data.score_rate !== null && data.score_rate !== undefined) {
      root.querySelector("[data-visit-score]").textContent = data.score_rate.toFixed(1) + "%";
    }
    root.querySelector("[data-visit-observed]").textContent = data.observed;
  });
  Off.on("held", function (d) {
    if (d.kind !== KIND) { return; }
    showQueue();
    setStatus(formOf(d.ref), "failed", msg("failed") + ": " + d.reason);
  });

  root.addEventListener("change", function (event) {
    var form = event.target.closest("form[data-obs-form]");
    if (!form) { return; }
    if (event.target.name === "photos") {
      var files = Array.prototype.slice.call(event.target.files);
      var thumbs = form.querySelector("[data-thumbs]");
      files.forEach(function (file) {
        var img = document.createElement("img");
        img.src = URL.createObjectURL(file);
        thumbs.appendChild(img);
      });
      enqueue(form, files).then(function () { event.target.value = ""; });
      return;
    }
    enqueue(form, []);
  });
  root.addEventListener("click", function (event) {
    var button = event.target.closest("[data-step]");
    if (!button) { return; }
    var input = button.parentElement.querySelector("input[name=occurrences]");
    var next = Math.max(0, (parseInt(input.value, 10) || 0) + parseInt(button.getAttribute("data-step"), 10));
    input.value = String(next);
    input.dispatchEvent(new Event("change", { bubbles: true }));
  });
  root.addEventListener("submit", function (event) {
    var form = event.target.closest("form[data-obs-form]");
    if (form) { event.preventDefault(); enqueue(form, []); }
  });

  // Entries left in the old localStorage queue move to the new one, in their order, once.
  function migrateLegacy() {
    var old;
    try { old = JSON.parse(localStorage.getItem(LEGACY_KEY) || "[]"); } catch (e) { old = []; }
    if (!old.length) { return Promise.resolve(); }
    return old.reduce(function (chain, e) {
      return chain.then(function () {
        return Promise.all((e.photos || []).map(function (p) {
          return fetch(p.dataUrl).then(function (r) { return r.blob(); }).then(function (blob) {
            return { field: "photos", blob: blob, name: p.name };
          });
        })).then(function (files) {
          var fields = e.fields || {};
          fields.lat = e.lat; fields.lng = e.lng;
          return window.CwQueue.add({
            kind: KIND, ref: "inspection:" + (e.url.match(/visits\/(\d+)/) || [])[1] + ":" + e.item, label: "",
            url: e.url, fields: fields, files: files, key: e.key,
            captured_at: new Date(e.at || Date.now()).toISOString(), user: document.body.getAttribute("data-cw-user")
          });
        });
      });
    }, Promise.resolve()).then(function () { localStorage.removeItem(LEGACY_KEY); });
  }

  migrateLegacy().then(function () { return Off.items(); }).then(function (items) {
    items.forEach(function (e) {
      if (e.kind !== KIND) { return; }
      if (e.status === "held") { setStatus(formOf(e.ref), "failed", msg("failed") + ": " + e.reason); }
      else { setStatus(formOf(e.ref), "queued", msg("queued")); }
    });
    showQueue();
    Off.flush();
  });
})();
