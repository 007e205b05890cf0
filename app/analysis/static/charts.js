/* Draws the charts of a results page with plotly.js (served by the platform). Without
   JavaScript the tables beside them give the same figures. */
(function () {
  "use strict";
  if (!window.Plotly) return;
  Array.prototype.forEach.call(document.querySelectorAll("[data-chart]"), function (box) {
    var figure = JSON.parse(document.getElementById(box.getAttribute("data-chart")).textContent);
    box.hidden = false;
    window.Plotly.newPlot(box, figure.data, figure.layout, {
      displayModeBar: false,
      responsive: true,
      staticPlot: true,
    });
  });
})();
