/* The staff coverage map. Reads its URLs from data-* attributes (the CSP
   allows no inline script), fetches the blocks as GeoJSON and colors each
   block by coverage level. Labels come from the djangojs catalog. */
(function () {
  "use strict";
  var element = document.getElementById("zone-map");
  if (!element || typeof L === "undefined") { return; }
  // The catalog script defines these; the fallbacks keep the map working in
  // English if it failed to load.
  var gettext = window.gettext || function (s) { return s; };
  var interpolate = window.interpolate || function (fmt, obj) {
    return fmt.replace(/%\((\w+)\)s/g, function (m, k) { return String(obj[k]); });
  };
  var ngettext = window.ngettext || function (singular, plural, n) { return n === 1 ? singular : plural; };
  var status = document.getElementById("zone-map-status");
  var COLORS = { none: "#c62828", below: "#f9a825", at_target: "#2e7d32" };

  // Canvas draws all South Philadelphia's blocks quickly, and its tolerance
  // widens each thin line into a target a finger can hit.
  var map = L.map(element, { zoomSnap: 0.5, renderer: L.canvas({ tolerance: 12 }) });
  map.setView([39.925, -75.17], 14);
  var tileUrl = element.dataset.tileUrl;
  if (tileUrl) {
    L.tileLayer(tileUrl, { maxZoom: 19, attribution: element.dataset.tileAttribution || "" }).addTo(map);
  }

  // The zone's boundary, when it has one, as a dashed outline under the
  // blocks (passed with json_script: the CSP runs no inline code).
  var boundary = null;
  var boundaryData = document.getElementById("zone-boundary");
  if (boundaryData) {
    boundary = L.geoJSON(JSON.parse(boundaryData.textContent), {
      style: { color: "#5b1f69", weight: 2, dashArray: "6 4", fill: false },
      interactive: false
    }).addTo(map);
    map.fitBounds(boundary.getBounds());
  }

  // A popup opens above the tapped line and Leaflet pans it into view, by
  // default right up to the map's edge: on a 360 px phone that put the
  // block's name under the zoom buttons. Keep its top below them, measured
  // (the buttons are 44 px here, and the CSS may change), and its width
  // inside the map.
  function popupOptions() {
    var zoom = map.zoomControl && map.zoomControl.getContainer();
    var below = zoom ? zoom.offsetTop + zoom.offsetHeight + 8 : 8;
    return {
      autoPanPaddingTopLeft: L.point(8, below),
      autoPanPaddingBottomRight: L.point(8, 8),
      maxWidth: Math.max(160, element.clientWidth - 24)
    };
  }

  function text(tag, value, className) {
    var node = document.createElement(tag);
    node.textContent = value;
    if (className) { node.className = className; }
    return node;
  }

  // The layer the switch shows now (null: coverage), for the popups.
  var shownLayer = null;

  function popup(properties) {
    // Built with DOM nodes, not HTML strings: street names are data.
    var box = document.createElement("div");
    box.appendChild(text("strong", properties.name));
    if (properties.cross_streets) { box.appendChild(text("div", properties.cross_streets)); }
    if (properties.zone) { box.appendChild(text("div", interpolate(gettext("Zone: %(zone)s"), { zone: properties.zone }, true))); }
    box.appendChild(text("div", properties.level_label));
    // The block's state too while the state layer is shown.
    if (shownLayer && shownLayer.labels[shownLayer.states[String(properties.id)]]) {
      box.appendChild(text("div", shownLayer.labels[shownLayer.states[String(properties.id)]]));
    }
    box.appendChild(text("div", interpolate(gettext("Residents signed up: %(count)s"), { count: properties.residents }, true)));
    box.appendChild(text("div", interpolate(gettext("Trained: %(count)s"), { count: properties.trained }, true)));
    var base = element.dataset.volunteersUrl;
    if (base) {
      var link = text("a", gettext("See its volunteers in the admin"));
      link.href = base + "?block__id__exact=" + encodeURIComponent(properties.id);
      box.appendChild(link);
    }
    return box;
  }

  // The layer switch (coverage / canvass state): fetches a layer's
  // {"states": {id: value}, "legend": [[value, label, colour]]} when first
  // chosen, swaps the legend, and hands the colouring to `apply`.
  function layerSwitch(apply) {
    var switcher = document.getElementById("zone-map-layers");
    var legend = document.getElementById("zone-map-legend");
    if (!switcher || !legend) { return; }
    var coverageLegend = Array.prototype.slice.call(legend.children);
    var loaded = {};
    function showLegend(items) {
      while (legend.firstChild) { legend.removeChild(legend.firstChild); }
      items.forEach(function (item) { legend.appendChild(item); });
    }
    function stateLegend(entries) {
      return entries.map(function (entry) {
        var item = document.createElement("li");
        var swatch = text("span", "", "map-swatch map-swatch-state-" + entry[0]);
        swatch.setAttribute("aria-hidden", "true");
        item.appendChild(swatch);
        item.appendChild(document.createTextNode(entry[1]));
        return item;
      });
    }
    switcher.addEventListener("change", function (event) {
      var input = event.target;
      if (!input.dataset.layerUrl) { apply(null); showLegend(coverageLegend); return; }
      var url = input.dataset.layerUrl;
      var ready = loaded[url] || fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) { throw new Error(String(response.status)); }
          return response.json();
        })
        .then(function (body) {
          var colors = {};
          var labels = {};
          body.legend.forEach(function (entry) { colors[entry[0]] = entry[2]; labels[entry[0]] = entry[1]; });
          return { states: body.states, colors: colors, labels: labels, legend: body.legend };
        });
      loaded[url] = ready;
      ready.then(function (layerData) {
        if (!input.checked) { return; }
        apply(layerData);
        showLegend(stateLegend(layerData.legend));
        status.textContent = interpolate(gettext("Blocks colored by %(layer)s."), { layer: input.parentNode.textContent.trim() }, true);
      }).catch(function () {
        delete loaded[url];
        status.textContent = gettext("That layer could not be loaded. Check your connection and try again.");
      });
    });
  }

  fetch(element.dataset.geojsonUrl, { credentials: "same-origin", headers: { Accept: "application/geo+json" } })
    .then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.json();
    })
    .then(function (data) {
      // Thin lines when the whole neighborhood is in view, thick ones up close.
      function weight() { return map.getZoom() >= 16 ? 7 : map.getZoom() >= 15 ? 4 : 2; }
      // The colouring chosen in the layer switch: coverage (the GeoJSON's
      // own level), or another layer's value per block id, fetched once.
      function style(feature) {
        var color = COLORS[feature.properties.level] || "#555";
        if (shownLayer) { color = shownLayer.colors[shownLayer.states[String(feature.properties.id)]] || "#555"; }
        return { color: color, weight: weight(), opacity: 0.9, lineCap: "round" };
      }
      var layer = L.geoJSON(data, {
        style: style,
        onEachFeature: function (feature, line) {
          line.bindPopup(function () { return popup(feature.properties); }, popupOptions());
        }
      }).addTo(map);
      map.on("zoomend", function () { layer.setStyle(style); });
      layerSwitch(function (next) { shownLayer = next; layer.setStyle(style); });
      var count = data.features.length;
      if (count) { map.fitBounds(layer.getBounds(), { padding: [12, 12] }); }
      status.textContent = interpolate(
        ngettext("%(count)s block drawn.", "%(count)s blocks drawn.", count), { count: count }, true
      );
    })
    .catch(function () {
      status.textContent = gettext("The blocks could not be loaded. Check your connection and reload the page.");
    });
}());
