// Score charts (ECharts) from JSON data islands: <div data-cw-score-chart data-source="id">.
// No inline scripts: the CSP forbids them.
(function () {
  "use strict";
  if (!window.echarts) { return; }
  document.querySelectorAll("[data-cw-score-chart]").forEach(function (el) {
    var source = document.getElementById(el.dataset.source);
    if (!source) { return; }
    var rows = JSON.parse(source.textContent);
    var chart = window.echarts.init(el);
    chart.setOption({
      grid: { left: 8, right: 16, top: 24, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis" },
      xAxis: { type: "value" },
      yAxis: { type: "category", data: rows.map(function (r) { return r.label; }) },
      series: [
        { type: "bar", data: rows.map(function (r) { return r.max; }), itemStyle: { color: "#dee2e6" }, barGap: "-100%" },
        { type: "bar", data: rows.map(function (r) { return Math.round(r.score * 100) / 100; }), itemStyle: { color: "#0d6efd" } }
      ]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
