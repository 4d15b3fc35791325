/* The check-in desk's service worker: the desk page and its files with no network.
 *
 * Served from /kegiatan/desk-sw.js (scope /kegiatan/). The desk page itself puts its own
 * address, its stylesheets and scripts and the roster snapshot into the cache of its login,
 * "bimtek-desk:<scope>" (static/js/attendance.js); here a desk page and a /static/ file come
 * from the network when there is one and from that cache when there is not. Nothing else is
 * touched. Only the cache of the login named by the "bimtek_device" cookie now is used (the
 * server renews the cookie with every answer and removes it once nobody is logged in), so
 * what one person's desk kept is never served to another; a browser without the Cookie Store
 * API looks in every desk cache and the page itself refuses one that is not its login's.
 * Logging out clears the caches and unregisters this worker (Clear-Site-Data: "storage").
 */
"use strict";

var CACHE_PREFIX = "bimtek-desk:";
var SCOPE_COOKIE = "bimtek_device";
var DESK_PAGE = /^\/kegiatan\/[^/]+\/check-in$/;
var PAGE_WAIT_MS = 4000;

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

function scopeCaches() {
  // the names of the caches that may answer: the current login's only, where we can tell
  if (self.cookieStore) {
    return self.cookieStore.get(SCOPE_COOKIE).then(function (cookie) {
      return cookie && cookie.value ? [CACHE_PREFIX + cookie.value] : [];
    }, function () { return []; });
  }
  return caches.keys().then(function (names) {
    return names.filter(function (name) { return name.indexOf(CACHE_PREFIX) === 0; });
  });
}

function matchIn(name, request) {
  return caches.has(name).then(function (exists) {
    if (!exists) return undefined;
    return caches.open(name).then(function (cache) {
      return cache.match(request).then(function (hit) {
        // the desk of another session (?sesi=) is still the desk
        return hit || cache.match(request, { ignoreSearch: true });
      });
    });
  });
}

function fromCache(request) {
  return scopeCaches().then(function (names) {
    return names.reduce(function (found, name) {
      return found.then(function (hit) { return hit || matchIn(name, request); });
    }, Promise.resolve(undefined));
  });
}

function networkFirst(request, waitMs) {
  return new Promise(function (resolve, reject) {
    var settled = false;
    var timer = waitMs ? setTimeout(function () {
      // a link that hangs: answer from the cache rather than keep the desk waiting
      fromCache(request).then(function (hit) {
        if (hit && !settled) { settled = true; resolve(hit); }
      });
    }, waitMs) : null;
    fetch(request).then(function (response) {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(response);
    }).catch(function () {
      clearTimeout(timer);
      fromCache(request).then(function (hit) {
        if (settled) return;
        settled = true;
        if (hit) resolve(hit); else reject(new TypeError("offline"));
      });
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && DESK_PAGE.test(url.pathname)) {
    event.respondWith(networkFirst(request, PAGE_WAIT_MS));
  } else if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(networkFirst(request, 0));
  }
});
