// A prepared file's page follows its job: the bar moves while it runs, and the page loads
// again once the file is ready or has failed (no meta refresh: it would reload under a
// reader's feet, and screen readers announce each reload).
(function () {
  var bar = document.querySelector("progress[data-follow]");
  if (!bar || !window.fetch) return;
  var url = bar.getAttribute("data-follow");
  function follow() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (state) {
        if (!state) return setTimeout(follow, 5000);
        if (state.status !== "queued" && state.status !== "running") {
          window.location.reload();
          return;
        }
        bar.value = state.percent;
        bar.textContent = state.percent + "%";
        setTimeout(follow, 2000);
      })
      .catch(function () { setTimeout(follow, 5000); });
  }
  setTimeout(follow, 2000);
})();
