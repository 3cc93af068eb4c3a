/* Live SMS count under the segment send's text boxes (admin).

   The same rules as messaging/segments.py, which decides (the preview the
   server renders is what counts; this only spares a round trip while
   typing): 160 GSM-7 characters a segment, 153 per part of a longer text;
   one character outside GSM-7 (á, í, ó, ú…) makes it UCS-2: 70, then 67.
   The labels come translated in data-* attributes; no inline script (CSP). */
(function () {
  "use strict";
  var BASIC = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
  var EXTENSION = "^{}\\[~]|€\f";

  function count(text) {
    var chars = Array.from(text);
    var gsm = chars.map(function (c) {
      return BASIC.indexOf(c) >= 0 ? 1 : (EXTENSION.indexOf(c) >= 0 ? 2 : 0);
    });
    var unicode = gsm.indexOf(0) >= 0;
    var units = unicode ? chars.map(function (c) { return c.codePointAt(0) > 0xFFFF ? 2 : 1; }) : gsm;
    var single = unicode ? 70 : 160, part = unicode ? 67 : 153;
    var total = units.reduce(function (a, b) { return a + b; }, 0);
    var segments = total === 0 ? 0 : 1;
    if (total > single) {
      var room = part;
      units.forEach(function (u) {
        if (u > room) { segments += 1; room = part; }
        room -= u;
      });
    }
    var odd = [];
    chars.forEach(function (c, i) { if (!gsm[i] && odd.indexOf(c) < 0) { odd.push(c); } });
    return { characters: chars.length, segments: segments, unicode: unicode, odd: odd };
  }

  function fill(label, values) {
    return label.replace(/\{(\w+)\}/g, function (all, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? values[name] : all;
    });
  }

  document.querySelectorAll(".sms-live-count").forEach(function (output) {
    var box = document.getElementById(output.getAttribute("data-for"));
    if (!box) { return; }
    var footer = output.getAttribute("data-footer") || "";
    function update() {
      var body = box.value.replace(/\s+$/, "");
      var result = count(footer ? body + "\n" + footer : body);
      var label = output.getAttribute(result.unicode ? "data-label-ucs" : "data-label-gsm");
      output.textContent = fill(label, {
        characters: result.characters, segments: result.segments, chars: result.odd.join(" ")
      });
      output.classList.toggle("is-unicode", result.unicode);
    }
    output.hidden = false;
    box.addEventListener("input", update);
    update();
  });
}());
