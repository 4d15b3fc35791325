/* The check-in desk's service worker: the desk page and its files with no network.
 *
 * Served from /kegiatan/desk-sw.js (scope /kegiatan/). The desk page itself puts its own
 * address, its stylesheets and scripts and the roster snapshot into the "bimtek-desk" cache
 * (static/js/attendance.js); here a desk page and a /static/ file come from the network
 * when there is one and from that cache when there is not. Nothing else is touched.
 * Logging out clears this cache and unregisters this worker (Clear-Site-Data: "storage").
 */
"use strict";

var CACHE = "bimtek-desk";
var DESK_PAGE = /^\/kegiatan\/[^/]+\/check-in$/;
var PAGE_WAIT_MS = 4000;

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

function fromCache(request) {
  return caches.open(CACHE).then(function (cache) {
    return cache.match(request).then(function (hit) {
      // the desk of another session (?sesi=) is still the desk
      return hit || cache.match(request, { ignoreSearch: true });
    });
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
