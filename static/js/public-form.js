/* The report form: cascading region selects (the map follows them, see public-map.js), 定位,
 * SMS verification, attachment list and a few checks before the upload starts. */
(function () {
  "use strict";
  var form = document.getElementById("report-form");
  if (!form || !window.PublicUtil) { return; }
  var util = window.PublicUtil;
  var regionsUrl = form.getAttribute("data-regions-url");

  /* -- regions ---------------------------------------------------------------------------- */
  var selects = ["province", "city", "county"].map(function (level) {
    return document.getElementById("region_" + level);
  });
  var hidden = document.getElementById("region");
  var childrenKnown = {};  // code -> has children (from the API)

  function fill(select, items, placeholder) {
    select.innerHTML = "";
    var empty = document.createElement("option");
    empty.value = "";
    empty.textContent = placeholder || (items.length ? "请选择" : "（无下级，无需选择）");
    select.appendChild(empty);
    items.forEach(function (item) {
      if (!item.is_served) { return; }
      var option = document.createElement("option");
      option.value = item.code;
      option.textContent = item.name;
      select.appendChild(option);
      childrenKnown[item.code] = item.has_children;
    });
    select.disabled = items.length === 0;
  }

  function clearFrom(depth) {
    for (var d = depth; d < selects.length; d++) {
      fill(selects[d], [], "请先选择上一级");
    }
  }

  function loadChildren(depth, parentCode) {
    return util.getJSON(regionsUrl + "?parent=" + encodeURIComponent(parentCode)).then(function (items) {
      fill(selects[depth], items);
      return items;
    });
  }

  function path() {
    var codes = [];
    selects.forEach(function (select) {
      if (select.value) {
        codes.push({ code: select.value, name: select.options[select.selectedIndex].textContent });
      }
    });
    return codes;
  }

  function emit() {
    var chosen = path();
    hidden.value = chosen.length ? chosen[chosen.length - 1].code : "";
    var last = chosen[chosen.length - 1];
    document.dispatchEvent(new CustomEvent("region:change", {
      detail: { path: chosen, leaf: Boolean(last && (childrenKnown[last.code] === false || chosen.length === 3)) }
    }));
  }

  function changed(depth) {
    var code = selects[depth].value;
    clearFrom(depth + 1);
    if (!code || depth + 1 >= selects.length || childrenKnown[code] === false) {
      emit();
      return Promise.resolve();
    }
    return loadChildren(depth + 1, code).then(function (items) {
      childrenKnown[code] = items.length > 0;
      emit();
    }, function () {
      setLocateStatus("下级地区加载失败，请检查网络后重新选择。");
    });
  }

  selects.forEach(function (select, depth) {
    select.addEventListener("change", function () { changed(depth); });
  });

  // Server-drawn options (a re-shown form) tell nothing about children: ask once.
  selects[0].querySelectorAll("option").forEach(function (option) {
    if (option.value) { childrenKnown[option.value] = true; }
  });
  if (!selects[1].options.length || selects[1].options.length <= 1) { selects[1].disabled = !selects[0].value; }
  if (!selects[2].options.length || selects[2].options.length <= 1) { selects[2].disabled = !selects[1].value; }

  window.RegionPicker = {
    path: path,
    /* Choose `code` at `depth` (0 province, 1 city, 2 county), as if picked in the select. */
    choose: function (depth, code) {
      if (depth >= selects.length) { return Promise.resolve(); }
      selects[depth].value = code;
      if (selects[depth].value !== code) { return Promise.resolve(); }
      return changed(depth);
    },
    up: function () {
      var chosen = path();
      if (!chosen.length) { return; }
      var depth = chosen.length - 1;
      if (chosen.length && childrenKnown[chosen[depth].code] === false && depth > 0) { depth -= 1; }
      selects[depth].value = "";
      changed(depth);
    },
    choosePath: function (codes) {
      var chain = Promise.resolve();
      codes.forEach(function (code, depth) {
        chain = chain.then(function () { return window.RegionPicker.choose(depth, code); });
      });
      return chain;
    },
    emit: emit
  };

  /* -- 定位: coordinates go to the server only as a query, rounded to about 1 km, and are
   *    never stored; only the county that contains them is used. ------------------------- */
  var locateButton = document.getElementById("locate-button");
  var locateStatus = document.getElementById("locate-status");
  function setLocateStatus(text) { if (locateStatus) { locateStatus.textContent = text; } }
  if (locateButton && navigator.geolocation) {
    locateButton.hidden = false;
    locateButton.addEventListener("click", function () {
      setLocateStatus("正在定位…");
      navigator.geolocation.getCurrentPosition(function (position) {
        var lng = position.coords.longitude.toFixed(2);
        var lat = position.coords.latitude.toFixed(2);
        var url = form.getAttribute("data-locate-url") + "?lng=" + lng + "&lat=" + lat;
        util.getJSON(url).then(function (found) {
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
