/* Draws the dashboard's charts (Chart.js, vendored) from the JSON the page embeds with
   json_script. Every bar or slice links to the filtered agreement list; the table beside
   each chart carries the same numbers for screen readers and when scripts are off. */
(function () {
  "use strict";
  var source = document.getElementById("chart-data");
  if (!source || typeof window.Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var palette = ["#1b6e4f", "#2f8f6b", "#e0a100", "#c0392b", "#6c5ce7", "#7f8c8d", "#16a085", "#d35400", "#2c3e50", "#8e44ad", "#27ae60", "#f39c12"];
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var key = canvas.getAttribute("data-chart");
    var kind = canvas.getAttribute("data-kind") || "bar";
    var chart = data[key];
    if (!chart || !chart.values.length) { return; }
    var colours = chart.values.map(function (_v, i) { return palette[i % palette.length]; });
    new window.Chart(canvas, {
      type: kind,
      data: {
        labels: chart.labels,
        datasets: [{ data: chart.values, backgroundColor: kind === "line" ? "#1b6e4f" : colours, borderColor: "#1b6e4f", fill: false }]
      },
      options: {
        indexAxis: canvas.getAttribute("data-horizontal") ? "y" : "x",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { display: kind === "doughnut" } },
        scales: kind === "doughnut" ? {} : { y: { beginAtZero: true, ticks: { precision: 0 } } },
        onClick: function (_event, elements) {
          if (elements.length && chart.urls) { window.location.href = chart.urls[elements[0].index]; }
        },
        onHover: function (event, elements) {
          event.native.target.style.cursor = elements.length ? "pointer" : "default";
        }
      }
    });
  });
}());
