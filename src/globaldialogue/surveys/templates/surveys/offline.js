// Offline: the service worker (sw.js) keeps this page and its "saved" page, and sends
// answers left waiting on this phone now, and whenever the connection comes back. A
// required question left empty, or an answer breaking its constraint (ask.js says which),
// stops the sending here, as the server would: answers kept on the phone must be ones the
// server will take.
(function (form) {
  if (!form) return;
  function answered(block) {
    var key = block.getAttribute("data-key");
    if (block.querySelector('input[name="' + key + '"]:checked')) return true;
    var field = block.querySelector('select[name="' + key + '"], textarea[name="' + key + '"], input[type=text][name="' + key + '"]');
    return !!field && field.value.trim() !== "";
  }
  function required(block) {
    var mark = block.querySelector(".req");
    return !block.hidden && !!mark && !mark.hidden;
  }
  function broken(block) {  // a constraint ask.js found broken, its message shown
    var note = block.querySelector(".err-live");
    return !block.hidden && !!note && note.textContent !== "";
  }
  form.addEventListener("submit", function (event) {
    var blocks = Array.prototype.slice.call(form.querySelectorAll("[data-key]"));
    var missing = blocks.filter(function (block) { return required(block) && !answered(block); });
    var wrong = blocks.filter(broken);
    if (!missing.length && !wrong.length) return;
    event.preventDefault();
    missing.forEach(function (block) {
      var note = block.querySelector(".err-required");
      if (!note) {
        note = document.createElement("p");
        note.className = "err err-required";
        note.setAttribute("role", "alert");
        block.insertBefore(note, block.querySelector("legend, label.ql").nextSibling);
      }
      note.textContent = form.getAttribute("data-required-text");
    });
    var first = missing.concat(wrong)[0].querySelector("input, select, textarea");
    if (first) first.focus();
  });
  // Cleared as one answers (not on leaving the field: the page would move under the click).
  form.addEventListener("input", function (event) {
    var block = event.target.closest("[data-key]"), note = block && block.querySelector(".err-required");
    if (note && answered(block)) note.remove();
  });
  if (!("serviceWorker" in navigator)) return;
  var script = form.getAttribute("data-offline-worker"), saved = form.getAttribute("data-offline-saved");
  navigator.serviceWorker.register(script).then(function () { return navigator.serviceWorker.ready; }).then(function (registration) {
    var worker = registration.active;
    worker.postMessage({ keep: [location.href, saved] });
    flush(worker);
    window.addEventListener("online", function () { flush(worker); });
  }).catch(function () {});
  // After sending what waited: answers the server refused are offered again, the first one
  // first (the server's page with the answers and why they were refused).
  function flush(worker) {
    var channel = new MessageChannel();
    channel.port1.onmessage = function (event) {
      var shown = new URLSearchParams(location.search).get("refused");  // this page is one
      var keys = (event.data.refused || []).filter(function (key) { return String(key) !== shown; });
      var notice = document.getElementById("refused");
      if (!notice || !keys.length) return;
      notice.querySelector("a").href = form.getAttribute("action") + "?refused=" + keys[0];
      notice.hidden = false;
    };
    worker.postMessage("flush", [channel.port2]);
  }
})(document.querySelector("form[data-offline-worker]"));
