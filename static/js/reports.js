// Report forms: show only the fields that apply. Loaded as a static file (no inline script: CSP).
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
    if (form.querySelector('input[name="anonymity"]')) {
      var real = checked(form, "anonymity") !== "anonymous";
      ["reporter_name", "reporter_phone", "reporter_id_number"].forEach(function (n) { show(form, n, real); });
    }
    if (form.querySelector('input[name="reason"][type="radio"]')) {
      var reason = checked(form, "reason");
      show(form, "duplicate_of_number", reason === "duplicate");
      show(form, "referred_department", reason === "not_our_duty");
    }
    if (form.querySelector('input[name="reward_status"]')) {
      var reward = checked(form, "reward_status");
      show(form, "reward_amount", reward !== "none");
      show(form, "reward_paid_on", reward === "paid");
    }
  }

  function init() {
    document.querySelectorAll("form#report-entry-form, form#action-form").forEach(function (form) {
      form.addEventListener("change", function () { refresh(form); });
      form.addEventListener("reset", function () { window.setTimeout(function () { refresh(form); }, 0); });
      refresh(form);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
