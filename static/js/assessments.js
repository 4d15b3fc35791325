/* Assessments: save each answer as it is chosen, retry failed saves, show the time left.
 * The page works without this script (plain form posts); the server enforces the deadline. */
(function () {
  "use strict";

  document.documentElement.classList.add("js");

  // Confirmation on dangerous buttons (data-confirm), e.g. "Hapus soal".
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-confirm]");
    if (button && !window.confirm(button.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });

  var form = document.getElementById("test-form");
  if (!form) return;

  var data = form.dataset;
  var csrfMeta = document.querySelector('meta[name="csrf-token"]');
  var csrf = csrfMeta ? csrfMeta.getAttribute("content") : "";
  var total = parseInt(data.total, 10) || 0;
  var deadline = Date.parse(data.deadline);
  // Correct for a phone whose clock is off: trust the server's "now".
  var skew = Date.parse(data.now) - Date.now();
  var timer = document.getElementById("timer");
  var progress = document.getElementById("progress");
  var errorBox = document.getElementById("save-error");
  var pending = {}; // question id -> option id not yet confirmed by the server
  var inFlight = false;
  var retryDelay = 1000;
  var retryTimer = null;
  var finished = false;

  function stateOf(questionId) {
    var fieldset = form.querySelector('[data-question="' + questionId + '"]');
    return fieldset ? fieldset.querySelector(".save-state") : null;
  }

  function setState(questionId, text, cls) {
    var el = stateOf(questionId);
    if (!el) return;
    el.textContent = text;
    el.className = "save-state small" + (cls ? " " + cls : "");
  }

  function answeredCount() {
    var names = {};
    form.querySelectorAll('input[type="radio"]:checked').forEach(function (input) {
      names[input.name] = true;
    });
    return Object.keys(names).length;
  }

  function showProgress() {
    if (!progress) return;
    progress.textContent = progress.dataset.template
      .replace("%(a)s", answeredCount())
      .replace("%(t)s", total);
  }

  function showError(message) {
    if (!errorBox) return;
    errorBox.textContent = message || "";
    errorBox.classList.toggle("hidden", !message);
  }

  function goToResult() {
    finished = true;
    window.location.assign(data.doneUrl);
  }

  function flush() {
    if (inFlight || finished) return;
    var ids = Object.keys(pending);
    if (!ids.length) return;
    var batch = {};
    var body = new URLSearchParams();
    ids.forEach(function (id) {
      batch[id] = pending[id];
      body.append("q" + id, pending[id]);
      setState(id, data.msgSaving, "saving");
    });
    inFlight = true;
    fetch(data.saveUrl, {
      method: "POST",
      headers: {
        "X-CSRFToken": csrf,
        Accept: "application/json",
        "Content-Type": "application/x-www-form-urlencoded",
      },
      credentials: "same-origin",
      body: body,
    })
      .then(function (response) {
        return response
          .json()
          .catch(function () {
            return {};
          })
          .then(function (json) {
            return { status: response.status, json: json };
          });
      })
      .then(function (result) {
        inFlight = false;
        if (result.status === 200) {
          retryDelay = 1000;
          showError("");
          Object.keys(batch).forEach(function (id) {
            if (pending[id] === batch[id]) delete pending[id];
            if (!pending[id]) setState(id, data.msgSaved, "saved");
          });
          flush();
          return;
        }
        var error = (result.json && result.json.error) || {};
        if (result.status === 409 || result.status === 403) {
          // deadline passed or attempt already closed: the server has the final word
          showError(error.message || data.msgTimeup);
          window.setTimeout(goToResult, 2500);
          finished = true;
          return;
        }
        if (result.status === 422) {
          showError(error.message || "");
          Object.keys(batch).forEach(function (id) {
            delete pending[id];
            setState(id, "", "");
          });
          return;
        }
        throw new Error("HTTP " + result.status);
      })
      .catch(function () {
        inFlight = false;
        Object.keys(pending).forEach(function (id) {
          setState(id, data.msgRetry, "retry");
        });
        showError(data.msgOffline);
        window.clearTimeout(retryTimer);
        retryTimer = window.setTimeout(flush, retryDelay);
        retryDelay = Math.min(retryDelay * 2, 15000);
      });
  }

  form.addEventListener("change", function (event) {
    var input = event.target;
    if (input.type !== "radio" || finished) return;
    var fieldset = input.closest("[data-question]");
    if (!fieldset) return;
    pending[fieldset.dataset.question] = input.value;
    showProgress();
    flush();
  });

  window.addEventListener("online", flush);

  form.addEventListener("submit", function (event) {
    var submitter = event.submitter;
    if (!submitter || submitter.id !== "submit-test" || finished) return;
    var missing = total - answeredCount();
    var message =
      missing > 0 ? data.msgUnanswered.replace("%(n)s", missing) : data.msgConfirm;
    if (!window.confirm(message)) {
      event.preventDefault();
      return;
    }
    finished = true; // the form post carries every checked answer
  });

  function pad(n) {
    return (n < 10 ? "0" : "") + n;
  }

  function tick() {
    var left = Math.max(0, deadline - (Date.now() + skew));
    var seconds = Math.floor(left / 1000);
    var h = Math.floor(seconds / 3600);
    var m = Math.floor((seconds % 3600) / 60);
    var s = seconds % 60;
    timer.textContent = (h ? h + ":" + pad(m) : m) + ":" + pad(s);
    timer.classList.toggle("warning", seconds <= 300);
    timer.classList.toggle("danger", seconds <= 60);
    if (left <= 0) {
      if (!finished) {
        finished = true;
        form.querySelectorAll("input, button").forEach(function (el) {
          el.disabled = true;
        });
        showError(data.msgTimeup);
        // The server closes the attempt with what it has; show the result page.
        window.setTimeout(function () {
          window.location.assign(data.doneUrl);
        }, 1500);
      }
      return;
    }
    window.setTimeout(tick, 1000 - (Date.now() % 1000) + 5);
  }

  if (timer && !isNaN(deadline)) tick();
  showProgress();
})();
