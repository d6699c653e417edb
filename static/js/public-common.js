/* Small helpers shared by the public pages (no inline script anywhere: the CSP forbids it). */
(function () {
  "use strict";

  function csrfToken(form) {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function postForm(url, form, fields) {
    var data = new FormData();
    data.append("csrfmiddlewaretoken", csrfToken(form));
    Object.keys(fields).forEach(function (key) { data.append(key, fields[key]); });
    return fetch(url, {
      method: "POST", body: data, credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(form), "Accept": "application/json" }
    }).then(function (response) {
      return response.json().catch(function () {
        return { ok: false, message: "网络异常，请稍后重试。" };
      });
    }, function () {
      return { ok: false, message: "网络连接失败，请检查网络后重试。" };
    });
  }

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      });
  }

  /* A JSON POST for read-only look-ups whose input must stay out of URLs (定位). The API answers
   * it without a CSRF token: it changes nothing and needs no session. */
  function postJSON(url, body) {
    return fetch(url, {
      method: "POST", body: JSON.stringify(body), credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json" }
    }).then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.json();
    });
  }

  function setCaptcha(captcha) {
    var key = document.getElementById("captcha_key");
    var image = document.getElementById("captcha-image");
    var answer = document.getElementById("captcha_answer");
    if (!key || !image || !captcha) { return; }
    key.value = captcha.key;
    image.src = captcha.image_url;
    if (answer) { answer.value = ""; }
  }

  function captchaPassed() {
    var block = document.getElementById("captcha-block");
    var passed = document.getElementById("captcha-passed");
    if (block) { block.hidden = true; }
    if (passed) { passed.hidden = false; }
  }

  function bindCaptchaRefresh(url) {
    // The image refreshes too: "请点击图片刷新" is what the expired-captcha message tells people.
    document.querySelectorAll(".js-captcha-refresh, .captcha-image").forEach(function (button) {
      button.addEventListener("click", function () {
        getJSON(url).then(setCaptcha, function () {
          var help = document.getElementById("captcha-help");
          if (help) { help.textContent = "验证码刷新失败，请检查网络后重试。"; }
        });
      });
    });
  }

  window.PublicUtil = {
    postForm: postForm, getJSON: getJSON, postJSON: postJSON, setCaptcha: setCaptcha, captchaPassed: captchaPassed,
    bindCaptchaRefresh: bindCaptchaRefresh
  };
})();
