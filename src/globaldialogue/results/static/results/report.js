// While a report is being made: asks every few seconds whether it is ready and, when it is,
// says so in the heading, the title and the status line with the download link (no reload:
// readers keep their place).
(function () {
  "use strict";
  var status = document.getElementById("report-status");
  if (!status || !window.fetch) return;
  var check = status.getAttribute("data-check");
  var every = (parseInt(status.getAttribute("data-retry-seconds"), 10) || 5) * 1000;

  function ready() {
    var heading = document.getElementById("report-heading");
    var done = heading.getAttribute("data-ready");
    document.title = document.title.replace(heading.textContent, done);
    heading.textContent = done;
    var template = document.getElementById("report-ready");
    status.textContent = "";
    status.appendChild(template.content.cloneNode(true));
    var again = document.getElementById("check-again");
    if (again) again.hidden = true;
  }

  function ask() {
    fetch(check, { credentials: "same-origin" }).then(function (response) {
      if (response.status === 200) ready(); else window.setTimeout(ask, every);
    }, function () { window.setTimeout(ask, every * 2); });
  }

  window.setTimeout(ask, every);
})();
