// Saves each answer of the evaluation as it is chosen; the form still works without it.
(function () {
  var form = document.getElementById("eval-form");
  if (!form) return;
  document.documentElement.classList.add("js");
  var url = form.dataset.saveUrl;
  var token = form.querySelector("input[name=csrf_token]");

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
  });
})();
