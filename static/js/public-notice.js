/* 举报须知: 【我已阅读以上条款】 becomes active after the notice has been shown for 15 seconds.
 * The server checks the same 15 seconds; this only shows the countdown. */
(function () {
  "use strict";
  var actions = document.getElementById("notice-actions");
  if (!actions) { return; }
  var button = document.getElementById("ack-button");
  var choice = document.getElementById("mode-choice");
  var countdown = document.getElementById("countdown");
  var remaining = parseInt(actions.getAttribute("data-remaining"), 10);
  if (isNaN(remaining)) { remaining = 15; }
  var started = Date.now();

  function secondsLeft() {
    return Math.max(0, Math.ceil(remaining - (Date.now() - started) / 1000));
  }

  function render() {
    var left = secondsLeft();
    if (left > 0) {
      button.disabled = true;
      button.textContent = "我已阅读以上条款（" + left + "秒）";
      return true;
    }
    button.disabled = false;
    button.textContent = "我已阅读以上条款";
    // One announcement at the end, not one per second, for screen reader users.
    countdown.textContent = "您已阅读举报须知，请点击【我已阅读以上条款】继续。";
    return false;
  }

  countdown.textContent = "请仔细阅读举报须知，" + (secondsLeft() || 0) + " 秒后方可继续。";
  if (render()) {
    var timer = window.setInterval(function () {
      if (!render()) { window.clearInterval(timer); }
    }, 250);
  }

  button.addEventListener("click", function () {
    if (secondsLeft() > 0) { return; }
    button.hidden = true;
    choice.hidden = false;
    choice.querySelector("button").focus();
  });
})();
