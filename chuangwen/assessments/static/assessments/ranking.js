// The month's ranking as horizontal bars, drawn from a JSON data island (the CSP forbids inline scripts):
// <div data-cw-ranking="island-id"> with [[unit, score], ...] best first.
(function () {
  "use strict";
  if (!window.echarts) { return; }
  document.querySelectorAll("[data-cw-ranking]").forEach(function (el) {
    var island = document.getElementById(el.getAttribute("data-cw-ranking"));
    if (!island) { return; }
    var rows = JSON.parse(island.textContent).slice().reverse();
    var chart = window.echarts.init(el);
    chart.setOption({
      animation: false,
      grid: { left: 8, right: 40, top: 8, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis" },
      xAxis: { type: "value", min: function (v) { return Math.max(0, Math.floor(v.min - 1)); } },
      yAxis: { type: "category", data: rows.map(function (r) { return r[0]; }) },
      series: [{ type: "bar", data: rows.map(function (r) { return r[1]; }), label: { show: true, position: "right" } }]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
