/* The report form: cascading region selects (the map follows them, see public-map.js), 定位,
 * SMS verification, attachment list and a few checks before the upload starts. */
(function () {
  "use strict";
  var form = document.getElementById("report-form");
  if (!form || !window.PublicUtil || !window.RegionSelects) { return; }
  var util = window.PublicUtil;
  var regionsUrl = form.getAttribute("data-regions-url");

  /* -- regions: the cascading selects (static/js/region-picker.js); the map follows them ---- */
  var selects = ["province", "city", "county"].map(function (level) {
    return document.getElementById("region_" + level);
  });
  var hidden = document.getElementById("region");
  window.RegionPicker = window.RegionSelects.create({
    selects: selects,
    url: regionsUrl,
    onChange: function (detail) {
      var last = detail.path[detail.path.length - 1];
      hidden.value = last ? last.code : "";
      document.dispatchEvent(new CustomEvent("region:change", { detail: detail }));
    },
    onError: function () { setLocateStatus("下级地区加载失败，请检查网络后重新选择。"); }
  });

  /* -- 定位: coordinates go to the server rounded to about 1 km, in a POST body (a URL would
   *    leave them in proxy and access logs), and are never stored; only the county that
   *    contains them is used. --------------------------------------------------------------- */
  var locateButton = document.getElementById("locate-button");
  var locateStatus = document.getElementById("locate-status");
  function setLocateStatus(text) { if (locateStatus) { locateStatus.textContent = text; } }
  if (locateButton && navigator.geolocation) {
    locateButton.hidden = false;
    locateButton.addEventListener("click", function () {
      setLocateStatus("正在定位…");
      navigator.geolocation.getCurrentPosition(function (position) {
        var point = {
          lng: Number(position.coords.longitude.toFixed(2)),
          lat: Number(position.coords.latitude.toFixed(2))
        };
        util.postJSON(form.getAttribute("data-locate-url"), point).then(function (found) {
          var codes = (found.path || []).map(function (r) { return r.code; });
          return window.RegionPicker.choosePath(codes).then(function () {
            setLocateStatus("已定位到：" + found.path.map(function (r) { return r.name; }).join(" / ") +
              "。如不准确，请手动选择。位置不会被保存。");
          });
        }, function () {
          setLocateStatus("未能确定所在县（区），请在地图或选择框中选择。");
        });
      }, function () {
        setLocateStatus("无法获取位置（可能未允许定位），请在地图或选择框中选择。");
      }, { enableHighAccuracy: false, timeout: 10000, maximumAge: 600000 });
    });
  }

  /* -- description length ------------------------------------------------------------------ */
  var description = document.getElementById("description");
  var count = document.getElementById("description-count");
  function showCount() {
    var n = description.value.trim().length;
    count.textContent = "（已输入" + n + "字）";
  }
  if (description && count) {
    description.addEventListener("input", showCount);
    showCount();
  }

  /* -- attachments ------------------------------------------------------------------------- */
  var fileInput = document.getElementById("attachments");
  var fileList = document.getElementById("file-list");
  var maxFiles = parseInt(form.getAttribute("data-max-files"), 10);
  var maxTotal = parseInt(form.getAttribute("data-max-total"), 10);
  function sizeText(bytes) {
    return bytes >= 1048576 ? (bytes / 1048576).toFixed(1) + " MB" : Math.max(1, Math.round(bytes / 1024)) + " KB";
  }
  function filesProblem() {
    var files = fileInput ? Array.prototype.slice.call(fileInput.files) : [];
    var total = files.reduce(function (sum, f) { return sum + f.size; }, 0);
    if (files.length > maxFiles) { return "附件最多" + maxFiles + "个，请重新选择。"; }
    if (total > maxTotal) { return "附件合计超过" + sizeText(maxTotal) + "，请减少文件。"; }
    return "";
  }
  if (fileInput && fileList) {
    fileInput.addEventListener("change", function () {
      fileList.innerHTML = "";
      Array.prototype.forEach.call(fileInput.files, function (file, i) {
        var li = document.createElement("li");
        li.textContent = "材料" + (i + 1) + "：" + sizeText(file.size);
        fileList.appendChild(li);
      });
      var problem = filesProblem();
      if (problem) {
        var li = document.createElement("li");
        li.className = "too-big";
        li.textContent = problem;
        fileList.appendChild(li);
      }
    });
  }

  /* -- SMS verification (real-name only) -------------------------------------------------- */
  var smsButton = document.getElementById("sms-button");
  var smsStatus = document.getElementById("sms-status");
  var phone = document.getElementById("reporter_phone");
  var smsCode = document.getElementById("sms_code");
  var session = form.querySelector("input[name=session]").value;
  var resendTimer = null;

  function startResendCountdown(seconds) {
    var left = seconds;
    smsButton.disabled = true;
    smsButton.textContent = left + "秒后重新获取";
    resendTimer = window.setInterval(function () {
      left -= 1;
      if (left <= 0) {
        window.clearInterval(resendTimer);
        smsButton.disabled = false;
        smsButton.textContent = "重新获取验证码";
      } else {
        smsButton.textContent = left + "秒后重新获取";
      }
    }, 1000);
  }

  if (smsButton) {
    smsButton.addEventListener("click", function () {
      var number = phone.value.trim();
      if (!/^1[3-9]\d{9}$/.test(number)) {
        smsStatus.textContent = "请先输入正确的11位手机号码。";
        phone.focus();
        return;
      }
      var answer = document.getElementById("captcha_answer");
      var block = document.getElementById("captcha-block");
      if (block && !block.hidden && answer && !answer.value.trim()) {
        smsStatus.textContent = "请先输入图形验证码。";
        answer.focus();
        return;
      }
      smsButton.disabled = true;
      smsStatus.textContent = "正在发送…";
      util.postForm(form.getAttribute("data-sms-url"), form, {
        session: session, reporter_phone: number,
        captcha_key: document.getElementById("captcha_key").value,
        captcha_answer: answer ? answer.value : ""
      }).then(function (result) {
        if (result.captcha_passed) { util.captchaPassed(); }
        else if (result.captcha) { util.setCaptcha(result.captcha); }
        smsStatus.textContent = result.message || "";
        if (result.ok) {
          startResendCountdown(result.resend_after || 60);
          smsCode.focus();
        } else {
          smsButton.disabled = false;
        }
      });
    });
    smsCode.addEventListener("input", function () {
      var code = smsCode.value.trim();
      if (!/^\d{6}$/.test(code)) { return; }
      util.postForm(form.getAttribute("data-verify-url"), form, {
        session: session, reporter_phone: phone.value.trim(), sms_code: code
      }).then(function (result) {
        smsStatus.textContent = result.message || "";
      });
    });
  }

  util.bindCaptchaRefresh(form.getAttribute("data-captcha-url"));

  /* -- before the upload starts: the cheap checks, so a slow upload is not wasted ---------- */
  var submitButton = document.getElementById("submit-button");
  function problem() {
    if (!hidden.value) { return [selects[0], "请选择举报事项所在地（省、市、县）。"]; }
    var required = [["problem_type", "请选择问题类型。"], ["industry", "请选择行业。"],
      ["reported_unit_name", "请填写被举报单位名称。"]];
    for (var i = 0; i < required.length; i++) {
      var field = document.getElementById(required[i][0]);
      if (!field.value.trim()) { return [field, required[i][1]]; }
    }
    var n = description.value.trim().length;
    if (n < 20) { return [description, "举报内容至少20个字（当前" + n + "字）。"]; }
    if (n > 4000) { return [description, "举报内容不能超过4000字（当前" + n + "字）。"]; }
    var files = filesProblem();
    if (files) { return [fileInput, files]; }
    return null;
  }
  form.addEventListener("submit", function (event) {
    if (submitButton.disabled) { event.preventDefault(); return; }
    var found = problem();
    var box = document.getElementById("client-error");
    if (found) {
      event.preventDefault();
      if (!box) {
        box = document.createElement("div");
        box.id = "client-error";
        box.className = "alert alert-danger";
        box.setAttribute("role", "alert");
        submitButton.parentNode.insertBefore(box, submitButton);
      }
      box.textContent = found[1];
      found[0].focus();
      return;
    }
    if (box) { box.remove(); }
    // The idempotency key makes a second click harmless; disabling it just says "wait".
    submitButton.disabled = true;
    submitButton.textContent = "正在提交，请稍候…";
  });

  // Back from the receipt (bfcache): the button must work again.
  window.addEventListener("pageshow", function () {
    submitButton.disabled = false;
    submitButton.textContent = "提交举报";
  });

  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
})();
