// WhatsApp rounds: after a tap opens the chat (in a new tab), this tab moves on to the next
// person; the group message can be copied or shared. Without it, the forms still work.
(function () {
  document.documentElement.classList.add("js");
  document.querySelectorAll("form.wa-turn").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      var opening = !event.submitter || event.submitter.value === "opened";
      if (!opening || !form.dataset.chat) return;
      // WhatsApp opens at once (in the tap), the turn is recorded, then this tab shows who is next
      event.preventDefault();
      window.open(form.dataset.chat, "_blank", "noopener");
      var body = new FormData(form);
      body.append("state", "opened");
      fetch(form.action || window.location.href, {
        method: "POST", body: body, credentials: "same-origin",
        headers: { "Accept": "application/json" },
      }).then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        window.location.replace(form.dataset.next);
      }).catch(function () { form.submit(); });
    });
  });
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      var field = document.getElementById(button.dataset.copy);
      var done = function () { button.textContent = button.dataset.done; };
      if (navigator.clipboard) {
        navigator.clipboard.writeText(field.value).then(done, function () {
          field.select(); document.execCommand("copy"); done();
        });
      } else { field.select(); document.execCommand("copy"); done(); }
    });
  });
  document.querySelectorAll("[data-share]").forEach(function (button) {
    if (!navigator.share) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.share({ text: document.getElementById(button.dataset.share).value }).catch(function () {});
    });
  });
})();
