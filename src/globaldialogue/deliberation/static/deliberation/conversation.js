// The conversation page, enhanced: votes are sent without a page load, single keys vote while
// the statement has focus, and the map refreshes when the server says a new one is ready.
// Without this script every form still works (the server redirects back after each POST).
(function () {
  "use strict";
  var card = document.getElementById("card");
  var where = document.getElementById("where");
  if (!card || !window.fetch || !window.FormData) return;
  var KEYS = { KeyA: "1", KeyD: "-1", KeyP: "0" };

  function pageQuery(part) {
    var here = new URLSearchParams(location.search);
    var query = new URLSearchParams({ part: part, lang: document.documentElement.lang });
    if (here.get("xid")) {
      query.set("xid", here.get("xid"));
      query.set("xid_sig", here.get("xid_sig") || "");
    }
    return "?" + query.toString();
  }

  function showKeys() {
    // Told only where a mouse or trackpad suggests a keyboard: not on phones and tablets.
    var hint = card.querySelector(".keys");
    if (hint) hint.hidden = !window.matchMedia("(pointer: fine)").matches;
  }

  function swapCard(html) {
    card.innerHTML = html;
    showKeys();
    card.focus();
  }

  function fallback(form, value) {
    // The network failed: send the form the plain way, so the vote is not lost silently.
    var input = document.createElement("input");
    input.type = "hidden";
    input.name = "vote";
    input.value = value;
    form.appendChild(input);
    form.submit();
  }

  function sendVote(form, value) {
    var data = new FormData(form);
    data.set("vote", value);
    data.set("part", "card");
    card.setAttribute("aria-busy", "true");
    fetch(form.action, { method: "POST", body: data, credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(swapCard)
      .catch(function () { fallback(form, value); })
      .then(function () { card.removeAttribute("aria-busy"); });
  }

  card.addEventListener("submit", function (event) {
    var form = event.target;
    var button = event.submitter;
    if (!form.classList.contains("card") || !button) return;
    event.preventDefault();
    sendVote(form, button.value);
  });

  // Single-key shortcuts act only while focus is inside the statement (WCAG 2.1.4).
  card.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.altKey || event.metaKey || !(event.code in KEYS)) return;
    var form = card.querySelector("form.card");
    if (!form || card.getAttribute("aria-busy")) return;
    event.preventDefault();
    sendVote(form, KEYS[event.code]);
  });
  showKeys();

  // Live: the server sends {"type": "map", "id": ...} on connect and whenever a new map is
  // stored; a map we do not show yet is fetched. Reconnects back off up to 30 s.
  if (!where || !window.WebSocket) return;
  var delay = 1000;

  function shownMap() {
    var map = document.getElementById("map");
    return map ? map.getAttribute("data-map") : "";
  }

  function refresh() {
    var url = where.getAttribute("data-live");
    fetch(url + pageQuery("map"), { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) { if (html) where.innerHTML = html; });
    if (document.getElementById("all-voted")) {
      fetch(url + pageQuery("card"), { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) { if (html) { card.innerHTML = html; showKeys(); } });
    }
  }

  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + location.host + "/ws" + where.getAttribute("data-live"));
    socket.onopen = function () { delay = 1000; };
    socket.onmessage = function (event) {
      var message = JSON.parse(event.data);
      if (message.type === "map" && String(message.id) !== shownMap()) refresh();
    };
    socket.onclose = function () {
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 30000);
    };
  }
  connect();
})();
