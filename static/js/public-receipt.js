/* The receipt: print it, or copy the 举报编码 (the code never leaves this page otherwise). */
(function () {
  "use strict";
  var printButton = document.getElementById("print-receipt");
  if (printButton) {
    printButton.addEventListener("click", function () { window.print(); });
  }
  var copyButton = document.getElementById("copy-code");
  var status = document.getElementById("copy-status");
  var code = document.getElementById("receipt-code");
  if (copyButton && code) {
    copyButton.addEventListener("click", function () {
      var text = code.getAttribute("data-code");
      if (!navigator.clipboard) {
        status.textContent = "请手动抄写举报编码。";
        return;
      }
      navigator.clipboard.writeText(text).then(function () {
        status.textContent = "举报编码已复制，请粘贴到安全的地方保存。";
      }, function () {
        status.textContent = "复制失败，请手动抄写举报编码。";
      });
    });
  }
})();
