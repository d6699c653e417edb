// 综合统计 查询条件: show the 地区 or the 机构 field, following 查询方式. No inline script (CSP).
(function () {
  "use strict";
  var form = document.getElementById("stats-query");
  if (!form) { return; }
  var mode = form.querySelector('[name="mode"]');

  function refresh() {
    form.querySelectorAll("[data-mode]").forEach(function (el) {
      el.hidden = el.getAttribute("data-mode") !== mode.value;
    });
  }

  mode.addEventListener("change", refresh);
  refresh();
}());
