/* Certificates: an issuing run's progress page updates itself (without a script it refreshes). */
(function () {
  "use strict";

  function issueRun() {
    var panel = document.getElementById("issue-run");
    if (!panel || !window.fetch) return;
    var url = panel.getAttribute("data-url");
    var after = parseInt(panel.getAttribute("data-after"), 10);
    var body = document.getElementById("run-lines");
    var empty = body.querySelector(".empty-row");
    var labels = {
      done: panel.getAttribute("data-label-done"),
      failed: panel.getAttribute("data-label-failed"),
      stalled: panel.getAttribute("data-label-stalled"),
      running: panel.getAttribute("data-label-running"),
      already: panel.getAttribute("data-label-already"),
      failure: panel.getAttribute("data-label-failure")
    };
    function setText(name, value) {
      var node = panel.querySelector('[data-run="' + name + '"]');
      if (node) node.textContent = value;
    }
    function cell(row, text, className) {
      var td = document.createElement("td");
      if (className) td.className = className;
      if (text !== undefined) td.textContent = text;
      row.appendChild(td);
      return td;
    }
    function addLine(line) {
      var row = document.createElement("tr");
      row.className = "run-" + line.status;
      cell(row, String(line.position + 1), "num");
      cell(row, line.name);
      var last = cell(row);
      if (line.status === "failed") {
        var badge = document.createElement("span");
        badge.className = "badge badge-cancelled";
        badge.textContent = labels.failure;
        last.appendChild(badge);
        last.appendChild(document.createTextNode(" " + line.reason));
      } else {
        var code = document.createElement("code");
        code.textContent = line.number || "";
        last.appendChild(code);
        if (line.status === "already") {
          var note = document.createElement("small");
          note.className = "muted";
          note.textContent = " " + labels.already;
          last.appendChild(note);
        }
      }
      body.insertBefore(row, empty);
      after = Math.max(after, line.position);
    }
    function tick() {
      fetch(url + "?setelah=" + after, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (!data) return window.setTimeout(tick, 3000);
          ["done", "total", "issued", "already", "failed"].forEach(function (key) { setText(key, data[key]); });
          var bar = document.getElementById("run-progress");
          bar.value = data.percent;
          bar.textContent = data.percent + "%";
          (data.lines || []).forEach(addLine);
          if (data.lines && data.lines.length) empty.hidden = true;
          var error = panel.querySelector('[data-run="error"]');
          error.textContent = data.error || "";
          error.hidden = !data.error;
          var busy = data.status === "queued" || data.status === "running";
          if (data.status === "done") setText("state", labels.done);
          else if (data.status === "failed") setText("state", labels.failed);
          else if (data.stalled) setText("state", labels.stalled);
          else if (data.status === "running") setText("state", labels.running);
          panel.setAttribute("data-status", data.status);
          if (busy && !data.stalled) window.setTimeout(tick, 1000);
          else window.location.reload(); // the finished page: its buttons, no more polling
        })
        .catch(function () { window.setTimeout(tick, 3000); });
    }
    if (panel.getAttribute("data-busy") === "1") window.setTimeout(tick, 500);
  }

  document.addEventListener("DOMContentLoaded", issueRun);
})();
