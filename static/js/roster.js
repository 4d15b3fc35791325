/* The session roster: H/T/I/S/A mark the focused row and move to the next; arrow keys up and
   down move between rows; changed rows are highlighted and counted. Without this script the
   page is plain radio buttons and a submit button. */
(function () {
  "use strict";
  var form = document.getElementById("roster-form");
  if (!form) return;
  var rows = Array.prototype.slice.call(form.querySelectorAll(".roster-row"));
  var keys = { h: "hadir", t: "terlambat", i: "izin", s: "sakit", a: "alpa" };
  var count = document.getElementById("roster-count");

  function chosen(row) {
    var checked = row.querySelector("input[type=radio]:checked");
    return checked ? checked.value : "";
  }

  function refresh() {
    var changed = 0;
    rows.forEach(function (row) {
      var isChanged = chosen(row) !== row.dataset.seen && chosen(row) !== "";
      row.classList.toggle("changed", isChanged);
      if (isChanged) changed += 1;
    });
    if (!count) return;
    if (changed === 0) count.textContent = form.dataset.changesNone;
    else if (changed === 1) count.textContent = form.dataset.changesOne;
    else count.textContent = form.dataset.changesMany.replace("{n}", changed);
  }

  function focusRow(index) {
    var row = rows[Math.max(0, Math.min(rows.length - 1, index))];
    var target = row.querySelector("input[type=radio]:checked") || row.querySelector("input[type=radio]");
    target.focus();
    row.scrollIntoView({ block: "nearest" });
  }

  form.addEventListener("keydown", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches(".roster-row input[type=radio]")) return;
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    var row = input.closest(".roster-row");
    var index = rows.indexOf(row);
    var status = keys[event.key.toLowerCase()];
    if (status) {
      event.preventDefault();
      var radio = row.querySelector("input[value=" + status + "]");
      radio.checked = true;
      row.dataset.touched = "1";
      refresh();
      if (index < rows.length - 1) focusRow(index + 1);
      else document.getElementById("roster-reason").focus();
    } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      focusRow(index + (event.key === "ArrowDown" ? 1 : -1));
    }
  });
  form.addEventListener("change", function (event) {
    var row = event.target.closest && event.target.closest(".roster-row");
    if (row) row.dataset.touched = "1";
    refresh();
  });

  var restPresent = document.getElementById("roster-rest-present");
  if (restPresent) {
    restPresent.parentNode.hidden = false;
    restPresent.addEventListener("click", function () {
      rows.forEach(function (row) {
        var value = chosen(row);
        if (row.dataset.touched) return;
        if (value === "" || (value === "alpa" && row.dataset.seen === "alpa")) {
          row.querySelector("input[value=hadir]").checked = true;
        }
      });
      refresh();
    });
  }
  refresh();
})();
