/* A rejected form: bring its list of what to fix into view and focus it, so a phone user
   is not left at the top of a long page; following a line of the list focuses that field. */
(function () {
  "use strict";
  function ready() {
    var summary = document.querySelector("[data-error-summary]");
    if (!summary) return;
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      if (!link) return;
      var field = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
      if (!field) return;
      event.preventDefault();
      var label = document.querySelector("label[for='" + field.id + "']");
      (label || field).scrollIntoView({ block: "center" });
      field.focus({ preventScroll: true });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();

// the event's tab bar scrolls sideways on a phone: bring the open page's tab into view
(function () {
  var active = document.querySelector(".tabs a.active");
  if (active && active.parentNode.scrollWidth > active.parentNode.clientWidth) {
    active.parentNode.scrollLeft = active.offsetLeft - active.parentNode.offsetLeft - 16;
  }
})();
// "Lainnya" closes with Escape (back to its summary) and when a click lands elsewhere
(function () {
  var more = document.querySelector(".tabs-more");
  if (!more) return;
  more.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && more.open) {
      more.open = false;
      more.querySelector("summary").focus();
    }
  });
  document.addEventListener("click", function (event) {
    if (more.open && !more.contains(event.target)) more.open = false;
  });
})();
