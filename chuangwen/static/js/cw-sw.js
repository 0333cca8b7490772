// The service worker (served at /sw.js by chuangwen.offline.views, which writes CW_VERSION,
// CW_QUEUE_SCRIPT, CW_PRECACHE_URL and CW_HOME_URL above this line). See docs/offline.md.
//
// - Field pages: network first (a copy is kept of each page on the person's precache list);
//   without a network the kept copy opens. A page never kept shows a short explanation.
// - Static files: from the cache of this version, else the network (and kept).
// - The queue (cw-queue.js, IndexedDB) is sent on Background Sync as well as by the pages.
// A new version caches its files, then deletes the caches of older versions; the queue is in
// IndexedDB and no version touches it.
/* global CW_VERSION, CW_QUEUE_SCRIPT, CW_PRECACHE_URL, CW_HOME_URL, CwQueue */
"use strict";
importScripts(CW_QUEUE_SCRIPT);

var STATIC_CACHE = "cw-static-" + CW_VERSION;
var PAGE_CACHE = "cw-pages";
var PRECACHE_EVERY_MS = 600000;
var NETWORK_WAIT_MS = 4000; // a weak signal: after this, a kept copy is shown instead

function precache() {
  return fetch(CW_PRECACHE_URL, { credentials: "same-origin", cache: "no-store", redirect: "manual" })
    .then(function (r) {
      if (!r.ok) { throw new Error("precache list: " + r.status); }
      return r.json();
    })
    .then(function (list) {
      return CwQueue.setMeta("messages", list.messages || {}).then(function () {
        return caches.open(STATIC_CACHE);
      }).then(function (cache) {
        return Promise.all(list["static"].map(function (url) {
          return cache.match(url).then(function (hit) { return hit || cache.add(url).catch(function () { return null; }); });
        }));
      }).then(function () {
        return caches.open(PAGE_CACHE);
      }).then(function (cache) {
        var kept = 0;
        // One page after the other: a phone on a weak signal is not flooded.
        return list.pages.reduce(function (chain, url) {
          return chain.then(function () {
            return fetch(url, { credentials: "same-origin", redirect: "manual" }).then(function (r) {
              if (r.ok && r.type === "basic") { kept += 1; return cache.put(url, r); }
              return null;
            }).catch(function () { return null; });
          });
        }, Promise.resolve()).then(function () {
          return CwQueue.setMeta("precache", { at: Date.now(), version: CW_VERSION, pages: list.pages, kept: kept });
        }).then(function () { return kept; });
      });
    });
}

self.addEventListener("install", function (event) {
  // The static files of this version; the pages follow when a page asks (it knows the person).
  self.skipWaiting();
  event.waitUntil(caches.open(STATIC_CACHE));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (n) {
      return n.indexOf("cw-static-") === 0 && n !== STATIC_CACHE;
    }).map(function (n) { return caches["delete"](n); }));
  }).then(function () { return self.clients.claim(); }));
});

function offlinePage() {
  return CwQueue.getMeta("messages").catch(function () { return {}; }).then(function (messages) {
    messages = messages || {};
    var title = messages.title || "Offline";
    var text = messages.not_kept || "";
    var back = messages.home || "";
    var html = "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">" +
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>" + title + "</title></head>" +
      "<body style=\"font-family:sans-serif;padding:1rem\"><h1 style=\"font-size:1.25rem\">" + title + "</h1>" +
      "<p>" + text + "</p><p><a href=\"" + CW_HOME_URL + "\">" + back + "</a></p></body></html>";
    return new Response(html, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
  });
}

function fromPageCache(request) {
  return caches.open(PAGE_CACHE).then(function (cache) {
    return cache.match(request, { ignoreVary: true }).then(function (hit) {
      return hit || cache.match(request, { ignoreSearch: true, ignoreVary: true });
    });
  });
}

function page(request) {
  var kept = fromPageCache(request);
  var network = fetch(request).then(function (response) {
    if (response.ok && response.type === "basic" && !response.redirected) {
      var copy = response.clone();
      // Refresh the copy of a page already kept (today's checklist as it is now).
      caches.open(PAGE_CACHE).then(function (cache) {
        return cache.match(request, { ignoreVary: true }).then(function (hit) { return hit ? cache.put(request, copy) : null; });
      });
    }
    return response;
  });
  network["catch"](function () { /* answered from the kept copy below */ });
  var timer = new Promise(function (resolve) { setTimeout(resolve, NETWORK_WAIT_MS); }).then(function () { return kept; });
  return Promise.race([network, timer.then(function (hit) { return hit || network; })]).then(function (r) {
    return r || network;
  }).catch(function () {
    return kept.then(function (hit) { return hit || offlinePage(); });
  });
}

function staticFile(request) {
  return caches.open(STATIC_CACHE).then(function (cache) {
    return cache.match(request).then(function (hit) {
      if (hit) { return hit; }
      return fetch(request).then(function (response) {
        if (response.ok) { cache.put(request, response.clone()); }
        return response;
      });
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (url.pathname.indexOf("/static/") === 0) { event.respondWith(staticFile(request)); return; }
  if (request.mode === "navigate") { event.respondWith(page(request)); }
});

self.addEventListener("message", function (event) {
  var data = event.data || {};
  var reply = function (message) { if (event.source) { event.source.postMessage(message); } };
  if (data.type === "precache") {
    event.waitUntil(CwQueue.getMeta("precache").then(function (done) {
      if (done && done.version === CW_VERSION && Date.now() - done.at < PRECACHE_EVERY_MS) { return done.kept; }
      return precache();
    }).then(function (kept) {
      reply({ type: "precached", kept: kept, version: CW_VERSION });
    }, function () {
      reply({ type: "precache-failed" });
    }));
  } else if (data.type === "forget-pages") {
    // Signing out: the kept pages (they show the person's work) go; the queue stays.
    event.waitUntil(caches["delete"](PAGE_CACHE).then(function () {
      return CwQueue.setMeta("precache", null);
    }).then(function () { reply({ type: "forgotten" }); }));
  }
});

function syncNow() {
  return Promise.all([CwQueue.getMeta("csrf"), CwQueue.getMeta("user")]).then(function (meta) {
    return CwQueue.flush({ csrf: meta[0], user: meta[1] });
  }).then(function (outcome) {
    if (outcome.stopped === "offline" || outcome.stopped === "server") {
      throw new Error("retry"); // the browser retries the sync later
    }
  });
}

self.addEventListener("sync", function (event) {
  if (event.tag === "cw-queue") { event.waitUntil(syncNow()); }
});
