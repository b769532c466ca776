/* The service worker of 处置通 (scope /m/), served by /m/sw.js with SHELL (the app shell's
 * URLs: the /m/ pages and their static files) and VERSION put in front of this source.
 *
 * - install: cache the shell, so that the app opens without a connection;
 * - activate: drop the caches of older versions;
 * - fetch (GET, same origin): pages and the API network-first, a page falling back to its
 *   cached copy (or the cached home page); static files cache-first. Everything else (POST, the
 *   live push, other origins) goes to the network untouched: reports wait in the page's outbox,
 *   not here.
 */
/* global SHELL, VERSION */
"use strict";

var CACHE = "wangge-mobile-" + VERSION;

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(CACHE).then(function (cache) {
      // One missing file must not stop the others from being cached.
      return Promise.all(
        SHELL.map(function (url) {
          return cache.add(new Request(url, { credentials: "same-origin" })).catch(function () {});
        })
      );
    }).then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (keys) {
      return Promise.all(
        keys.filter(function (k) { return k.indexOf("wangge-mobile-") === 0 && k !== CACHE; })
          .map(function (k) { return caches.delete(k); })
      );
    }).then(function () { return self.clients.claim(); })
  );
});

function networkFirst(request, fallback) {
  return fetch(request).then(function (response) {
    if (response.ok && response.type === "basic" && !response.redirected) {
      var copy = response.clone();
      caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
    }
    return response;
  }).catch(function (error) {
    return caches.match(request, { ignoreSearch: Boolean(fallback), ignoreVary: true }).then(function (hit) {
      if (hit) { return hit; }
      if (fallback) {
        return caches.match(fallback, { ignoreVary: true }).then(function (home) {
          if (home) { return home; }
          throw error;
        });
      }
      throw error;
    });
  });
}

function cacheFirst(request) {
  return caches.match(request, { ignoreVary: true }).then(function (hit) {
    return hit || fetch(request).then(function (response) {
      if (response.ok) {
        var copy = response.clone();
        caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
      }
      return response;
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if ((request.headers.get("Accept") || "").indexOf("text/event-stream") >= 0) { return; }
  var scope = new URL(self.registration.scope).pathname;
  if (request.mode === "navigate" || url.pathname.indexOf(scope) === 0) {
    // Pages: fresh when online; offline the cached copy, or the home page. The login page is
    // never served from the cache (it would carry a stale CSRF token).
    if (url.pathname === scope + "login/") { return; }
    var home = request.mode === "navigate" ? scope : null;
    event.respondWith(networkFirst(request, home));
    return;
  }
  if (url.pathname.indexOf("/api/") === 0) {
    event.respondWith(networkFirst(request, null));
    return;
  }
  if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(cacheFirst(request));
  }
});
