/* Service worker of the canvass page: the page of today's blocks loads again
 * without signal (a reload between two blocks with no bars).
 *
 * What it keeps: that page when the server marks it as allowed offline
 * (header X-Offline-Allowed: the canvasser has blocks today), and the site's
 * own scripts and styles. Logging out deletes everything (canvass.js).
 * The same rules as the trainer pages' worker (trainer-sw.js).
 */
"use strict";

var PAGES = "rz-canvass-pages";
var ASSETS = "rz-canvass-assets";

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

function isCanvassPage(url) {
  return /^\/[a-z]{2}\/canvass\/$/.test(url.pathname) && !url.search;
}

// networkFirst: sw-network-first.js, served ahead of this file.

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (request.mode === "navigate") {
    if (!isCanvassPage(url)) { return; }
    event.respondWith(networkFirst(request, PAGES, function (response) {
      return response.ok && !response.redirected && response.headers.get("X-Offline-Allowed") === "1";
    }));
  } else if (url.pathname.indexOf("/static/") === 0 || /\/jsi18n\/$/.test(url.pathname)) {
    event.respondWith(networkFirst(request, ASSETS, function (response) { return response.ok; }));
  }
});
