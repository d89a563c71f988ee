// Refreshes the counts on a results page while it is open, without reloading it.
(function () {
  "use strict";
  var root = document.getElementById("results");
  if (!root || !window.fetch) return;
  var src = root.getAttribute("data-src");
  var every = parseInt(root.getAttribute("data-refresh-ms"), 10) || 10000;

  function fmt(n) { return n === null || n === undefined ? "\u2013" : String(n); }

  function applyQuestions(prefix, questions) {
    (questions || []).forEach(function (q) {
      q.options.forEach(function (o) {
        var row = root.querySelector('[data-cell="' + prefix + ":" + q.key + ":" + o.key + '"]');
        if (!row) return;
        row.querySelector("[data-count]").textContent = fmt(o.count);
        var pct = o.share === null ? null : Math.round(o.share * 100);
        row.querySelector("[data-share]").textContent = fmt(pct);
        row.querySelector("[data-bar]").style.width = (pct || 0) + "%";
        var weighted = row.querySelector("[data-weighted]");
        if (weighted) {
          weighted.textContent = fmt(o.weighted_share === null ? null : Math.round(o.weighted_share * 100));
          row.querySelector("[data-range]").textContent = o.low === null ? "\u2013"
            : Math.round(o.low * 100) + "\u2013" + Math.round(o.high * 100);
        }
      });
    });
  }

  function applyCrossTables(breakdown) {
    breakdown.questions.forEach(function (t) {
      breakdown.groups.forEach(function (g, i) {
        var counts = t.counts[i];
        t.options.forEach(function (o, j) {
          var cell = root.querySelector('[data-cell="' + t.key + ":" + (g.key || "") + ":" + o.key + '"]');
          if (!cell) return;
          var n = counts ? counts[j] : null;
          var answered = t.answered[i];
          if (n === null || n === undefined) { cell.textContent = "\u2013"; return; }
          var pct = answered ? Math.round(100 * n / answered) : 0;
          cell.innerHTML = pct + '%<br><span class="note">' + n + "</span>";
        });
      });
    });
  }

  function apply(data) {
    root.querySelector("[data-total]").textContent = String(data.total);
    if (data.breakdown) applyCrossTables(data.breakdown);
    else applyQuestions("all", data.questions);
  }

  function tick() {
    if (document.hidden) return;
    fetch(src, { headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data) apply(data); })
      .catch(function () { /* offline for a moment: try again next tick */ });
  }

  setInterval(tick, every);
  document.addEventListener("visibilitychange", tick);
})();
