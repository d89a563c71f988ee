// Offline: the service worker (sw.js) keeps this page and its "saved" page, and sends
// answers left waiting on this phone now, and whenever the connection comes back.
if ("serviceWorker" in navigator) {
  (function (form) {
    var script = form.getAttribute("data-offline-worker"), saved = form.getAttribute("data-offline-saved");
    navigator.serviceWorker.register(script).then(function () { return navigator.serviceWorker.ready; }).then(function (registration) {
      var worker = registration.active;
      worker.postMessage({ keep: [location.href, saved] });
      worker.postMessage("flush");
      window.addEventListener("online", function () { worker.postMessage("flush"); });
    }).catch(function () {});
  })(document.querySelector("form[data-offline-worker]"));
}
