/* Service worker of the trainer pages: a roster the trainer opened today
 * loads again without signal (a reload in a basement).
 *
 * What it keeps: the roster pages the server marks as allowed offline
 * (header X-Offline-Allowed: today's open sessions of this trainer), and the
 * site's own scripts and styles. The pages tell it which sessions are still
 * allowed and it deletes the others; logging out deletes everything.
 */
"use strict";

var PAGES = "rz-trainer-pages";
var ASSETS = "rz-trainer-assets";

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

function rosterSession(url) {
  var match = url.pathname.match(/\/trainer\/sessions\/(\d+)\/$/);
  return match ? Number(match[1]) : null;
}

function prune(sessions) {
  return caches.open(PAGES).then(function (cache) {
    return cache.keys().then(function (requests) {
      return Promise.all(requests.map(function (request) {
        var id = rosterSession(new URL(request.url));
        if (id === null || sessions.indexOf(id) === -1) { return cache.delete(request); }
        return null;
      }));
    });
  });
}

self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type === "allowed" && Array.isArray(data.sessions)) {
    event.waitUntil(prune(data.sessions));
  } else if (data.type === "wipe") {
    event.waitUntil(Promise.all([caches.delete(PAGES), caches.delete(ASSETS)]));
  }
});

// networkFirst: sw-network-first.js, served ahead of this file.

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (request.mode === "navigate") {
    if (rosterSession(url) === null || url.search) { return; }
    event.respondWith(networkFirst(request, PAGES, function (response) {
      return response.ok && response.headers.get("X-Offline-Allowed") === "1";
    }));
  } else if (url.pathname.indexOf("/static/") === 0 || /\/jsi18n\/$/.test(url.pathname)) {
    event.respondWith(networkFirst(request, ASSETS, function (response) { return response.ok; }));
  }
});
