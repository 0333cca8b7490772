// The inspector's phone page: every change is queued in localStorage and sent in order, so a
// dropped connection loses nothing. Each queued entry carries its own idempotency key: a resend
// after a lost answer is stored once. Photos wait in the queue as data URLs (large ones are
// scaled to 1600 px first, so a dozen fit in the browser's storage).
(function () {
  "use strict";
  var root = document.getElementById("cw-visit");
  if (!root) { return; }
  var QUEUE_KEY = "cw.inspections.queue.v1";
  var MAX_INLINE_BYTES = 1.5 * 1024 * 1024;
  var memoryQueue = null; // used when localStorage is full or unavailable
  var sending = false;
  var position = null;

  function msg(name) { return root.getAttribute("data-msg-" + name) || ""; }
  function load() {
    if (memoryQueue) { return memoryQueue; }
    try { return JSON.parse(localStorage.getItem(QUEUE_KEY) || "[]"); } catch (e) { return []; }
  }
  function store(queue) {
    if (memoryQueue) { memoryQueue = queue; showQueue(); return; }
    try { localStorage.setItem(QUEUE_KEY, JSON.stringify(queue)); } catch (e) {
      memoryQueue = queue;
      alert(msg("full"));
    }
    showQueue();
  }
  function showQueue() {
    var el = root.querySelector("[data-queue-status]");
    var n = load().length;
    el.textContent = n + " " + msg("pending");
    el.classList.toggle("d-none", n === 0);
  }
  function randomKey() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 12);
  }
  function csrfToken() {
    var m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (m) { return decodeURIComponent(m[1]); }
    var input = root.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }
  function formOf(itemId) { return root.querySelector('form[data-item="' + itemId + '"]'); }
  function setStatus(form, state, text) {
    if (!form) { return; }
    form.classList.remove("cw-saved", "cw-queued", "cw-failed");
    form.classList.add("cw-" + state);
    form.querySelector("[data-item-status]").textContent = text || "";
  }

  // Keep a fresh position: the server records it and flags items saved far from the point.
  if (navigator.geolocation) {
    navigator.geolocation.watchPosition(function (p) {
      position = { lat: p.coords.latitude, lng: p.coords.longitude };
      root.querySelector("[data-gps-status]").textContent = msg("gps").replace("%s", Math.round(p.coords.accuracy));
    }, function () {
      root.querySelector("[data-gps-status]").textContent = msg("gps-none");
    }, { enableHighAccuracy: true, maximumAge: 20000, timeout: 30000 });
  }

  function readPhoto(file) {
    return new Promise(function (resolve) {
      var reader = new FileReader();
      reader.onload = function () {
        if (file.size <= MAX_INLINE_BYTES) { resolve({ name: file.name, dataUrl: reader.result }); return; }
        var img = new Image();
        img.onload = function () {
          var scale = Math.min(1, 1600 / Math.max(img.width, img.height));
          var canvas = document.createElement("canvas");
          canvas.width = Math.round(img.width * scale);
          canvas.height = Math.round(img.height * scale);
          canvas.getContext("2d").drawImage(img, 0, 0, canvas.width, canvas.height);
          resolve({ name: file.name.replace(/\.\w+$/, "") + ".jpg", dataUrl: canvas.toDataURL("image/jpeg", 0.85) });
        };
        img.onerror = function () { resolve({ name: file.name, dataUrl: reader.result }); };
        img.src = reader.result;
      };
      reader.readAsDataURL(file);
    });
  }
  function dataUrlToBlob(dataUrl) {
    var parts = dataUrl.split(",");
    var mime = (parts[0].match(/data:([^;]+)/) || [])[1] || "application/octet-stream";
    var bytes = atob(parts[1]);
    var array = new Uint8Array(bytes.length);
    for (var i = 0; i < bytes.length; i++) { array[i] = bytes.charCodeAt(i); }
    return new Blob([array], { type: mime });
  }

  function snapshot(form) {
    var fields = {};
    // querySelector, not form.elements[name]: elements["item"] is the collection's item() method.
    ["item", "occurrences", "value", "note"].forEach(function (name) {
      var input = form.querySelector('[name="' + name + '"]');
      if (input) { fields[name] = input.value; }
    });
    var checked = form.querySelector("input[name=result]:checked");
    fields.result = checked ? checked.value : "";
    return fields;
  }

  function enqueue(form, files) {
    var itemId = form.getAttribute("data-item");
    var photos = Array.prototype.slice.call(files || []);
    return Promise.all(photos.map(readPhoto)).then(function (read) {
      var queue = load();
      // A newer state of the same item supersedes older unsent entries without photos.
      queue = queue.filter(function (e) { return e.item !== itemId || (e.photos && e.photos.length); });
      queue.push({
        key: randomKey(), url: form.action, item: itemId, fields: snapshot(form), photos: read,
        lat: position ? position.lat : "", lng: position ? position.lng : "", at: Date.now()
      });
      store(queue);
      setStatus(form, "queued", msg("queued"));
      flush();
    });
  }

  function send(entry) {
    var body = new FormData();
    Object.keys(entry.fields).forEach(function (k) { body.append(k, entry.fields[k]); });
    body.append("client_key", entry.key);
    body.append("lat", entry.lat);
    body.append("lng", entry.lng);
    (entry.photos || []).forEach(function (p) { body.append("photos", dataUrlToBlob(p.dataUrl), p.name); });
    return fetch(entry.url, {
      method: "POST", body: body, credentials: "same-origin", redirect: "manual",
      headers: { "X-CSRFToken": csrfToken(), "Accept": "application/json" }
    });
  }

  function flush() {
    if (sending) { return; }
    var queue = load();
    if (!queue.length) { return; }
    sending = true;
    var entry = queue[0];
    var form = formOf(entry.item);
    send(entry).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (response.type === "opaqueredirect" || response.status === 401 || response.status === 403 ||
          type.indexOf("application/json") === -1) {
        // Signed out (redirect to the sign-in page) or refused: keep everything and say so.
        setStatus(form, "queued", msg("signed-out"));
        throw new Error("signed-out");
      }
      return response.json().then(function (data) {
        var rest = load().filter(function (e) { return e.key !== entry.key; });
        store(rest);
        if (response.ok && data.ok) {
          var text = msg("saved") + (data.warnings && data.warnings.length ? " · " + data.warnings[0] : "");
          setStatus(form, "saved", text);
          if (form && data.item) { form.querySelector("[data-item-grade]").textContent = data.item.grade || ""; }
          if (data.score_rate !== null && data.score_rate !== undefined) {
            root.querySelector("[data-visit-score]").textContent = data.score_rate.toFixed(1) + "%";
          }
          root.querySelector("[data-visit-observed]").textContent = data.observed;
        } else {
          // A refusal (a photo that is not a photo…) will not succeed on retry: show it, drop it.
          setStatus(form, "failed", msg("failed") + ": " + (data.message || response.status));
        }
      });
    }).then(function () {
      sending = false;
      flush();
    }).catch(function () {
      sending = false; // offline or signed out: try again later
    });
  }

  root.addEventListener("change", function (event) {
    var form = event.target.closest("form[data-obs-form]");
    if (!form) { return; }
    if (event.target.name === "photos") {
      var files = event.target.files;
      var thumbs = form.querySelector("[data-thumbs]");
      Array.prototype.forEach.call(files, function (file) {
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

  window.addEventListener("online", flush);
  setInterval(flush, 15000);
  load().forEach(function (e) { setStatus(formOf(e.item), "queued", msg("queued")); });
  showQueue();
  flush();
})();
