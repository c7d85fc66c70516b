// Draws each dashboard chart from the table beside it, so the chart can only show the table's numbers.
(function () {
  "use strict";
  var PALETTE = ["#b71c1c", "#f0a020", "#1e6fb8", "#2e7d32", "#6a1b9a", "#00838f", "#8d6e63", "#546e7a"];

  // Long labels (a plan's goal) stay whole in the table; the chart's axis shows their start.
  function short(label) {
    return label.length > 14 ? label.slice(0, 13) + "…" : label;
  }

  function readTable(table) {
    var columns = Array.prototype.map.call(table.querySelectorAll("thead th.num"), function (th) {
      return th.textContent.trim();
    });
    var labels = [], links = [], series = columns.map(function () { return []; });
    table.querySelectorAll("tbody tr").forEach(function (tr) {
      var head = tr.querySelector("th");
      var link = head.querySelector("a");
      labels.push(head.textContent.trim());
      links.push(link ? link.getAttribute("href") : null);
      tr.querySelectorAll("td[data-value]").forEach(function (td, i) {
        series[i].push(parseFloat(td.getAttribute("data-value")) || 0);
      });
    });
    return { columns: columns, labels: labels, links: links, series: series };
  }

  function draw(table) {
    var canvas = table.parentNode.querySelector("canvas");
    if (!canvas || typeof Chart === "undefined") return;
    var kind = table.getAttribute("data-chart");
    var percent = table.hasAttribute("data-percent");
    var data = readTable(table);
    var doughnut = kind === "doughnut";
    var datasets = doughnut
      ? [{ label: data.columns[0], data: data.series[0], backgroundColor: PALETTE.slice(0, data.labels.length) }]
      : data.series.map(function (values, i) {
          return { label: data.columns[i], data: values, backgroundColor: PALETTE[i % PALETTE.length] };
        });
    var valueAxis = { beginAtZero: true, ticks: { precision: 0 } };
    if (percent) valueAxis.max = 100;
    var options = {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      plugins: { legend: { display: doughnut || datasets.length > 1, position: "bottom" } },
      onClick: function (event, elements) {
        if (elements.length && data.links[elements[0].index]) window.location.href = data.links[elements[0].index];
      },
      onHover: function (event, elements) {
        event.native.target.style.cursor = elements.length ? "pointer" : "default";
      }
    };
    if (!doughnut) {
      options.indexAxis = kind === "hbar" ? "y" : "x";
      options.scales = kind === "hbar" ? { x: valueAxis } : { y: valueAxis };
    }
    options.plugins.tooltip = { callbacks: { title: function (items) { return items.length ? data.labels[items[0].dataIndex] : ""; } } };
    var labels = doughnut ? data.labels : data.labels.map(short);
    new Chart(canvas, { type: doughnut ? "doughnut" : "bar", data: { labels: labels, datasets: datasets }, options: options });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("table[data-chart]").forEach(draw);
  });
})();
