// Report forms: the reporter's fields only for a real-name report, the fields of the chosen
// 不予受理 reason, and the reward fields. Needs field-toggles.js; a static file (no inline script: CSP).
(function () {
  "use strict";
  var t = window.FieldToggles;

  t.bind("form#report-entry-form, form#action-form", function (form) {
    if (form.querySelector('input[name="anonymity"]')) {
      var real = t.checked(form, "anonymity") !== "anonymous";
      ["reporter_name", "reporter_phone", "reporter_id_number"].forEach(function (n) { t.show(form, n, real); });
    }
    if (form.querySelector('input[name="reason"][type="radio"]')) {
      var reason = t.checked(form, "reason");
      t.show(form, "duplicate_of_number", reason === "duplicate");
      t.show(form, "referred_department", reason === "not_our_duty");
    }
    t.reward(form);
  });
})();
