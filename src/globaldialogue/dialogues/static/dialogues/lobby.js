// The lobby (dialogues/views.lobby_page): every 10 s, ask whether the groups are settled;
// when they are, go to the group's room. Without JS the page's "check again" link does it.
(function () {
  "use strict";
  var lobby = document.getElementById("lobby");
  if (!lobby) return;
  function check() {
    fetch(lobby.dataset.status, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (status) {
        if (!status) return;
        if (status.ready) { window.location.assign(status.room); return; }
        document.getElementById("here").textContent = String(status.here);
      })
      .catch(function () {});  // offline for a moment: the next check will do
  }
  setInterval(check, 10000);
})();
