/* Zone progress charts (uPlot, vendored). Each [data-progress-chart] box
   names the json_script element holding its series (canvass.charts): the
   CSP runs no inline script. Draws sign-ups per day, doors per day and
   blocks with a trained neighbor against the zone's blocks, with the launch
   weekend shaded. The table beside stays for screen readers; once the
   charts are drawn it is folded (still one tap away). */
(function () {
  "use strict";
  if (typeof uPlot === "undefined") { return; }
  var gettext = window.gettext || function (s) { return s; };
  var DAY = 86400;

  function seconds(day) { return Date.parse(day + "T12:00:00Z") / 1000; }

  // The launch weekend: a pale band behind the lines, from the morning of
  // its first day to the evening of its last.
  function launchBands(launches) {
    return function (u) {
      var ctx = u.ctx;
      ctx.save();
      ctx.fillStyle = "rgba(91, 31, 105, 0.12)";
      launches.forEach(function (launch) {
        var left = u.valToPos(seconds(launch.start) - DAY / 2, "x", true);
        var right = u.valToPos(seconds(launch.end) + DAY / 2, "x", true);
        ctx.fillRect(left, u.bbox.top, right - left, u.bbox.height);
      });
      ctx.restore();
    };
  }

  function chart(figure, data, kind) {
    var xs = data.days.map(seconds);
    var series = [{}];
    var values = [xs];
    var bars = uPlot.paths && uPlot.paths.bars ? uPlot.paths.bars({ size: [0.8, 24] }) : undefined;
    if (kind === "signups" || kind === "doors") {
      series.push({
        label: kind === "signups" ? gettext("Sign-ups") : gettext("Doors knocked"),
        stroke: kind === "signups" ? "#ef6c00" : "#1565c0",
        fill: kind === "signups" ? "rgba(239, 108, 0, 0.5)" : "rgba(21, 101, 192, 0.5)",
        paths: bars, points: { show: false }
      });
      values.push(data[kind]);
    } else {
      series.push({ label: gettext("Blocks with a trained neighbor"), stroke: "#1b5e20", width: 2, spanGaps: false });
      values.push(data.blocks_with_trained);
      series.push({ label: gettext("At target"), stroke: "#7cb342", width: 2, dash: [4, 4] });
      values.push(data.blocks_at_target);
      series.push({ label: gettext("All the zone's blocks (the goal)"), stroke: "#5b1f69", width: 1, points: { show: false } });
      values.push(xs.map(function () { return data.blocks; }));
    }
    var width = Math.max(260, figure.clientWidth || 320);
    var plot = new uPlot({
      width: width,
      height: 200,
      series: series,
      scales: { x: { time: true }, y: { range: function (u, min, max) { return [0, Math.max(1, max)]; } } },
      axes: [{}, {}],
      legend: { show: true },
      hooks: { drawClear: [launchBands(data.launches || [])] }
    }, values, figure);
    if (data.launches && data.launches.length) {
      var note = document.createElement("p");
      note.className = "progress-launch-note";
      note.textContent = gettext("Shaded: the launch weekend.");
      figure.appendChild(note);
    }
    return plot;
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-progress-chart]"), function (box) {
    var source = document.getElementById(box.dataset.progressChart);
    if (!source) { return; }
    var data = JSON.parse(source.textContent);
    if (!data.days || !data.days.length) { return; }
    var plots = [];
    Array.prototype.forEach.call(box.querySelectorAll("[data-series]"), function (figure) {
      plots.push({ figure: figure, plot: chart(figure, data, figure.dataset.series) });
    });
    var table = box.nextElementSibling;
    if (table && table.tagName === "DETAILS") { table.open = false; }
    window.addEventListener("resize", function () {
      plots.forEach(function (p) { p.plot.setSize({ width: Math.max(260, p.figure.clientWidth || 320), height: 200 }); });
    });
  });
}());
