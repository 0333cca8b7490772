// The leadership dashboard's charts (ECharts), drawn from the snapshot JSON API.
// No inline scripts (the CSP forbids them): labels come from data-* attributes of #cw-dashboard.
(function () {
  "use strict";
  var root = document.getElementById("cw-dashboard");
  if (!root || !window.echarts) { return; }
  var label = function (name) { return root.getAttribute("data-label-" + name) || name; };
  var charts = [];

  function chart(name) {
    var el = root.querySelector('[data-chart="' + name + '"]');
    if (!el) { return null; }
    var c = echarts.init(el);
    charts.push(c);
    return c;
  }
  function pct(v) { return v === null || v === undefined ? "–" : (v * 100).toFixed(1) + "%"; }
  function num(v) { return v === null || v === undefined ? 0 : v; }

  function methods(s) {
    var c = chart("methods");
    if (!c || !s.by_method) { return; }
    c.setOption({
      tooltip: { trigger: "axis" },
      legend: { data: [label("score"), label("max")], bottom: 0 },
      grid: { left: 8, right: 8, top: 16, bottom: 32, containLabel: true },
      // Every method named (ECharts hides labels that would overlap): wrapped, small.
      xAxis: {
        type: "category", data: s.by_method.map(function (m) { return m.label; }),
        axisLabel: { interval: 0, width: 64, overflow: "break", fontSize: 10, lineHeight: 12 }
      },
      yAxis: { type: "value" },
      series: [
        { name: label("score"), type: "bar", data: s.by_method.map(function (m) { return num(m.score); }), itemStyle: { color: "#b71c1c" } },
        { name: label("max"), type: "bar", data: s.by_method.map(function (m) { return num(m.max); }), itemStyle: { color: "#e0e0e0" } }
      ]
    });
  }

  function aspects(s) {
    var c = chart("aspects");
    if (!c || !s.by_aspect) { return; }
    var rows = s.by_aspect.slice().reverse();
    c.setOption({
      tooltip: {
        trigger: "axis",
        formatter: function (p) { var r = rows[p[0].dataIndex]; return r.name + "<br>" + num(r.score).toFixed(2) + " / " + num(r.max).toFixed(2); }
      },
      grid: { left: 8, right: 16, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: "value", max: 1, axisLabel: { formatter: function (v) { return Math.round(v * 100) + "%"; } } },
      yAxis: { type: "category", data: rows.map(function (r) { return r.name; }), axisLabel: { width: 120, overflow: "truncate" } },
      series: [{
        type: "bar",
        data: rows.map(function (r) { return r.max ? num(r.score) / r.max : 0; }),
        itemStyle: { color: "#c62828" }
      }]
    });
  }

  var trendChart = null;
  function trend(p, which) {
    trendChart = trendChart || chart("trend");
    if (!trendChart) { return; }
    var rows = p[which] || [];
    trendChart.setOption({
      tooltip: { trigger: "axis" },
      legend: { data: [label("rate"), label("due")], bottom: 0 },
      grid: { left: 8, right: 8, top: 16, bottom: 32, containLabel: true },
      xAxis: { type: "category", data: rows.map(function (r) { return r.period; }) },
      yAxis: [
        { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
        { type: "value", splitLine: { show: false } }
      ],
      series: [
        { name: label("due"), type: "bar", yAxisIndex: 1, data: rows.map(function (r) { return r.denominator === undefined ? r.due : r.denominator; }), itemStyle: { color: "#e0e0e0" } },
        { name: label("rate"), type: "line", connectNulls: true, data: rows.map(function (r) { return r.rate; }), itemStyle: { color: "#b71c1c" } }
      ]
    }, true);
  }

  function overdue(p) {
    var c = chart("overdue");
    if (!c) { return; }
    var rows = (p.overdue_by_unit || []).slice().reverse();
    c.setOption({
      tooltip: { trigger: "axis" },
      grid: { left: 8, right: 16, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: rows.map(function (r) { return r.unit; }), axisLabel: { width: 120, overflow: "truncate" } },
      series: [{ name: label("overdue"), type: "bar", data: rows.map(function (r) { return r.overdue; }), itemStyle: { color: "#c62828" } }]
    });
  }

  function surveys(rows) {
    var c = chart("surveys");
    if (!c) { return; }
    c.setOption({
      tooltip: {
        trigger: "axis",
        formatter: function (p) {
          var r = rows[p[0].dataIndex];
          return r.label + " (" + r.round + ")<br>" + pct(r.rate) + " (95%: " + pct(r.low) + " – " + pct(r.high) + ")<br>" +
            label("threshold") + ": " + pct(r.threshold) + (r.grade ? " · " + r.grade : "") + " · n=" + r.n;
        }
      },
      grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: rows.map(function (r) { return r.label; }), axisLabel: { rotate: rows.length > 4 ? 30 : 0, interval: 0, width: 120, overflow: "truncate" } },
      yAxis: { type: "value", min: 0, max: 1, axisLabel: { formatter: function (v) { return Math.round(v * 100) + "%"; } } },
      series: [
        { type: "bar", data: rows.map(function (r) { return { value: r.rate, itemStyle: { color: r.below ? "#c62828" : "#2e7d32" } }; }) },
        { name: label("threshold"), type: "scatter", symbol: "rect", symbolSize: [28, 3], itemStyle: { color: "#212121" }, data: rows.map(function (r) { return r.threshold; }) },
        {
          type: "custom", z: 10, tooltip: { show: false },
          data: rows.map(function (r, i) { return [i, r.low, r.high]; }).filter(function (d) { return d[1] !== null; }),
          renderItem: function (params, api) {
            var a = api.coord([api.value(0), api.value(1)]), b = api.coord([api.value(0), api.value(2)]);
            return { type: "line", shape: { x1: a[0], y1: a[1], x2: b[0], y2: b[1] }, style: { stroke: "#333", lineWidth: 1 } };
          }
        }
      ]
    });
  }

  function materials(m) {
    var c = chart("materials");
    if (!c) { return; }
    var colours = { satisfied: "#2e7d32", in_review: "#0288d1", sent_back: "#ef6c00", missing: "#c62828", upcoming: "#9e9e9e" };
    c.setOption({
      tooltip: { trigger: "item" },
      legend: { bottom: 0 },
      series: [{
        type: "pie", radius: ["40%", "70%"], top: 0, bottom: 24,
        data: Object.keys(colours).map(function (k) {
          return { name: root.getAttribute("data-state-" + k) || k, value: m[k] || 0, itemStyle: { color: colours[k] } };
        })
      }]
    });
  }

  fetch(root.getAttribute("data-snapshot-url"), { credentials: "same-origin", headers: { "Accept": "application/json" } })
    .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
    .then(function (snap) {
      var d = snap.data;
      if (d.scores && d.scores.computed) { methods(d.scores); aspects(d.scores); }
      trend(d.problems, "monthly");
      overdue(d.problems);
      if (d.surveys && d.surveys.length) { surveys(d.surveys); }
      materials(d.materials);
      root.querySelectorAll("[data-trend]").forEach(function (button) {
        button.addEventListener("click", function () {
          root.querySelectorAll("[data-trend]").forEach(function (b) { b.classList.remove("active"); });
          button.classList.add("active");
          trend(d.problems, button.getAttribute("data-trend"));
        });
      });
      root.setAttribute("data-loaded", "1");
    })
    .catch(function () { root.setAttribute("data-loaded", "error"); });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
