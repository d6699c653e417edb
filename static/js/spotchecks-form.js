// 抽检管理 forms: org or region by the 抽检范围, size or ratio by the 抽检数量 mode, and the report's
// reward fields. Needs field-toggles.js; a static file (no inline script: CSP).
(function () {
  "use strict";
  var t = window.FieldToggles;

  t.bind("form#spotcheck-batch-form, form#rectify-form", function (form) {
    if (form.querySelector('input[name="scope"]')) {
      var byRegion = t.checked(form, "scope") === "region";
      t.show(form, "org", !byRegion);
      t.show(form, "region", byRegion);
    }
    if (form.querySelector('input[name="size_mode"]')) {
      var byRatio = t.checked(form, "size_mode") === "ratio";
      t.show(form, "size", !byRatio);
      t.show(form, "ratio", byRatio);
    }
    t.reward(form);
  });
})();
