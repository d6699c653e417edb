// 综合统计 查询条件: show the 地区 or the 机构 field, following 查询方式, and fill 下级机构 with the
// chosen org's children that the first dropdown does not list (the county bureaus: thousands of
// them would make one select unusable). No inline script (CSP). Without this file both selects
// still work: the server redraws 下级机构 after each submit.
(function () {
  "use strict";
  var form = document.getElementById("stats-query");
  if (!form) { return; }
  var mode = form.querySelector('[name="mode"]');
  var org = form.querySelector('[name="org"]');
  var sub = form.querySelector('[name="suborg"]');
  var subBox = sub ? sub.closest("[data-org-children]") : null;
  var listed = {};
  var ticket = 0;

  if (org) {
    Array.prototype.forEach.call(org.options, function (option) { listed[option.value] = true; });
  }

  // 下级机构 is shown only while it has something to offer (or an error to show).
  function subEmpty() {
    return sub.options.length < 2 && !subBox.querySelector(".text-danger");
  }

  function refresh() {
    form.querySelectorAll("[data-mode]").forEach(function (el) {
      el.hidden = el.getAttribute("data-mode") !== mode.value || (el === subBox && subEmpty());
    });
  }

  function childrenUrl(pk) {
    return subBox.getAttribute("data-org-children").replace(/\/0\/children\/$/, "/" + encodeURIComponent(pk) + "/children/");
  }

  function loadChildren() {
    var mine = ++ticket;  // a later choice wins over an answer still on its way
    while (sub.options.length > 1) { sub.remove(1); }
    sub.value = "";
    var errors = subBox.querySelectorAll(".text-danger");
    Array.prototype.forEach.call(errors, function (el) { el.remove(); });
    refresh();
    if (!org.value) { return; }
    fetch(childrenUrl(org.value), { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (data) {
        if (mine !== ticket) { return; }
        data.children.forEach(function (child) {
          if (!listed[String(child.id)]) { sub.appendChild(new Option(child.name, String(child.id))); }
        });
        refresh();
      })
      .catch(function () {
        // 下级机构 stays hidden: the org chosen in the first dropdown is still a valid query.
      });
  }

  mode.addEventListener("change", refresh);
  if (org && sub && subBox) {
    org.addEventListener("change", loadChildren);
    // A page restored by the back button keeps the chosen org but not the options loaded for it.
    if (org.value && subEmpty()) { loadChildren(); }
  }
  refresh();
}());
