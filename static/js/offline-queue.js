/* What the staff pages that work without signal share: a queue of posts,
 * each with an id made on the phone, kept in localStorage and sent in order
 * whenever the server answers; the server applies an id once, so a send that
 * timed out and is sent again changes nothing. Also: UUIDs, reading
 * json_script data, and wiping everything a phone kept when its user logs
 * out. The canvass tally (canvass.js) uses all of it; the trainer check-in
 * (trainer.js) takes the ids, storage, wipe and send, and keeps its own send loop
 * for the walk-in form's answers (the same rules as Queue.flush below).
 *
 * window.RZOffline.Queue({key, keep, badge, label, onSaved, onRefused,
 *   onLoginNeeded, onStalled}) with .enqueue(item), .flush(), .items;
 * window.RZOffline.send(item) posts one item (what trainer.js's loop uses).
 * An item: {url, fields: {...}} plus whatever the page needs to show it.
 */
(function () {
  "use strict";

  var RETRY_MS = 10000;
  var ngettext = window.ngettext || function (s, p, n) { return n === 1 ? s : p; };
  var interpolate = window.interpolate || function (fmt, obj) {
    return fmt.replace(/%\((\w+)\)s/g, function (m, k) { return String(obj[k]); });
  };

  function readJSON(id) {
    var el = document.getElementById(id);
    if (!el) { return null; }
    try { return JSON.parse(el.textContent); } catch (e) { return null; }
  }

  function storage() {
    try { return window.localStorage; } catch (e) { return null; }
  }

  function uuid() {
    var c = window.crypto;
    if (c && typeof c.randomUUID === "function") { return c.randomUUID(); }
    var bytes = new Uint8Array(16);
    if (c && typeof c.getRandomValues === "function") {
      c.getRandomValues(bytes);
    } else {
      for (var i = 0; i < 16; i++) { bytes[i] = Math.floor(Math.random() * 256); }
    }
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  function startsWithAny(text, prefixes) {
    return prefixes.some(function (prefix) { return text.indexOf(prefix) === 0; });
  }

  // Everything the offline staff pages kept: queues, counts, cached pages,
  // and the service workers themselves.
  function wipe(prefixes) {
    var store = storage();
    if (store) {
      for (var i = store.length - 1; i >= 0; i--) {
        var key = store.key(i);
        if (key && startsWithAny(key, prefixes)) { store.removeItem(key); }
      }
    }
    if (window.caches) {
      window.caches.keys().then(function (names) {
        names.forEach(function (name) {
          if (startsWithAny(name, prefixes)) { window.caches.delete(name); }
        });
      });
    }
    if (navigator.serviceWorker && navigator.serviceWorker.getRegistrations) {
      navigator.serviceWorker.getRegistrations().then(function (registrations) {
        registrations.forEach(function (registration) { registration.unregister(); });
      });
    }
  }

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  // One queued post, the same way from every queue (Queue.flush here, the
  // trainer's own loop in trainer.js): no redirect followed, so a lapsed
  // login shows as "opaqueredirect" instead of a login page parsed as JSON.
  // Resolves to {response, data}; data is {} when the answer is not JSON.
  function send(item) {
    var body = new URLSearchParams();
    Object.keys(item.fields).forEach(function (key) { body.append(key, item.fields[key]); });
    return fetch(item.url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      redirect: "manual",
      headers: { "Accept": "application/json", "X-CSRFToken": csrfToken() }
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        return { response: response, data: data };
      });
    });
  }

  function Queue(options) {
    this.options = options;
    this.items = this.load();
    this.inflight = null;
    this.flushing = false;
    var self = this;
    window.addEventListener("online", function () { self.flush(); });
    window.setInterval(function () { self.flush(); }, RETRY_MS);
  }

  Queue.prototype.load = function () {
    var store = storage();
    if (!store) { return []; }
    try {
      var items = JSON.parse(store.getItem(this.options.key) || "[]");
      return Array.isArray(items) ? items : [];
    } catch (e) { return []; }
  };

  Queue.prototype.persist = function () {
    var store = storage();
    if (!store) { return; }
    var keep = this.options.keep || function () { return true; };
    var kept = this.items.filter(keep);
    if (kept.length) {
      store.setItem(this.options.key, JSON.stringify(kept));
    } else {
      store.removeItem(this.options.key);
    }
  };

  Queue.prototype.renderBadge = function () {
    var badge = this.options.badge;
    if (!badge) { return; }
    var n = this.items.length;
    badge.hidden = n === 0;
    badge.textContent = interpolate(
      ngettext("%(count)s waiting to sync", "%(count)s waiting to sync", n), { count: n }, true
    );
  };

  Queue.prototype.finish = function (item) {
    this.items = this.items.filter(function (other) { return other !== item; });
    this.persist();
  };

  Queue.prototype.enqueue = function (item) {
    this.items.push(item);
    this.persist();
    this.renderBadge();
    this.flush();
  };

  Queue.prototype.call = function (name) {
    var hook = this.options[name];
    if (hook) { hook.apply(null, Array.prototype.slice.call(arguments, 1)); }
  };

  Queue.prototype.flush = function () {
    var self = this;
    if (self.flushing || !self.items.length) { self.renderBadge(); return; }
    self.flushing = true;
    var item = self.items[0];
    self.inflight = item;
    send(item).then(function (result) {
      var response = result.response;
      self.inflight = null;
      self.flushing = false;
      if (response.ok && result.data.ok) {
        self.finish(item);
        self.call("onSaved", item, result.data);
      } else if (response.type === "opaqueredirect" || response.status === 403) {
        // Logged out or the page is stale: keep the queue, ask for a login.
        self.renderBadge();
        self.call("onLoginNeeded", item);
        return;
      } else if (response.status >= 400 && response.status < 500 && response.status !== 429) {
        // Refused for good (bad data, not this person's any more): say so
        // and go on with the rest.
        self.finish(item);
        self.call("onRefused", item, result.data);
      } else {
        self.renderBadge();
        self.call("onStalled", item);
        return;  // Server trouble: try again later.
      }
      self.renderBadge();
      self.flush();
    }).catch(function () {
      // No connection: everything stays queued.
      self.inflight = null;
      self.flushing = false;
      self.renderBadge();
      self.call("onStalled", item);
    });
  };

  function registerWorker(url, message) {
    if (!url || !navigator.serviceWorker) { return; }
    navigator.serviceWorker.register(url).catch(function () {
      // No worker (private mode, old phone): the open page still queues.
    });
    if (message) {
      navigator.serviceWorker.ready.then(function (registration) {
        if (registration.active) { registration.active.postMessage(message); }
      });
    }
  }

  window.RZOffline = {
    Queue: Queue, send: send, uuid: uuid, readJSON: readJSON, storage: storage, wipe: wipe, registerWorker: registerWorker
  };
})();
