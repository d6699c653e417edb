// 首页: the 问题类型 chart. Data comes from a json_script block (no inline script: CSP).
(function () {
  "use strict";

  function init() {
    var el = document.getElementById("home-type-chart");
    var source = document.getElementById("home-type-data");
    if (!el || !source || !window.echarts) { return; }
    var rows = JSON.parse(source.textContent);
    var chart = window.echarts.init(el);
    chart.setOption({
      tooltip: { trigger: "item", renderMode: "richText", formatter: "{b}：{c}件（{d}%）" },
      legend: { type: "scroll", orient: "vertical", right: 0, top: "middle" },
      series: [{
        type: "pie",
        radius: ["40%", "70%"],
        center: ["35%", "50%"],
        label: { formatter: "{c}" },
        data: rows
      }]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
