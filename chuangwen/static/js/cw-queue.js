// The offline queue (docs/offline.md): everything a field page sends goes through here. It is
// loaded by the pages (with cw-offline.js) and by the service worker (importScripts), so a
// Background Sync and a page send the same way.
//
// Items live in IndexedDB ("cw-offline", store "queue"), photos as Blobs, in the order they were
// made. Each carries its idempotency key, its capture time and the device it was made on; an item
// leaves the queue only when the server confirms it (2xx) or the person discards it. A refusal
// that will not change on retry (409 conflict, 400 refusal) is kept, "held", with the server's
// reason, and the items after it are sent; a dropped connection, a server error or a signed-out
// session stops the run and keeps everything for the next one.
(function (scope) {
  "use strict";
  var DB_NAME = "cw-offline";
  var DB_VERSION = 1;
  var dbPromise = null;
  var channel = typeof BroadcastChannel !== "undefined" ? new BroadcastChannel("cw-offline") : null;
  var listeners = [];

  function open() {
    if (dbPromise) { return dbPromise; }
    dbPromise = new Promise(function (resolve, reject) {
      var req = scope.indexedDB.open(DB_NAME, DB_VERSION);
      req.onupgradeneeded = function () {
        var db = req.result;
        if (!db.objectStoreNames.contains("queue")) { db.createObjectStore("queue", { keyPath: "id", autoIncrement: true }); }
        if (!db.objectStoreNames.contains("meta")) { db.createObjectStore("meta", { keyPath: "key" }); }
      };
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { dbPromise = null; reject(req.error); };
    });
    return dbPromise;
  }

  function tx(storeName, mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var t = db.transaction(storeName, mode);
        var result;
        t.oncomplete = function () { resolve(result); };
        t.onerror = function () { reject(t.error); };
        t.onabort = function () { reject(t.error || new Error("aborted")); };
        var r = work(t.objectStore(storeName));
        if (r) { r.onsuccess = function () { result = r.result; }; }
      });
    });
  }

  function notify(detail) {
    detail = detail || {};
    listeners.forEach(function (fn) { try { fn(detail); } catch (e) { /* a listener's bug */ } });
    if (channel) { try { channel.postMessage(detail); } catch (e) { /* blobs in detail */ } }
  }
  if (channel) {
    channel.onmessage = function (event) {
      listeners.forEach(function (fn) { try { fn(event.data || {}); } catch (e) { /* ignore */ } });
    };
  }

  function newKey() {
    if (scope.crypto && scope.crypto.randomUUID) { return scope.crypto.randomUUID(); }
    var bytes = new Uint8Array(16);
    scope.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  var Queue = {
    newKey: newKey,
    onChange: function (fn) { listeners.push(fn); },
    getMeta: function (key) {
      return tx("meta", "readonly", function (s) { return s.get(key); }).then(function (row) { return row ? row.value : null; });
    },
    setMeta: function (key, value) {
      return tx("meta", "readwrite", function (s) { return s.put({ key: key, value: value }); });
    },
    // item: {kind, label, url, fields: {name: string}, files: [{field, blob, name}], keyField,
    //        key, captured_at, user, ref}. Returns the stored item with its id.
    add: function (item) {
      item.key = item.key || newKey();
      item.keyField = item.keyField || "client_key";
      item.captured_at = item.captured_at || new Date().toISOString();
      item.status = "waiting";
      item.reason = "";
      item.attempts = 0;
      item.created = Date.now();
      // One device id per person on this phone (a shared phone is two devices to the office).
      return Queue.getMeta("device:" + (item.user || "")).then(function (device) {
        item.device = device || "";
        return tx("queue", "readwrite", function (s) { return s.add(item); });
      }).then(function (id) {
        item.id = id;
        notify({ type: "added", kind: item.kind, ref: item.ref, id: id });
        return item;
      });
    },
    all: function () {
      return tx("queue", "readonly", function (s) { return s.getAll(); }).then(function (rows) {
        return (rows || []).sort(function (a, b) { return a.id - b.id; });
      });
    },
    put: function (item) { return tx("queue", "readwrite", function (s) { return s.put(item); }); },
    remove: function (id) {
      return tx("queue", "readwrite", function (s) { return s["delete"](id); }).then(function () {
        notify({ type: "removed", id: id });
      });
    },
    // Replace the waiting items of the same ref (a later answer to the same checklist item)
    // that carry no photos: only the newest state is worth sending.
    supersede: function (ref) {
      if (!ref) { return Promise.resolve(); }
      return Queue.all().then(function (items) {
        var old = items.filter(function (i) { return i.ref === ref && i.status === "waiting" && !(i.files && i.files.length); });
        return Promise.all(old.map(function (i) { return tx("queue", "readwrite", function (s) { return s["delete"](i.id); }); }));
      });
    },
    counts: function () {
      return Queue.all().then(function (items) {
        var c = { waiting: 0, held: 0, bytes: 0 };
        items.forEach(function (i) {
          c[i.status === "held" ? "held" : "waiting"] += 1;
          (i.files || []).forEach(function (f) { c.bytes += (f.blob && f.blob.size) || 0; });
        });
        return c;
      });
    },
    // Send every waiting item in order. options: {csrf, user, fetch}. Resolves with
    // {sent, held, stopped} where stopped is "", "offline", "signin" or "server".
    flush: function (options) {
      options = options || {};
      var run = function () { return sendAll(options); };
      if (scope.navigator && scope.navigator.locks && scope.navigator.locks.request) {
        // One sender at a time across the pages and the worker: the order is kept.
        return scope.navigator.locks.request("cw-offline-flush", { ifAvailable: true }, function (lock) {
          return lock ? run() : { sent: 0, held: 0, stopped: "busy" };
        });
      }
      if (Queue._busy) { return Promise.resolve({ sent: 0, held: 0, stopped: "busy" }); }
      Queue._busy = true;
      return run().then(function (r) { Queue._busy = false; return r; }, function (e) { Queue._busy = false; throw e; });
    }
  };

  function formOf(item) {
    var body = new FormData();
    Object.keys(item.fields || {}).forEach(function (k) {
      var v = item.fields[k];
      if (Array.isArray(v)) { v.forEach(function (x) { body.append(k, x); }); } else if (v !== null && v !== undefined) { body.append(k, v); }
    });
    body.append(item.keyField, item.key);
    body.append("captured_at", item.captured_at);
    (item.files || []).forEach(function (f) { body.append(f.field, f.blob, f.name); });
    return body;
  }

  function sendOne(item, options) {
    var headers = { "Accept": "application/json", "X-CW-Queued": "1", "X-CW-Captured-At": item.captured_at };
    if (options.csrf) { headers["X-CSRFToken"] = options.csrf; }
    if (item.device) { headers["X-CW-Device"] = item.device; }
    var init = { method: "POST", credentials: "same-origin", redirect: "manual", headers: headers };
    if (item.json) {
      headers["Content-Type"] = "application/json";
      var payload = JSON.parse(JSON.stringify(item.json));
      payload[item.keyField] = item.key;
      payload.captured_at = item.captured_at;
      init.body = JSON.stringify(payload);
    } else {
      init.body = formOf(item);
    }
    return (options.fetch || scope.fetch.bind(scope))(item.url, init);
  }

  function sendAll(options) {
    var outcome = { sent: 0, held: 0, stopped: "" };
    function next() {
      return Queue.all().then(function (items) {
        var item = items.filter(function (i) {
          return i.status === "waiting" && (!options.user || !i.user || String(i.user) === String(options.user));
        })[0];
        if (!item) { return outcome; }
        return sendOne(item, options).then(function (response) {
          var type = response.headers.get("Content-Type") || "";
          if (response.type === "opaqueredirect" || response.status === 401 || response.status === 403 ||
              (response.ok && type.indexOf("json") === -1)) {
            outcome.stopped = "signin";
            return outcome;
          }
          if (response.ok) {
            return response.json().then(function (data) {
              return Queue.remove(item.id).then(function () {
                outcome.sent += 1;
                notify({ type: "sent", kind: item.kind, ref: item.ref, id: item.id, data: data });
                return next();
              });
            });
          }
          if (response.status >= 500 || response.status === 429) {
            outcome.stopped = "server";
            return outcome;
          }
          // 400, 404, 409, 413, 422: the server will not take it as it is; keep it with the reason.
          return response.json().catch(function () { return {}; }).then(function (data) {
            item.status = "held";
            item.reason = data.message || data.detail || String(response.status);
            item.conflict = response.status === 409;
            item.attempts += 1;
            return Queue.put(item).then(function () {
              outcome.held += 1;
              notify({ type: "held", kind: item.kind, ref: item.ref, id: item.id, reason: item.reason });
              return next();
            });
          });
        }, function () {
          outcome.stopped = "offline";
          return outcome;
        });
      });
    }
    return next().then(function (r) { notify({ type: "flushed", outcome: r }); return r; });
  }

  scope.CwQueue = Queue;
}(typeof self !== "undefined" ? self : window));
