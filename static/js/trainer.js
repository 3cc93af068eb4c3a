/* Trainer check-in that keeps working when the signal drops.
 *
 * Every tap becomes an item in a queue (check-in, undo, walk-in), each with
 * an id made here (a UUID), and the queue is sent in order whenever the
 * server answers. The server applies an id once, so a send that timed out and
 * is sent again changes nothing.
 *
 * Privacy: the queue is kept in localStorage only for the sessions the server
 * lists as allowed (today's open sessions of this trainer); anything else is
 * sent from memory or dropped, never stored. Logging out, or marking a
 * session done, wipes what was kept.
 *
 * No inline code: data comes from json_script blocks and data-* attributes.
 */
(function () {
  "use strict";

  var QUEUE_KEY = "rz-trainer-queue";
  var RETRY_MS = 10000;
  var _ = window.gettext || function (s) { return s; };
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

  function wipeAll() {
    var store = storage();
    if (store) {
      for (var i = store.length - 1; i >= 0; i--) {
        var key = store.key(i);
        if (key && key.indexOf("rz-trainer") === 0) { store.removeItem(key); }
      }
    }
    // The pages the service worker kept, and the worker itself.
    if (window.caches) {
      window.caches.keys().then(function (names) {
        names.forEach(function (name) {
          if (name.indexOf("rz-trainer") === 0) { window.caches.delete(name); }
        });
      });
    }
    if (navigator.serviceWorker && navigator.serviceWorker.getRegistrations) {
      navigator.serviceWorker.getRegistrations().then(function (registrations) {
        registrations.forEach(function (registration) { registration.unregister(); });
      });
    }
  }

  // The signed-out page: nothing of the sessions stays on this phone.
  if (document.querySelector("[data-trainer-wipe]")) {
    wipeAll();
    return;
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

  var config = readJSON("roster-config") || {};
  var allowed = config.allowed || readJSON("trainer-offline-sessions") || [];
  var sessionId = config.session || null;

  function isAllowed(item) { return allowed.indexOf(item.session) !== -1; }

  function load() {
    var store = storage();
    if (!store) { return []; }
    try {
      var items = JSON.parse(store.getItem(QUEUE_KEY) || "[]");
      return Array.isArray(items) ? items : [];
    } catch (e) { return []; }
  }

  var queue = load();
  var inflight = null;
  var flushing = false;

  function persist() {
    var store = storage();
    if (!store) { return; }
    var kept = queue.filter(isAllowed);
    if (kept.length) {
      store.setItem(QUEUE_KEY, JSON.stringify(kept));
    } else {
      store.removeItem(QUEUE_KEY);
    }
  }

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  var badge = document.querySelector("[data-sync-badge]");
  var errorBox = document.querySelector("[data-sync-error]");

  function renderBadge() {
    if (!badge) { return; }
    var n = queue.length;
    badge.hidden = n === 0;
    badge.textContent = interpolate(
      ngettext("%(count)s waiting to sync", "%(count)s waiting to sync", n), { count: n }, true
    );
  }

  function showError(message) {
    if (!errorBox) { return; }
    errorBox.textContent = message;
    errorBox.hidden = false;
  }

  function rowByNonce(nonce) {
    return nonce ? document.querySelector('.roster-row[data-nonce="' + nonce + '"]') : null;
  }

  function markSynced(item) {
    var row = rowByNonce(item.nonce);
    var stillPending = queue.some(function (other) { return other.nonce === item.nonce; });
    if (row && !stillPending) { row.classList.remove("is-pending"); }
  }

  function revert(item) {
    var row = rowByNonce(item.nonce);
    if (!row) { return; }
    if (item.kind === "walkin") {
      row.parentNode.removeChild(row);
    } else if (item.kind === "checkin") {
      row.classList.remove("is-checked-in", "is-pending");
      delete row.dataset.nonce;
    }
    updateCounts();
  }

  function finish(item) {
    queue = queue.filter(function (other) { return other !== item; });
    persist();
  }

  function flush() {
    if (flushing || !queue.length) { renderBadge(); return; }
    flushing = true;
    var item = queue[0];
    inflight = item;
    var body = new URLSearchParams();
    Object.keys(item.fields).forEach(function (key) { body.append(key, item.fields[key]); });
    fetch(item.url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      redirect: "manual",
      headers: { "Accept": "application/json", "X-CSRFToken": csrfToken() }
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        return { response: response, data: data };
      });
    }).then(function (result) {
      var response = result.response;
      inflight = null;
      flushing = false;
      if (response.ok && result.data.ok) {
        finish(item);
        markSynced(item);
      } else if (response.type === "opaqueredirect" || response.status === 403) {
        // Logged out or the page is stale: keep the queue, ask for a login.
        showError(_("Log in again to send the check-ins waiting on this phone."));
        renderBadge();
        return;
      } else if (response.status >= 400 && response.status < 500 && response.status !== 429) {
        // The server refused this one for good (bad data, a cancelled
        // session): say so and go on with the rest.
        finish(item);
        revert(item);
        showError(interpolate(_("Not saved: %(name)s. %(reason)s"), {
          name: item.label || "", reason: result.data.message || ""
        }, true));
      } else {
        renderBadge();
        return;  // Server trouble: try again later.
      }
      renderBadge();
      flush();
    }).catch(function () {
      // No connection: everything stays queued.
      inflight = null;
      flushing = false;
      renderBadge();
    });
  }

  function enqueue(item) {
    queue.push(item);
    persist();
    renderBadge();
    flush();
  }

  window.addEventListener("online", flush);
  window.setInterval(flush, RETRY_MS);

  // --- The service worker: reload a roster without signal ------------------

  function tellWorker(message) {
    if (!navigator.serviceWorker) { return; }
    navigator.serviceWorker.ready.then(function (registration) {
      if (registration.active) { registration.active.postMessage(message); }
    });
  }

  var workerHost = document.querySelector("[data-service-worker]");
  if (workerHost && navigator.serviceWorker) {
    navigator.serviceWorker.register(workerHost.dataset.serviceWorker).catch(function () {
      // No worker (private mode, old phone): the open page still queues.
    });
    tellWorker({ type: "allowed", sessions: allowed });
  }

  // --- Logging out and marking done --------------------------------------

  Array.prototype.forEach.call(document.querySelectorAll("[data-trainer-logout]"), function (form) {
    form.addEventListener("submit", function (event) {
      if (queue.length && !window.confirm(
        _("Some check-ins have not reached the server yet and will be lost. Log out anyway?")
      )) {
        event.preventDefault();
        return;
      }
      wipeAll();
    });
  });

  var doneForm = document.querySelector("[data-mark-done]");
  if (doneForm) {
    doneForm.addEventListener("submit", function (event) {
      var waiting = queue.some(function (item) { return item.session === sessionId; });
      if (waiting) {
        event.preventDefault();
        showError(_("Wait until every check-in is synced before marking the session done."));
        return;
      }
      // One tap away from the walk-in form, and it cannot be undone here:
      // ask first.
      if (!window.confirm(_("Mark this session done? Everyone checked in counts as trained, and this phone stops keeping the session for offline use."))) {
        event.preventDefault();
        return;
      }
      // Nothing of a finished session stays on the phone.
      queue = queue.filter(function (item) { return item.session !== sessionId; });
      allowed = allowed.filter(function (id) { return id !== sessionId; });
      persist();
      tellWorker({ type: "allowed", sessions: allowed });
    });
  }

  var roster = document.querySelector("[data-roster]");
  if (!roster || !sessionId) {
    persist();  // Drops what is no longer allowed from storage.
    renderBadge();
    flush();
    return;
  }

  // --- The roster ----------------------------------------------------------

  function rows() { return Array.prototype.slice.call(roster.querySelectorAll(".roster-row")); }

  function updateCounts() {
    var checkedIn = rows().filter(function (r) { return r.classList.contains("is-checked-in"); });
    var walkIns = checkedIn.filter(function (r) { return r.hasAttribute("data-walk-in"); });
    var set = function (name, value) {
      var el = document.querySelector('[data-count="' + name + '"]');
      if (el) { el.textContent = String(value); }
    };
    set("checked_in", checkedIn.length);
    set("walk_ins", walkIns.length);
  }

  function fold(text) {
    return (text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  var search = document.querySelector("[data-roster-search]");
  var isPrivate = search && search.hasAttribute("data-private");
  var hint = document.querySelector("[data-private-hint]");

  function applySearch() {
    var q = fold(search ? search.value.trim() : "");
    rows().forEach(function (row) {
      // Every word typed, anywhere in the name: "maria lopez" finds
      // "María Peña López".
      var name = fold(row.dataset.name);
      var visible = (!isPrivate || q.length >= 2) && q.split(/\s+/).every(function (word) {
        return name.indexOf(word) !== -1;
      });
      row.hidden = !visible;
    });
    if (hint) { hint.hidden = q.length >= 2; }
  }

  if (search) {
    search.addEventListener("input", applySearch);
    search.form.addEventListener("submit", function (event) { event.preventDefault(); applySearch(); });
  }

  function undoForm() {
    var template = roster.querySelector("form.roster-undo");
    var form = template ? template.cloneNode(true) : null;
    if (!form) {
      form = document.createElement("form");
      form.className = "roster-undo";
      form.dataset.action = "undo";
      form.method = "post";
      form.action = config.undo;
      var button = document.createElement("button");
      button.type = "submit";
      button.className = "btn btn-outline-secondary roster-tap";
      button.textContent = "✓ " + _("Undo");
      form.appendChild(button);
    }
    return form;
  }

  function addWalkInRow(name, nonce) {
    var row = document.createElement("li");
    row.className = "roster-row is-checked-in is-pending";
    row.dataset.name = name;
    row.dataset.nonce = nonce;
    row.setAttribute("data-walk-in", "");
    var person = document.createElement("div");
    person.className = "roster-person";
    var nameEl = document.createElement("span");
    nameEl.className = "roster-name";
    nameEl.textContent = name;
    var meta = document.createElement("span");
    meta.className = "roster-meta small";
    meta.textContent = _("walk-in");
    person.appendChild(nameEl);
    person.appendChild(meta);
    row.appendChild(person);
    row.appendChild(undoForm());
    var empty = roster.querySelector("[data-roster-empty]");
    if (empty) { empty.parentNode.removeChild(empty); }
    roster.insertBefore(row, roster.firstChild);
    return row;
  }

  // Show what is still waiting from an earlier visit.
  queue.forEach(function (item) {
    if (item.session !== sessionId) { return; }
    if (item.kind === "walkin") {
      addWalkInRow(item.label, item.nonce);
    } else if (item.kind === "checkin") {
      var row = roster.querySelector('.roster-row[data-volunteer="' + item.fields.volunteer + '"]');
      if (row) {
        row.classList.add("is-checked-in", "is-pending");
        row.dataset.nonce = item.nonce;
      }
    } else if (item.kind === "undo") {
      var undone = rowByNonce(item.nonce);
      if (undone) { undone.classList.remove("is-checked-in"); }
    }
  });

  roster.addEventListener("submit", function (event) {
    var form = event.target;
    var action = form.dataset.action;
    var row = form.closest(".roster-row");
    if (!action || !row) { return; }
    event.preventDefault();
    var label = row.dataset.name;
    if (action === "checkin") {
      if (row.classList.contains("is-checked-in")) { return; }
      var nonce = uuid();
      row.classList.add("is-checked-in", "is-pending");
      row.dataset.nonce = nonce;
      updateCounts();
      enqueue({
        kind: "checkin", session: sessionId, url: config.checkin, nonce: nonce, label: label,
        fields: { volunteer: row.dataset.volunteer, nonce: nonce, at: new Date().toISOString() }
      });
    } else {
      var checkinNonce = row.dataset.nonce;
      if (!checkinNonce || !row.classList.contains("is-checked-in")) { return; }
      row.classList.remove("is-checked-in", "is-pending");
      delete row.dataset.nonce;
      updateCounts();
      // A check-in that never left the phone is simply forgotten.
      var waiting = queue.filter(function (item) {
        return item.nonce === checkinNonce && item !== inflight && item.kind !== "undo";
      });
      if (waiting.length) {
        queue = queue.filter(function (item) { return waiting.indexOf(item) === -1; });
        if (waiting[0].kind === "walkin") { row.parentNode.removeChild(row); updateCounts(); }
        persist();
        renderBadge();
        return;
      }
      enqueue({
        kind: "undo", session: sessionId, url: config.undo, nonce: checkinNonce, label: label,
        fields: { nonce: checkinNonce }
      });
    }
  });

  // Rows of walk-ins carry data-walk-in too (for the count): take the form.
  var walkIn = document.querySelector("form[data-walk-in]");
  if (walkIn) {
    walkIn.addEventListener("submit", function (event) {
      event.preventDefault();
      var data = new FormData(walkIn);
      var name = (data.get("name") || "").trim();
      var problem = null;
      if (!name) {
        problem = _("Enter the person's name.");
      } else if (!(data.get("phone") || "").trim() && !(data.get("email") || "").trim()) {
        problem = _("Enter a phone number or an email address.");
      } else if (!data.get("consent")) {
        problem = _("We need the person's consent to keep their contact.");
      }
      var box = walkIn.querySelector("[data-walk-in-error]");
      if (!box) {
        box = document.createElement("p");
        box.className = "alert alert-danger";
        box.setAttribute("data-walk-in-error", "");
        box.setAttribute("role", "alert");
        walkIn.insertBefore(box, walkIn.firstChild);
      }
      box.hidden = !problem;
      box.textContent = problem || "";
      if (problem) { return; }
      var nonce = uuid();
      var fields = {};
      data.forEach(function (value, key) {
        if (key !== "csrfmiddlewaretoken") { fields[key] = value; }
      });
      fields.nonce = nonce;
      fields.at = new Date().toISOString();
      addWalkInRow(name, nonce);
      updateCounts();
      walkIn.reset();
      var details = walkIn.closest("details");
      if (details) { details.open = false; }
      enqueue({ kind: "walkin", session: sessionId, url: config.walkin, nonce: nonce, label: name, fields: fields });
    });
  }

  updateCounts();
  applySearch();
  persist();
  renderBadge();
  flush();
})();
