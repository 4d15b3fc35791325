// Saves each answer of the evaluation as it is tapped, and keeps the count ("8 dari 20
// terjawab") and the send button up to date; the form still works without it.
(function () {
  var form = document.getElementById("eval-form");
  if (!form) return;
  document.documentElement.classList.add("js");
  var url = form.dataset.saveUrl;
  var token = form.querySelector("input[name=csrf_token]");
  var count = document.querySelector(".eval-count");
  var bar = document.querySelector("#eval-progress progress");
  var submit = document.getElementById("eval-submit");
  var hint = document.getElementById("eval-submit-hint");

  function refresh() {
    if (!count) return;
    var asked = parseInt(count.dataset.asked, 10);
    var open = form.querySelectorAll("fieldset.likert");
    var done = 0;
    open.forEach(function (fieldset) { if (fieldset.querySelector("input:checked")) done += 1; });
    var answered = asked - open.length + done;  // submitted parts count as answered
    count.textContent = count.dataset.template.replace("{a}", answered).replace("{n}", asked);
    if (bar) bar.value = answered;
    if (submit) {
      var ready = done === open.length;
      submit.disabled = !ready;
      if (hint) hint.hidden = ready;
    }
  }

  function save(fieldset, body, attempt) {
    var state = fieldset && fieldset.querySelector(".save-state");
    fetch(url, {
      method: "POST",
      headers: { "Accept": "application/json", "X-CSRFToken": token ? token.value : "" },
      body: body,
      credentials: "same-origin",
    }).then(function (response) {
      if (!response.ok) throw new Error(String(response.status));
      if (state) { state.textContent = form.dataset.msgSaved; state.className = "save-state small saved"; }
    }).catch(function () {
      if (state) { state.textContent = form.dataset.msgRetry; state.className = "save-state small retry"; }
      if (attempt < 5) setTimeout(function () { save(fieldset, body, attempt + 1); }, 1500 * (attempt + 1));
    });
  }

  form.addEventListener("change", function (event) {
    var input = event.target;
    var body = new FormData();
    if (token) body.append("csrf_token", token.value);
    body.append(input.name, input.value);
    save(input.closest("fieldset"), body, 0);
    refresh();
  });
  refresh();
})();
