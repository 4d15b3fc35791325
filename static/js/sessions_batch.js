/* "Semua sesi" ticks every session's box (without this script the server reads it as all). */
(function () {
  "use strict";
  var all = document.getElementById("f-all");
  if (!all) return;
  var boxes = Array.prototype.slice.call(document.querySelectorAll("input[name=session_id]"));
  all.addEventListener("change", function () {
    boxes.forEach(function (box) { box.checked = all.checked; });
  });
  boxes.forEach(function (box) {
    box.addEventListener("change", function () {
      all.checked = boxes.every(function (b) { return b.checked; });
    });
  });
})();
