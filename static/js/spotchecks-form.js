// 抽检管理 forms: show only the fields that apply. A static file (no inline script: CSP).
(function () {
  "use strict";

  function checked(form, name) {
    var input = form.querySelector('input[name="' + name + '"]:checked');
    return input ? input.value : "";
  }

  function show(form, name, visible) {
    var input = form.querySelector('[name="' + name + '"]');
    if (!input) { return; }
    var wrap = input.closest(".mb-3");
    if (wrap) { wrap.hidden = !visible; }
  }

  function refresh(form) {
    if (form.querySelector('input[name="scope"]')) {
      var byRegion = checked(form, "scope") === "region";
      show(form, "org", !byRegion);
      show(form, "region", byRegion);
    }
    if (form.querySelector('input[name="size_mode"]')) {
      var byRatio = checked(form, "size_mode") === "ratio";
      show(form, "size", !byRatio);
      show(form, "ratio", byRatio);
    }
    if (form.querySelector('input[name="reward_status"]')) {
      var reward = checked(form, "reward_status");
      show(form, "reward_amount", reward !== "none");
      show(form, "reward_paid_on", reward === "paid");
    }
  }

  function init() {
    document.querySelectorAll("form#spotcheck-batch-form, form#rectify-form").forEach(function (form) {
      form.addEventListener("change", function () { refresh(form); });
      refresh(form);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
}());
