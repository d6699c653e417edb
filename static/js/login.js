// Staff login: 【发送】 opens the image captcha, the captcha can be refreshed, and the SMS resend
// button counts down. Served as a static file: the Content-Security-Policy allows no inline script.
(function () {
  "use strict";

  var form = document.getElementById("login-form");
  var modalEl = document.getElementById("captcha-modal");
  if (form && modalEl && window.bootstrap) {
    var username = document.getElementById("id_username");
    var password = document.getElementById("id_password");
    var answer = document.getElementById("id_captcha_1");
    var modal = window.bootstrap.Modal.getOrCreateInstance(modalEl);

    var credentialsMissing = function () {
      var missing = false;
      [username, password].forEach(function (input) {
        var empty = !input.value;
        input.classList.toggle("is-invalid", empty);
        missing = missing || empty;
      });
      return missing;
    };

    modalEl.addEventListener("show.bs.modal", function (event) {
      if (credentialsMissing()) {
        event.preventDefault();
        (username.value ? password : username).focus();
      }
    });
    modalEl.addEventListener("shown.bs.modal", function () {
      if (answer) { answer.focus(); }
    });
    // Enter in the password field must not skip the captcha: open it instead.
    form.addEventListener("submit", function (event) {
      if (answer && !answer.value) {
        event.preventDefault();
        modal.show();
      }
    });
  }

  var refresh = document.getElementById("captcha-refresh");
  if (refresh) {
    refresh.addEventListener("click", function () {
      fetch(refresh.dataset.url, { headers: { "X-Requested-With": "XMLHttpRequest" }, credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          var img = document.querySelector("#captcha-modal img.captcha");
          var key = document.getElementById("id_captcha_0");
          if (img) { img.src = data.image_url; }
          if (key) { key.value = data.key; }
          var input = document.getElementById("id_captcha_1");
          if (input) { input.value = ""; input.focus(); }
        });
    });
  }

  var resend = document.getElementById("resend-button");
  if (resend) {
    var wait = parseInt(resend.dataset.wait || "0", 10);
    var label = resend.querySelector(".resend-seconds");
    var timer = window.setInterval(function () {
      wait -= 1;
      if (wait <= 0) {
        window.clearInterval(timer);
        resend.disabled = false;
        resend.textContent = "重新获取验证码";
      } else if (label) {
        label.textContent = String(wait);
      }
    }, 1000);
    if (wait <= 0) { window.clearInterval(timer); }
  }
})();
