/* Draws the dashboard's charts from the JSON a page embeds in <script id="chart-data">. */
(function () {
  "use strict";
  var source = document.getElementById("chart-data");
  if (!source || typeof Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  function draw(id, config) {
    var canvas = document.getElementById(id);
    if (canvas) { new Chart(canvas, config); }
  }
  var options = { responsive: true, maintainAspectRatio: false, animation: false,
    plugins: { legend: { display: false } } };
  if (data.trend) {
    draw("trend-chart", {
      type: "line",
      data: { labels: data.trend.labels,
        datasets: [{ data: data.trend.values, borderColor: "#1f6feb", tension: 0.2 }] },
      options: Object.assign({}, options, { scales: { y: { min: 1, max: 5 } } })
    });
  }
  if (data.distribution) {
    draw("distribution-chart", {
      type: "bar",
      data: { labels: ["1", "2", "3", "4", "5"],
        datasets: [{ data: data.distribution,
          backgroundColor: ["#d1242f", "#e16f24", "#f0b400", "#7cb342", "#1a7f37"] }] },
      options: options
    });
  }
  if (data.scores) {
    draw("scores-chart", {
      type: "bar",
      data: { labels: data.scores.labels, datasets: [{ data: data.scores.values,
        backgroundColor: "#1f6feb" }] },
      options: Object.assign({}, options, { indexAxis: "y", scales: { x: { min: 1, max: 5 } } })
    });
  }
  document.documentElement.dataset.charts = "drawn";
})();
