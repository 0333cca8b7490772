// Survey charts (ECharts), drawn from JSON data islands ({{ data|json_script:"id" }}):
// <div data-cw-chart="bars|trend" data-source="id">. No inline scripts: the CSP forbids them.
(function () {
  "use strict";
  if (!window.echarts) { return; }

  function pct(v) { return v === null || v === undefined ? "–" : (v * 100).toFixed(1) + "%"; }
  function axisPct(v) { return Math.round(v * 100) + "%"; }

  function errorBar(params, api) {
    var x = api.value(0);
    var low = api.coord([x, api.value(1)]);
    var high = api.coord([x, api.value(2)]);
    var w = api.size([1, 0])[0] * 0.12;
    var style = { stroke: "#333", lineWidth: 1 };
    return {
      type: "group",
      children: [
        { type: "line", shape: { x1: low[0], y1: low[1], x2: high[0], y2: high[1] }, style: style },
        { type: "line", shape: { x1: low[0] - w, y1: low[1], x2: low[0] + w, y2: low[1] }, style: style },
        { type: "line", shape: { x1: high[0] - w, y1: high[1], x2: high[0] + w, y2: high[1] }, style: style }
      ]
    };
  }

  function bars(d) {
    var intervals = [];
    d.low.forEach(function (low, i) { if (low !== null) { intervals.push([i, low, d.high[i]]); } });
    return {
      grid: { left: 8, right: 48, top: 24, bottom: 8, containLabel: true },
      tooltip: {
        trigger: "axis",
        formatter: function (p) {
          var i = p[0].dataIndex;
          return d.labels[i] + "<br>" + pct(d.rates[i]) + " (95%: " + pct(d.low[i]) + " – " + pct(d.high[i]) + ")";
        }
      },
      xAxis: {
        type: "category",
        data: d.labels,
        axisLabel: { rotate: d.labels.length > 5 ? 40 : 0, interval: 0, width: 110, overflow: "truncate" }
      },
      yAxis: { type: "value", min: 0, max: 1, axisLabel: { formatter: axisPct } },
      series: [
        {
          type: "bar",
          data: d.rates.map(function (v, i) {
            return { value: v, itemStyle: { color: d.below[i] ? "#c62828" : "#2e7d32" } };
          }),
          markLine: {
            symbol: "none",
            data: [{ yAxis: d.threshold }],
            lineStyle: { type: "dashed", color: "#b71c1c" },
            label: { formatter: pct(d.threshold) }
          }
        },
        { type: "custom", name: "95%", renderItem: errorBar, data: intervals, z: 10, tooltip: { show: false } }
      ]
    };
  }

  function trend(d) {
    return {
      tooltip: { trigger: "axis", valueFormatter: pct },
      legend: { top: 0 },
      grid: { left: 8, right: 24, top: 48, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: d.rounds.map(function (r) { return r.name; }) },
      yAxis: { type: "value", min: 0, max: 1, axisLabel: { formatter: axisPct } },
      series: d.series.map(function (s) {
        return { type: "line", name: s.label, connectNulls: true, data: s.values.map(function (v) { return v.rate; }) };
      })
    };
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-cw-chart]"), function (el) {
    var source = document.getElementById(el.getAttribute("data-source"));
    if (!source) { return; }
    var data = JSON.parse(source.textContent);
    if ((data.labels && !data.labels.length) || (data.series && !data.series.length)) { el.remove(); return; }
    var chart = window.echarts.init(el);
    chart.setOption(el.getAttribute("data-cw-chart") === "trend" ? trend(data) : bars(data));
    window.addEventListener("resize", function () { chart.resize(); });
  });
}());
