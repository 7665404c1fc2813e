// Times on the teaching pages are written in UTC; add the viewer's own local time beside
// each one. Without JavaScript the UTC time stays, and says it is UTC.
(function () {
  "use strict";
  var format = new Intl.DateTimeFormat(undefined, {
    year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit",
    timeZoneName: "short",
  });
  function localise(root) {
    root.querySelectorAll("time[data-local]:not([data-localised])").forEach(function (el) {
      var when = new Date(el.getAttribute("datetime"));
      if (isNaN(when)) return;
      el.dataset.localised = "";
      var local = document.createElement("span");
      local.className = "local-time";
      local.textContent = " (" + format.format(when) + " your time)";
      el.after(local);
    });
  }
  document.addEventListener("DOMContentLoaded", function () { localise(document); });
  // The results table is swapped in by htmx every few seconds.
  document.addEventListener("htmx:afterSwap", function (event) { localise(event.detail.target); });
})();
