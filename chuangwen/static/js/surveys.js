// Questionnaire forms on phones (no inline scripts: the CSP forbids them).
//
// Every form: answers are kept in localStorage while they are typed (a reload or a flat
// battery loses nothing), and a screening answer outside the population hides and disables
// the questions after it.
//
// data-cw-collect="queue" (the enumerator's form): "Save interview" puts the interview in a
// queue in localStorage with its own idempotency key and clears the form for the next one;
// the queue is sent in order, kept through dropped connections and retried with back-off, and
// an item leaves the queue only when the server confirms it (a retry of something the server
// already stored comes back as the same response, never a second copy).
// data-cw-collect="draft" (the public form): the form posts normally; only the draft is kept.
(function () {
  "use strict";
  var form = document.getElementById("cw-survey-form");
  if (!form) { return; }
  var mode = form.getAttribute("data-cw-collect");
  var store = form.getAttribute("data-store");
  var draftKey = store + ":draft";
  var queueKey = store + ":queue";
  var rejectedKey = store + ":rejected";
  var fieldsets = Array.prototype.slice.call(form.querySelectorAll("fieldset.cw-q"));

  function load(key, fallback) {
    try { var raw = window.localStorage.getItem(key); return raw ? JSON.parse(raw) : fallback; }
    catch (e) { return fallback; }
  }
  function save(key, value) {
    try { window.localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* storage full or private mode */ }
  }
  function drop(key) { try { window.localStorage.removeItem(key); } catch (e) { /* ignore */ } }

  function newKey() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  // --- screening -------------------------------------------------------------------------
  function screenedAt() {
    for (var i = 0; i < fieldsets.length; i++) {
      var fs = fieldsets[i];
      if (fs.hasAttribute("data-screened-out")) { return i; }  // a screening rule (survey-logic.js)
      if (!fs.hasAttribute("data-screening")) { continue; }
      if (fs.getAttribute("data-kind") === "integer") {
        var input = fs.querySelector("input");
        if (input && input.value !== "") {
          var v = Number(input.value);
          var min = fs.getAttribute("data-min");
          var max = fs.getAttribute("data-max");
          if ((min !== null && v < Number(min)) || (max !== null && v > Number(max))) { return i; }
        }
      } else if (fs.querySelector("input[data-ends]:checked")) {
        return i;
      }
    }
    return -1;
  }
  function applyScreening() {
    var at = screenedAt();
    fieldsets.forEach(function (fs, i) {
      var off = (at >= 0 && i > at) || fs.hasAttribute("data-cw-irrelevant");  // skipped by relevance
      fs.classList.toggle("d-none", off);
      Array.prototype.forEach.call(fs.querySelectorAll("input, textarea, select"), function (el) { el.disabled = off || !!el.closest("[data-cw-filtered]"); });
      var note = fs.querySelector(".cw-screened");
      if (note) { note.classList.toggle("d-none", i !== at); }
    });
  }

  // --- draft -----------------------------------------------------------------------------
  function snapshot() {
    var data = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.name === "csrfmiddlewaretoken" || el.name === "idempotency_key") { return; }
      if ((el.type === "radio" || el.type === "checkbox") && !el.checked) { return; }
      (data[el.name] = data[el.name] || []).push(el.value);
    });
    return data;
  }
  function restore(data) {
    if (!data) { return; }
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || !(el.name in data)) { return; }
      if (el.type === "radio" || el.type === "checkbox") { el.checked = data[el.name].indexOf(el.value) >= 0; }
      else if (el.type !== "hidden") { el.value = data[el.name][0]; }
    });
  }
  function saveDraft() { save(draftKey, snapshot()); }

  // The server re-drew the form with what was posted: its values win over an older draft.
  if (!form.querySelector(".invalid-feedback") && !document.querySelector(".alert-danger")) {
    restore(load(draftKey, null));
  }
  applyScreening();
  form.addEventListener("change", function () { applyScreening(); saveDraft(); });
  form.addEventListener("input", function () { applyScreening(); saveDraft(); });

  if (mode !== "queue") {
    form.addEventListener("submit", function () { drop(draftKey); });
    return;
  }

  // --- queue (enumerator) ------------------------------------------------------------------
  var endpoint = form.getAttribute("data-endpoint");
  var csrf = form.getAttribute("data-csrf");
  var statusBox = document.getElementById("cw-queue-status");
  var rejectedBox = document.getElementById("cw-rejected");
  var startedAt = new Date().toISOString();
  var flushing = false;
  var delay = 2000;
  var timer = null;
  var lastMessage = "";
  var sentAny = false;

  function answers() {
    var result = {};
    fieldsets.forEach(function (fs) {
      var name = fs.getAttribute("data-name");
      var kind = fs.getAttribute("data-kind");
      var inputs = Array.prototype.filter.call(fs.querySelectorAll("[name='q_" + name + "']"), function (el) { return !el.disabled; });
      if (kind === "multiple") {
        var picked = inputs.filter(function (el) { return el.checked; }).map(function (el) { return el.value; });
        if (picked.length) { result[name] = picked; }
        return;
      }
      var value = "";
      inputs.forEach(function (el) {
        if (el.type === "radio") { if (el.checked) { value = el.value; } }
        else { value = el.value.trim(); }
      });
      if (value === "") { return; }
      result[name] = (kind === "integer" || kind === "rating") ? Number(value) : value;
    });
    return result;
  }

  function showStatus(message) {
    if (message) { lastMessage = message; }
    var waiting = load(queueKey, []).length;
    var text;
    if (waiting) {
      text = form.getAttribute("data-msg-queued").replace("{n}", String(waiting));
      if (lastMessage) { text += " " + lastMessage; }
    } else if (sentAny) {
      text = form.getAttribute("data-msg-sent");
      lastMessage = "";
    } else {
      statusBox.classList.add("d-none");
      showRejected();
      return;
    }
    statusBox.textContent = text;
    statusBox.classList.remove("d-none");
    statusBox.classList.toggle("alert-warning", waiting > 0);
    statusBox.classList.toggle("alert-success", waiting === 0);
    showRejected();
  }

  function showRejected() {
    var rejected = load(rejectedKey, []);
    rejectedBox.classList.toggle("d-none", rejected.length === 0);
    var list = rejectedBox.querySelector("ul");
    list.textContent = "";
    rejected.forEach(function (item) {
      var li = document.createElement("li");
      li.textContent = item.at + ": " + item.reason;
      list.appendChild(li);
    });
  }

  function remove(item) {
    save(queueKey, load(queueKey, []).filter(function (x) { return x.idempotency_key !== item.idempotency_key; }));
  }

  function retryLater(message) {
    flushing = false;
    window.clearTimeout(timer);
    timer = window.setTimeout(flush, delay);
    delay = Math.min(delay * 2, 60000);
    showStatus(message);
  }

  function flush() {
    if (flushing) { return; }
    var queue = load(queueKey, []);
    if (!queue.length) { showStatus(); return; }
    flushing = true;
    var item = queue[0];
    window.fetch(endpoint, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify(item)
    }).then(function (res) {
      if (res.ok) {
        remove(item);
        sentAny = true;
        delay = 2000;
        flushing = false;
        lastMessage = "";
        flush();
      } else if (res.status === 400 || res.status === 404 || res.status === 409 || res.status === 422) {
        // The server will never accept this one as it is: keep it visible, stop retrying it.
        return res.json().catch(function () { return {}; }).then(function (body) {
          var rejected = load(rejectedKey, []);
          rejected.push({ at: item.started_at || "", reason: body.detail || String(res.status), item: item });
          save(rejectedKey, rejected);
          remove(item);
          flushing = false;
          flush();
        });
      } else if (res.status === 401 || res.status === 403) {
        retryLater(form.getAttribute("data-msg-login"));
      } else {
        retryLater();
      }
    }).catch(function () {
      retryLater(form.getAttribute("data-msg-offline"));
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (!form.reportValidity()) { return; }
    var item = {
      idempotency_key: newKey(),
      unit_id: Number(form.elements.unit_id.value),
      answers: answers(),
      started_at: startedAt
    };
    if (window.CwOffline) {
      // The site's offline queue (cw-queue.js, IndexedDB; docs/offline.md) sends it.
      window.CwOffline.queue(offlineItem(item));
    } else {
      var queue = load(queueKey, []);
      queue.push(item);
      save(queueKey, queue);
    }
    drop(draftKey);
    var unit = form.elements.unit_id.value;
    form.reset();
    form.elements.unit_id.value = unit;
    saveDraft();
    applyScreening();
    startedAt = new Date().toISOString();
    window.scrollTo(0, 0);
    showStatus();
    flush();
  });

  // --- the site's offline queue (docs/offline.md) ------------------------------------------
  function offlineItem(item) {
    return {
      kind: "interview", label: document.title.split(" · ")[0], url: endpoint, keyField: "idempotency_key",
      key: item.idempotency_key, json: { unit_id: item.unit_id, answers: item.answers, started_at: item.started_at }
    };
  }
  if (window.CwOffline) {
    // Interviews left in this page's older localStorage queue move to the site's queue, once.
    var legacy = load(queueKey, []);
    legacy.reduce(function (chain, item) {
      return chain.then(function () { return window.CwOffline.queue(offlineItem(item)); });
    }, Promise.resolve()).then(function () { if (legacy.length) { drop(queueKey); } });
    window.CwOffline.on("sent", function (d) { if (d.kind === "interview") { sentAny = true; showStatus(); } });
  }

  var clear = document.querySelector("[data-cw-clear-rejected]");
  if (clear) { clear.addEventListener("click", function () { drop(rejectedKey); showRejected(); }); }
  window.addEventListener("online", function () { delay = 2000; flush(); });
  if (load(queueKey, []).length || load(rejectedKey, []).length) { showStatus(); }
  flush();
}());
