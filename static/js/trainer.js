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

  // UUIDs, json_script data, storage, the post of one queued item and the
  // wipe on logging out are shared with the canvass tally
  // (static/js/offline-queue.js, loaded first).
  var O = window.RZOffline;
  var readJSON = O.readJSON;
  var storage = O.storage;
  var uuid = O.uuid;

  // Everything the offline staff pages kept (this page's and the canvass
  // tally's), the pages the service workers kept, and the workers.
  function wipeAll() { O.wipe(["rz-trainer", "rz-canvass"]); }

  // The signed-out page: nothing of the sessions stays on this phone.
  if (document.querySelector("[data-trainer-wipe]")) {
    wipeAll();
    return;
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
  // Set by the roster's walk-in form (below): told of every walk-in's
  // answer, and when the queue stops without one.
  var walkInHooks = null;

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
    O.send(item).then(function (result) {
      var response = result.response;
      inflight = null;
      flushing = false;
      var walkInAnswer = walkInHooks && item.kind === "walkin";
      if (response.ok && result.data.ok) {
        finish(item);
        markSynced(item);
        if (walkInAnswer) { walkInHooks.saved(item, result.data); }
      } else if (response.type === "opaqueredirect" || response.status === 403) {
        // Logged out or the page is stale: keep the queue, ask for a login.
        showError(_("Log in again to send the check-ins waiting on this phone."));
        renderBadge();
        if (walkInHooks) { walkInHooks.stalled(); }
        return;
      } else if (response.status >= 400 && response.status < 500 && response.status !== 429) {
        // The server refused this one for good (bad data, a cancelled
        // session): say so and go on with the rest. A walk-in's form shows
        // it again, with the error by its field, when it can.
        finish(item);
        revert(item);
        if (!(walkInAnswer && walkInHooks.refused(item, result.data))) {
          showError(interpolate(_("Not saved: %(name)s. %(reason)s"), {
            name: item.label || "", reason: result.data.message || ""
          }, true));
        }
      } else {
        renderBadge();
        if (walkInHooks) { walkInHooks.stalled(); }
        return;  // Server trouble: try again later.
      }
      renderBadge();
      flush();
    }).catch(function () {
      // No connection: everything stays queued.
      inflight = null;
      flushing = false;
      renderBadge();
      if (walkInHooks) { walkInHooks.stalled(); }
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
    // The walk-in whose answers the form still shows. The form is emptied
    // only once the server took it, or once it is clear that no answer is
    // coming now (then the walk-in waits in the queue and the trainer goes
    // on with the next person): a refusal (a mistyped phone, an address on
    // no block) is shown by its field with everything typed still there.
    var shownWalkIn = null;
    var WALK_IN_WAIT_MS = 6000;
    var submit = walkIn.querySelector("button[type=submit]");
    var walkInDetails = walkIn.closest("details");
    var withoutBlock = walkIn.querySelector("input[name=without_block]");

    var notice = document.createElement("p");
    notice.className = "alert";
    notice.setAttribute("role", "status");
    notice.setAttribute("data-walk-in-notice", "");
    notice.hidden = true;
    (walkInDetails || walkIn).parentNode.insertBefore(notice, walkInDetails || walkIn);

    var showNotice = function (message, warning) {
      notice.className = "alert " + (warning ? "alert-warning" : "alert-success");
      notice.textContent = message;
      notice.hidden = !message;
    };

    var clearFieldErrors = function () {
      Array.prototype.forEach.call(walkIn.querySelectorAll("[data-walk-in-field-error]"), function (el) {
        el.parentNode.removeChild(el);
      });
      Array.prototype.forEach.call(walkIn.querySelectorAll(".is-invalid"), function (el) {
        el.classList.remove("is-invalid");
        el.removeAttribute("aria-invalid");
      });
      var offer = walkIn.querySelector("[data-without-block-offer]");
      if (offer) { offer.parentNode.removeChild(offer); }
      if (withoutBlock) { withoutBlock.value = ""; }
      var choices = walkIn.querySelector("[data-address-choices]");
      if (choices) { choices.parentNode.removeChild(choices); }
      if (noChoice) { noChoice.disabled = false; }
    };

    // The form's own empty address_choice, set aside while radios offer the
    // blocks an unclear address could mean (one value per name is sent).
    var noChoice = walkIn.querySelector("input[type=hidden][name=address_choice]");

    var offerChoices = function (choices) {
      // The same radio list as the server's plain form, from the answer.
      var address = walkIn.querySelector("[name=address]");
      if (!address || !choices || !choices.length) { return; }
      var list = document.createElement("fieldset");
      list.className = "mb-3";
      list.setAttribute("data-address-choices", "");
      var legend = document.createElement("legend");
      legend.className = "form-label fs-6 fw-semibold";
      legend.textContent = _("Did you mean:");
      list.appendChild(legend);
      choices.forEach(function (choice, i) {
        var row = document.createElement("div");
        row.className = "form-check mb-2";
        var radio = document.createElement("input");
        radio.type = "radio";
        radio.name = "address_choice";
        radio.value = choice.value;
        radio.className = "form-check-input";
        radio.id = "walk-in-address-choice-" + i;
        var label = document.createElement("label");
        label.className = "form-check-label";
        label.htmlFor = radio.id;
        label.textContent = choice.label;
        row.appendChild(radio);
        row.appendChild(label);
        list.appendChild(row);
      });
      if (noChoice) { noChoice.disabled = true; }
      var wrapper = address.closest("[id^=div_id_]") || address.parentNode;
      wrapper.parentNode.insertBefore(list, wrapper.nextSibling);
    };

    var offerWithoutBlock = function () {
      // The server's plain form shows this checkbox too; here it sets the
      // hidden field the queue sends.
      var address = walkIn.querySelector("[name=address]");
      if (!withoutBlock || !address || walkIn.querySelector("[data-without-block-offer]")) { return; }
      var offer = document.createElement("div");
      offer.className = "form-check mb-3";
      offer.setAttribute("data-without-block-offer", "");
      var box = document.createElement("input");
      box.type = "checkbox";
      box.className = "form-check-input";
      box.id = "walk-in-without-block";
      box.addEventListener("change", function () { withoutBlock.value = box.checked ? "on" : ""; });
      var label = document.createElement("label");
      label.className = "form-check-label";
      label.htmlFor = box.id;
      label.textContent = _("Check in without a block");
      offer.appendChild(box);
      offer.appendChild(label);
      var wrapper = address.closest("[id^=div_id_]") || address.parentNode;
      wrapper.parentNode.insertBefore(offer, wrapper.nextSibling);
    };

    var showFieldErrors = function (errors) {
      var first = null;
      Object.keys(errors || {}).forEach(function (name) {
        var inputs = walkIn.querySelectorAll('[name="' + name + '"]');
        if (!inputs.length) { return; }
        Array.prototype.forEach.call(inputs, function (input) {
          input.classList.add("is-invalid");
          input.setAttribute("aria-invalid", "true");
        });
        var message = document.createElement("div");
        message.className = "invalid-feedback d-block";
        message.setAttribute("data-walk-in-field-error", "");
        message.textContent = [].concat(errors[name]).join(" ");
        var wrapper = inputs[0].closest("[id^=div_id_]") || inputs[0].parentNode;
        wrapper.appendChild(message);
        first = first || inputs[0];
      });
      return first;
    };

    var fillWalkIn = function (fields) {
      Object.keys(fields).forEach(function (name) {
        Array.prototype.forEach.call(walkIn.querySelectorAll('[name="' + name + '"]'), function (input) {
          if (input.type === "radio") {
            input.checked = input.value === fields[name];
          } else if (input.type === "checkbox") {
            input.checked = Boolean(fields[name]);
          } else if (input.type !== "hidden" || name === "without_block") {
            input.value = fields[name];
          }
        });
      });
    };

    var emptyWalkIn = function () {
      walkIn.reset();
      clearFieldErrors();
      if (walkInDetails) { walkInDetails.open = false; }
      shownWalkIn = null;
      if (submit) { submit.disabled = false; }
    };

    walkInHooks = {
      saved: function (item, answer) {
        if (item === shownWalkIn) { emptyWalkIn(); }
        // "Checked in, but the address could not be placed on a block"
        // must not pass unseen, whenever it arrives.
        showNotice(answer.message || "", answer.code === "no_block");
      },
      refused: function (item, answer) {
        var typing = walkIn.querySelector("[name=name]");
        // A walk-in sent later from the queue comes back into the form only
        // if the trainer is not typing the next one.
        if (item !== shownWalkIn && typing && typing.value.trim()) { return false; }
        clearFieldErrors();
        fillWalkIn(item.fields);
        if (withoutBlock) { withoutBlock.value = ""; }
        if (walkInDetails) { walkInDetails.open = true; }
        if (answer.code === "address_unclear") { offerChoices(answer.choices); }
        if (answer.code === "address_unplaced" || answer.code === "address_unclear") { offerWithoutBlock(); }
        var first = showFieldErrors(answer.errors);
        if (!first) {
          showNotice(interpolate(_("Not saved: %(name)s. %(reason)s"), {
            name: item.label || "", reason: answer.message || ""
          }, true), true);
        } else {
          showNotice("", false);
          first.focus();
        }
        shownWalkIn = null;
        if (submit) { submit.disabled = false; }
        return true;
      },
      stalled: function () {
        if (!shownWalkIn) { return; }
        // No answer now: nobody may be there to fix the address when it is
        // finally sent, so the walk-in is checked in without a block rather
        // than refused for it (and the answer says so).
        shownWalkIn.fields.without_block = "on";
        persist();
        emptyWalkIn();
      }
    };

    walkIn.addEventListener("submit", function (event) {
      event.preventDefault();
      // Still waiting for this form's answer: a second tap would check the
      // person in twice.
      if (shownWalkIn) { return; }
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
      clearFieldErrors();
      showNotice("", false);
      var item = { kind: "walkin", session: sessionId, url: config.walkin, nonce: nonce, label: name, fields: fields };
      shownWalkIn = item;
      if (submit) { submit.disabled = true; }
      // A weak signal can keep a request open for a minute: the trainer
      // does not wait that long for the next person.
      window.setTimeout(function () { if (shownWalkIn === item) { walkInHooks.stalled(); } }, WALK_IN_WAIT_MS);
      enqueue(item);
    });
  }

  updateCounts();
  applySearch();
  persist();
  renderBadge();
  flush();
})();
