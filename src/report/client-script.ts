/**
 * The script of report and compare pages: draws each chart spec (charts.ts) with uPlot into
 * its placeholder. Plain ES5-style JavaScript kept as text, because the project compiles
 * for Node without DOM types; the browser test runs it. It reads data only from the JSON
 * block and writes text only through uPlot, which sets labels with textContent.
 */
export const CLIENT_SCRIPT = String.raw`(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('evalperf-data').textContent);
  var palette = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#a16207', '#db2777'];
  var plots = [];

  function num(v) {
    if (v == null) return '';
    return Math.abs(v) >= 1000 ? v.toFixed(0) : String(+v.toPrecision(4));
  }
  // x = 1/(1-p): 1 -> 0%, 10 -> 90%, 100 -> 99%, 1000 -> 99.9%.
  function pct(x) {
    var p = 100 * (1 - 1 / x);
    var digits = Math.max(0, Math.round(Math.log(x) / Math.LN10) - 2);
    return p.toFixed(digits) + '%';
  }
  function decades(u, axis, min, max) {
    var out = [];
    for (var x = 1; x <= max * 1.0001; x *= 10) if (x >= min / 1.0001) out.push(x);
    return out;
  }
  function positive(values) {
    return values.map(function (v) { return v != null && v > 0 ? v : null; });
  }

  function draw(el, c) {
    var xAxis = { label: c.xLabel };
    if (c.kind === 'hdr') {
      xAxis.splits = decades;
      xAxis.values = function (u, xs) { return xs.map(pct); };
    }
    var axes = [xAxis, { label: c.yLabel, values: function (u, ys) { return ys.map(num); } }];
    var sparse = c.kind === 'level' || c.kind === 'knee' || c.x.length < 4;
    var series = [{ label: c.kind === 'hdr' ? 'percentile' : c.xLabel, value: function (u, v) { return v == null ? '' : c.kind === 'hdr' ? pct(v) : num(v); } }];
    c.series.forEach(function (s) {
      series.push({
        label: s.label,
        stroke: palette[s.color % palette.length],
        width: 2,
        dash: s.dashed ? [6, 4] : undefined,
        points: { show: sparse, size: 6 },
        // Draw through a second without completions, or a level one run did not run; an HDR
        // curve's nulls are only past its end.
        spanGaps: c.kind !== 'hdr',
        value: function (u, v) { return num(v); }
      });
    });
    var opts = {
      width: Math.max(300, el.clientWidth),
      height: 260,
      series: series,
      axes: axes,
      scales: {
        // The percentile axis ends where the data does, not at the next decade.
        x: { time: false, distr: c.xLog ? 3 : 1, range: c.kind === 'hdr' ? function (u, min, max) { return [min, max]; } : undefined },
        y: { distr: c.yLog ? 3 : 1 }
      }
    };
    var columns = [c.x].concat(c.series.map(function (s) { return c.yLog ? positive(s.values) : s.values; }));
    plots.push({ el: el, plot: new uPlot(opts, columns, el) });
  }

  document.querySelectorAll('[data-chart]').forEach(function (el) {
    var c = data.charts[Number(el.getAttribute('data-chart'))];
    if (c) draw(el, c);
  });
  var pending = 0;
  window.addEventListener('resize', function () {
    clearTimeout(pending);
    pending = setTimeout(function () {
      plots.forEach(function (p) { p.plot.setSize({ width: Math.max(300, p.el.clientWidth), height: 260 }); });
    }, 100);
  });
})();`;
