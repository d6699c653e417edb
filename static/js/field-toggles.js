/* Show only the form fields that apply: the mechanics shared by the report forms (reports.js) and
   the 抽检管理 forms (spotchecks-form.js), which each give their own rules. A static file (no
   inline script: CSP); load it before them. */
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

  // The report's reward fields, on the 办结 form and on the 抽检整改 form that corrects it.
  function reward(form) {
    if (form.querySelector('input[name="reward_status"]')) {
      var status = checked(form, "reward_status");
      show(form, "reward_amount", status !== "none");
      show(form, "reward_paid_on", status === "paid");
    }
  }

  // Apply `refresh(form)` to the forms matching `selector` now, and again on every change and reset.
  function bind(selector, refresh) {
    function init() {
      document.querySelectorAll(selector).forEach(function (form) {
        form.addEventListener("change", function () { refresh(form); });
        // A reset changes the values only after the event: refresh once it has happened.
        form.addEventListener("reset", function () { window.setTimeout(function () { refresh(form); }, 0); });
        refresh(form);
      });
    }

    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", init);
    } else {
      init();
    }
  }

  window.FieldToggles = { checked: checked, show: show, reward: reward, bind: bind };
})();
