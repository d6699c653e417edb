(function () {
  "use strict";
  var form = document.getElementById("progress-form");
  if (!form || !window.PublicUtil) { return; }
  window.PublicUtil.bindCaptchaRefresh(form.getAttribute("data-captcha-url"));
  var error = document.getElementById("progress-error");
  if (error) { document.getElementById("code").focus(); }
})();
