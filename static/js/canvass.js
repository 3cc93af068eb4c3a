/* The canvass tally, with or without signal (see offline-queue.js).
 *
 * A tap adds one to a box at once on the screen and becomes an increment in
 * the queue, with an id made here; the server applies each id once and adds
 * it to what the other phones of the team sent (it never sets a count), so
 * two canvassers on one block lose no tap. What the screen shows: the last
 * counts the server gave, plus the taps still waiting.
 *
 * Kept on the phone: the waiting taps and notes, the last counts per block
 * (numbers, never anything about a door). Logging out wipes both, and the
 * page the service worker kept.
 *
 * The phone's location, when shared, only sorts the blocks here: it is never
 * sent anywhere.
 */
(function () {
  "use strict";

  var O = window.RZOffline;
  var _ = window.gettext || function (s) { return s; };
  var interpolate = window.interpolate || function (fmt, obj) {
    return fmt.replace(/%\((\w+)\)s/g, function (m, k) { return String(obj[k]); });
  };
  var PREFIXES = ["rz-canvass", "rz-trainer"];
  var COUNTS_KEY = "rz-canvass-counts";

  if (document.querySelector("[data-canvass-wipe]")) {
    O.wipe(PREFIXES);
    return;
  }

  var config = O.readJSON("canvass-config");
  if (!config) { return; }

  var errorBox = document.querySelector("[data-sync-error]");
  function showError(message) {
    if (!errorBox) { return; }
    errorBox.textContent = message;
    errorBox.hidden = !message;
  }

  // The newest counts the server gave for each block and team, with the
  // server's time, so a page the service worker kept from earlier does not
  // show fewer doors than the phone already knows about.
  function loadCounts() {
    var store = O.storage();
    try { return JSON.parse((store && store.getItem(COUNTS_KEY)) || "{}") || {}; } catch (e) { return {}; }
  }
  var counts = loadCounts();
  function saveCounts() {
    var store = O.storage();
    if (store) { store.setItem(COUNTS_KEY, JSON.stringify(counts)); }
  }

  function cardKey(fields) { return fields.block + "-" + fields.team; }

  var queue = new O.Queue({
    key: "rz-canvass-queue",
    badge: document.querySelector("[data-sync-badge]"),
    onSaved: function (item, data) {
      if (data.tally) {
        var key = cardKey(item.fields);
        var known = counts[key];
        if (!known || known.day !== item.fields.day || known.now <= data.now) {
          counts[key] = { day: item.fields.day, now: data.now, tally: data.tally };
          saveCounts();
        }
      }
      showError("");
      render(cardKey(item.fields));
    },
    onRefused: function (item, data) {
      showError(interpolate(_("Not saved: %(reason)s"), { reason: (data && data.message) || "" }, true));
      render(cardKey(item.fields));
    },
    onLoginNeeded: function () {
      showError(_("Log in again to send the taps waiting on this phone."));
    },
    onStalled: function () {}
  });

  function cards() { return Array.prototype.slice.call(document.querySelectorAll("[data-block-card]")); }

  function cardByKey(key) {
    return document.querySelector('[data-block-card][data-key="' + key + '"]');
  }

  function render(key) {
    var card = cardByKey(key);
    if (!card) { return; }
    var known = counts[key];
    var fresh = known && known.day === config.day && known.now > config.now ? known.tally : null;
    Array.prototype.forEach.call(card.querySelectorAll("[data-count]"), function (el) {
      var field = el.dataset.count;
      var base = fresh && typeof fresh[field] === "number" ? fresh[field] : Number(el.dataset.server || 0);
      var waiting = 0;
      queue.items.forEach(function (item) {
        if (item.kind === "tap" && cardKey(item.fields) === key && item.fields.field === field) {
          waiting += Number(item.fields.delta);
        }
      });
      el.textContent = String(Math.max(base + waiting, 0));
      el.classList.toggle("is-pending", waiting !== 0);
    });
  }

  function renderAll() { cards().forEach(function (card) { render(card.dataset.key); }); }

  function fieldsOf(form) {
    var fields = {};
    new FormData(form).forEach(function (value, name) {
      if (name !== "csrfmiddlewaretoken") { fields[name] = value; }
    });
    // A fresh id per tap: the id in the page serves the plain form post.
    fields.id = O.uuid();
    fields.at = new Date().toISOString();
    fields.day = config.day;
    return fields;
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.hasAttribute("data-tally")) {
      event.preventDefault();
      var fields = fieldsOf(form);
      var card = form.closest("[data-block-card]");
      var shown = card && card.querySelector('[data-count="' + fields.field + '"]');
      if (Number(fields.delta) < 0 && shown && Number(shown.textContent) <= 0) { return; }
      queue.enqueue({ kind: "tap", url: config.tally, fields: fields });
      render(cardKey(fields));
    } else if (form.hasAttribute("data-note")) {
      event.preventDefault();
      var noteFields = fieldsOf(form);
      if (!(noteFields.note || "").trim()) { return; }
      queue.enqueue({ kind: "note", url: config.note, fields: noteFields });
      form.querySelector("textarea").value = "";
      var notes = form.querySelector("[data-notes]");
      if (!notes) {
        notes = document.createElement("p");
        notes.className = "small text-muted mt-1 tally-notes";
        notes.setAttribute("data-notes", "");
        form.querySelector("textarea").insertAdjacentElement("afterend", notes);
      }
      if (notes.textContent) { notes.appendChild(document.createElement("br")); }
      notes.appendChild(document.createTextNode(noteFields.note.trim()));
    } else if (form.hasAttribute("data-pause")) {
      if (!window.confirm(_("Pause this block for everyone? It leaves every canvass list and the organizers are told."))) {
        event.preventDefault();
      }
    } else if (form.hasAttribute("data-canvass-logout")) {
      if (queue.items.length && !window.confirm(
        _("Some taps have not reached the server yet and will be lost. Log out anyway?")
      )) {
        event.preventDefault();
        return;
      }
      O.wipe(PREFIXES);
    }
  });

  // --- Nearest first ------------------------------------------------------

  function distance(lat1, lng1, lat2, lng2) {
    var dLat = lat2 - lat1;
    var dLng = (lng2 - lng1) * Math.cos((lat1 + lat2) * Math.PI / 360);
    return dLat * dLat + dLng * dLng;
  }

  function sortByDistance(elements, lat, lng) {
    return elements.slice().sort(function (a, b) {
      var da = a.dataset.lat ? distance(lat, lng, Number(a.dataset.lat), Number(a.dataset.lng)) : Infinity;
      var db = b.dataset.lat ? distance(lat, lng, Number(b.dataset.lat), Number(b.dataset.lng)) : Infinity;
      return da - db;
    });
  }

  var nearest = document.querySelector("[data-nearest]");
  var nearestStatus = document.querySelector("[data-nearest-status]");
  if (nearest && navigator.geolocation) {
    nearest.hidden = false;
    nearest.addEventListener("click", function () {
      navigator.geolocation.getCurrentPosition(function (position) {
        var lat = position.coords.latitude, lng = position.coords.longitude;
        var list = document.querySelector("[data-canvass-blocks]");
        sortByDistance(cards(), lat, lng).forEach(function (card) { list.appendChild(card); });
        var select = document.querySelector("[data-claimable]");
        if (select) {
          var options = Array.prototype.slice.call(select.options);
          sortByDistance(options, lat, lng).forEach(function (option) { select.appendChild(option); });
          select.selectedIndex = 0;
        }
        if (nearestStatus) {
          nearestStatus.textContent = _("Nearest block first.");
          nearestStatus.hidden = false;
        }
      }, function () {
        if (nearestStatus) {
          nearestStatus.textContent = _("This phone did not share its location; the blocks stay in street order.");
          nearestStatus.hidden = false;
        }
      }, { maximumAge: 60000, timeout: 15000 });
    });
  }

  // --- Reload without signal ---------------------------------------------

  var logout = document.querySelector("[data-canvass-logout]");
  if (logout) { O.registerWorker(logout.dataset.serviceWorker); }

  renderAll();
  queue.renderBadge();
  queue.flush();
})();
