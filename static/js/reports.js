/* Reports pages: the dashboard's live counts (every 10 s) and the import form's size check. */
(function () {
  "use strict";

  function liveCounts() {
    var panel = document.getElementById("today");
    if (!panel || !window.fetch) return;
    var url = panel.getAttribute("data-live-url");
    function setText(name, value) {
      document.querySelectorAll('[data-live="' + name + '"]').forEach(function (node) {
        node.textContent = value;
      });
    }
    function refresh() {
      if (document.hidden) return;
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (!data) return;
          Object.keys(data.counts || {}).forEach(function (key) { setText(key, data.counts[key]); });
          if (data.seats_left !== undefined) setText("seats_left", data.seats_left);
          setText("generated_at", data.generated_at ? "diperbarui " + data.generated_at : "");
          (data.sessions || []).forEach(function (session) {
            var row = panel.querySelector('[data-session="' + session.id + '"]');
            if (!row || !session.counts) return;
            Object.keys(session.counts).forEach(function (key) {
              var cell = row.querySelector('[data-count="' + key + '"]');
              if (cell) cell.textContent = session.counts[key];
            });
            var bar = row.querySelector("[data-bar]");
            if (bar && session.counts.expected) {
              var done = session.counts.checked_in || 0;
              bar.setAttribute("width", Math.min(100, (100 * done) / session.counts.expected).toFixed(2) + "%");
            }
          });
        })
        .catch(function () { /* offline for a moment: try again at the next tick */ });
    }
    refresh();
    window.setInterval(refresh, 10000);
  }

  function uploadSizeCheck() {
    var input = document.getElementById("berkas");
    if (!input) return;
    var limit = parseInt(input.getAttribute("data-max-bytes"), 10);
    input.addEventListener("change", function () {
      var file = input.files && input.files[0];
      if (file && limit && file.size > limit) {
        input.setCustomValidity("Berkas terlalu besar (" + (file.size / 1048576).toFixed(1) +
          " MB). Batas " + Math.round(limit / 1048576) + " MB.");
      } else {
        input.setCustomValidity("");
      }
      input.reportValidity();
    });
  }

  function confirmOnce() {
    var form = document.getElementById("confirm-form");
    if (!form) return;
    form.addEventListener("submit", function () {
      var button = form.querySelector("button[type=submit]");
      // a second click would only be refused (NIK already registered): say what is happening
      window.setTimeout(function () {
        button.disabled = true;
        button.textContent = "Mengimpor…";
      }, 0);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    liveCounts();
    uploadSizeCheck();
    confirmOnce();
  });
})();
