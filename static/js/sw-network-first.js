/* The fetch strategy both service workers use (canvass-sw.js, trainer-sw.js):
 * the network first, so a page with signal is always fresh, and the kept copy
 * only when there is none. The views serve this file and the worker as one
 * script (canvass.views.service_worker, trainings.views.trainer.service_worker),
 * so the browser's update check sees a change to either.
 */
"use strict";

function networkFirst(request, cacheName, mayKeep) {
  return fetch(request).then(function (response) {
    var copy = response.clone();
    caches.open(cacheName).then(function (cache) {
      return mayKeep(response) ? cache.put(request, copy) : cache.delete(request);
    });
    return response;
  }).catch(function () {
    return caches.open(cacheName).then(function (cache) { return cache.match(request); }).then(function (hit) {
      return hit || Response.error();
    });
  });
}
