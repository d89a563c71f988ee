// A dialogue room: a peer-to-peer WebRTC mesh (each participant connects to every other),
// signalling and the facilitator over one WebSocket (dialogues/room.py). The server owns the
// room's state; this page shows it, sends what the participant does, and measures their own
// talk time from the microphone. Reconnects after a network drop and rebuilds the calls.
// With the LiveKit provider (dialogues/media.py) the video goes through room-livekit.js
// instead of the mesh; everything else stays the same.
(function () {
  "use strict";
  var root = document.getElementById("room");
  if (!root) return;
  var me = Number(root.dataset.me);
  var texts = document.getElementById("texts").dataset;
  var media = JSON.parse(document.getElementById("room-media").textContent);
  var pageAgenda = JSON.parse(document.getElementById("room-agenda").textContent);
  var here = new Set();  // members with the room open now
  var iceServers = media.iceServers || [];
  var sfu = null;  // the LiveKit connection, when the provider is LiveKit
  var socket = null, state = null, localStream = null, delay = 1000;
  var peers = new Map(); // member id -> {pc, tile}
  var raised = false, talked = 0, tickSent = null;

  function $(id) { return document.getElementById(id); }

  function send(message) {
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
  }

  // --- media ------------------------------------------------------------------------------
  function startMedia() {
    var wanted = { audio: true, video: { width: 320, height: 240, frameRate: 15 } };
    if (!navigator.mediaDevices) return Promise.resolve(null);
    return navigator.mediaDevices.getUserMedia(wanted).then(function (stream) {
      localStream = stream;
      $("local-video").srcObject = stream;
      measureTalk(stream);
      return stream;
    }).catch(function () {
      $("media-note").textContent = texts.noMedia;
      return null;
    });
  }

  function toggle(kind, button, on, off) {
    if (!localStream) return;
    var tracks = kind === "video" ? localStream.getVideoTracks() : localStream.getAudioTracks();
    var enabled = !(tracks[0] && tracks[0].enabled);
    tracks.forEach(function (track) { track.enabled = enabled; });
    button.setAttribute("aria-pressed", String(enabled));
    button.textContent = enabled ? on : off;
  }

  function measureTalk(stream) {
    var Context = window.AudioContext || window.webkitAudioContext;
    if (!Context || !stream.getAudioTracks().length) return;
    var context = new Context();
    var analyser = context.createAnalyser();
    analyser.fftSize = 512;
    context.createMediaStreamSource(stream).connect(analyser);
    var samples = new Uint8Array(analyser.fftSize);
    setInterval(function () {
      var track = stream.getAudioTracks()[0];
      if (!track || !track.enabled) return;
      analyser.getByteTimeDomainData(samples);
      var sum = 0;
      for (var i = 0; i < samples.length; i++) sum += Math.pow((samples[i] - 128) / 128, 2);
      if (Math.sqrt(sum / samples.length) > 0.04) talked += 0.2; // speaking in this 200 ms
    }, 200);
    setInterval(function () {
      if (talked > 0) send({ type: "talk", seconds: Math.min(10, Math.round(talked * 10) / 10) });
      talked = 0;
    }, 3000);
  }

  // --- calls ------------------------------------------------------------------------------
  function tileFor(id) {
    var tile = document.createElement("div");
    tile.className = "tile";
    var video = document.createElement("video");
    video.className = "remote";
    video.autoplay = true;
    video.playsInline = true;
    video.dataset.member = String(id);
    var name = document.createElement("span");
    name.className = "name";
    name.textContent = memberName(id);
    tile.appendChild(video);
    tile.appendChild(name);
    $("tiles").appendChild(tile);
    return tile;
  }

  function connection(id) {
    var existing = peers.get(id);
    if (existing) existing.pc.close(), existing.tile.remove();
    var pc = new RTCPeerConnection({ iceServers: iceServers });
    var peer = { pc: pc, tile: tileFor(id) };
    peers.set(id, peer);
    if (localStream) localStream.getTracks().forEach(function (t) { pc.addTrack(t, localStream); });
    pc.onicecandidate = function (event) {
      if (event.candidate) send({ type: "signal", to: id, data: { candidate: event.candidate.toJSON() } });
    };
    pc.ontrack = function (event) { peer.tile.querySelector("video").srcObject = event.streams[0]; };
    return peer;
  }

  function call(id) {
    var pc = connection(id).pc;
    if (!localStream) {  // still receive the others' audio and video
      pc.addTransceiver("audio", { direction: "recvonly" });
      pc.addTransceiver("video", { direction: "recvonly" });
    }
    pc.createOffer().then(function (offer) { return pc.setLocalDescription(offer); })
      .then(function () { send({ type: "signal", to: id, data: { sdp: pc.localDescription.toJSON() } }); });
  }

  function signal(from, data) {
    if (data.sdp && data.sdp.type === "offer") {
      var pc = connection(from).pc;
      pc.setRemoteDescription(data.sdp)
        .then(function () { return pc.createAnswer(); })
        .then(function (answer) { return pc.setLocalDescription(answer); })
        .then(function () { send({ type: "signal", to: from, data: { sdp: pc.localDescription.toJSON() } }); });
    } else if (data.sdp && peers.has(from)) {
      peers.get(from).pc.setRemoteDescription(data.sdp);
    } else if (data.candidate && peers.has(from)) {
      peers.get(from).pc.addIceCandidate(data.candidate).catch(function () {});
    }
  }

  function hangUp(id) {
    var peer = peers.get(id);
    if (!peer) return;
    peer.pc.close();
    peer.tile.remove();
    peers.delete(id);
  }

  // --- the room's state -------------------------------------------------------------------
  function memberName(id) {
    return state && state.members[String(id)] ? state.members[String(id)] : "…";
  }

  function secondsLeft(since, total) {
    if (!since) return total;
    var skew = state.serverOffset || 0;
    return Math.max(0, Math.round(total - (Date.now() + skew - Date.parse(since)) / 1000));
  }

  function clock(seconds) {
    var m = Math.floor(seconds / 60), s = seconds % 60;
    return m + ":" + (s < 10 ? "0" : "") + s;
  }

  function render() {
    if (!state) return;
    // The page's agenda is in this reader's language; the state's, in the group's.
    var item = pageAgenda[state.position - 1] || state.agenda[state.position - 1] ||
      { title: "", prompt: "", minutes: 0 };
    $("item-name").textContent = state.position + ". " + item.title;
    $("item-prompt").textContent = item.prompt;
    $("item-clock").textContent = clock(secondsLeft(state.item_started_at, item.minutes * 60));
    $("advance-count").textContent = String(state.advance_votes);
    var speaker = state.queue.length ? state.queue[0] : null;
    $("speaker").textContent = speaker === null ? texts.nobody : memberName(speaker);
    var turnLeft = speaker === null ? 0 : secondsLeft(state.turn_started_at, state.turn_seconds);
    $("turn-clock").textContent = speaker === null ? "" : clock(turnLeft);
    if (speaker !== null && turnLeft === 0 && tickSent !== state.version) {
      tickSent = state.version;  // my countdown ran out: the server ends the turn
      send({ type: "tick" });
    }
    var queue = $("queue");
    queue.textContent = "";
    state.queue.slice(1).forEach(function (id) {
      var li = document.createElement("li");
      li.textContent = memberName(id);
      queue.appendChild(li);
    });
    raised = state.queue.indexOf(me) !== -1;
    $("hand").textContent = raised ? texts.lower : texts.raise;
    $("hand").setAttribute("aria-pressed", String(raised));
    renderBalance(item);
    peers.forEach(function (peer, id) { peer.tile.querySelector(".name").textContent = memberName(id); });
    if (sfu) sfu.rename();
  }

  function renderBalance(item) {
    var box = $("balance");
    box.textContent = "";
    var total = 0;
    // Those who have the room open (and me): someone away is neither timed nor muted.
    var listed = Object.keys(state.members).filter(function (id) {
      return Number(id) === me || here.has(Number(id));
    });
    listed.forEach(function (id) { total += state.talk[id] || 0; });
    listed.forEach(function (id) {
      var row = document.createElement("div");
      row.className = "balance";
      var bar = document.createElement("div");
      bar.className = "bar";
      var share = total ? (state.talk[id] || 0) / total : 0;
      bar.style.width = Math.max(2, Math.round(share * 160)) + "px";
      var label = document.createElement("span");
      label.textContent = state.members[id] + " · " + Math.round(state.talk[id] || 0) + " s";
      row.appendChild(bar);
      row.appendChild(label);
      if (root.dataset.host === "1" && Number(id) !== me) hostButtons(row, Number(id));
      box.appendChild(row);
    });
    // A gentle nudge, a third of the way into an item, to someone not heard yet.
    var elapsed = item.minutes * 60 - secondsLeft(state.item_started_at, item.minutes * 60);
    $("nudge").hidden = !((state.talk[String(me)] || 0) === 0 && elapsed > item.minutes * 20);
    $("nudge").textContent = texts.nudge;
  }

  function hostButtons(row, id) {
    [["mute", texts.askMute], ["remove", texts.remove]].forEach(function (pair) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "secondary host-" + pair[0];
      button.textContent = pair[1];
      button.setAttribute("aria-label", pair[1] + ": " + memberName(id));
      button.addEventListener("click", function () { send({ type: pair[0], who: id }); });
      row.appendChild(button);
    });
  }

  function chat(message) {
    var li = document.createElement("li");
    var name = document.createElement("strong");
    name.textContent = message.name + ": ";
    li.appendChild(name);
    li.appendChild(document.createTextNode(message.text));  // text, never HTML
    $("chat-log").appendChild(li);
    $("chat-log").scrollTop = $("chat-log").scrollHeight;
  }

  // Another member sent the group's report: fill in what this reader has not changed
  // (a field still as last sent), so one draft is shared and no one's typing is lost.
  function shareReport(report) {
    var form = $("report-form");
    function put(field, value) {
      if (!field || value === undefined) return;
      if (field.dataset.sent === undefined) field.dataset.sent = field.defaultValue;
      if (field.value === field.dataset.sent) field.value = value;
      field.dataset.sent = value;
    }
    Object.keys(report.summaries).forEach(function (position) {
      put($("summary-" + position), report.summaries[position]);
    });
    var ideas = form.querySelectorAll("input[name=idea]");
    report.ideas.forEach(function (idea, n) {
      put(ideas[n], idea.text);
      put($("agreement-" + n), idea.agreement);
    });
    put($("message"), report.message);
    var sent = $("report-sent");
    if (sent) { sent.textContent = texts.sentBy + " " + report.by + "."; sent.hidden = false; }
  }

  function handle(message) {
    if (message.type === "welcome") {
      if (!sfu) message.peers.forEach(call);
    } else if (message.type === "state") {
      state = message;
      here = new Set(state.here);
      state.serverOffset = Date.parse(message.server_time) - Date.now();
      render();
    } else if (message.type === "signal") {
      signal(message.from, message.data);
    } else if (message.type === "joined" || message.type === "left") {
      if (message.type === "left") { here.delete(message.member); hangUp(message.member); }
      else here.add(message.member);
      if (state) render();
    } else if (message.type === "chat") {
      chat(message);
    } else if (message.type === "report") {
      shareReport(message);
    } else if (message.type === "mute-request") {
      $("media-note").textContent = texts.mute;
      if (localStream && localStream.getAudioTracks()[0].enabled) $("microphone").click();
    } else if (message.type === "removed") {
      $("media-note").textContent = texts.removed;
      delay = -1;
      if (sfu) sfu.leave();
    }
  }

  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + location.host + "/ws/room/?token=" + encodeURIComponent(root.dataset.token));
    socket.onopen = function () { delay = 1000; $("connection").textContent = texts.connected; };
    socket.onmessage = function (event) { handle(JSON.parse(event.data)); };
    socket.onclose = function () {
      peers.forEach(function (_peer, id) { hangUp(id); });
      if (delay < 0) return;  // removed: do not come back
      $("connection").textContent = texts.reconnecting;
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 15000);
    };
  }

  $("hand").addEventListener("click", function () { send({ type: "hand", raised: !raised }); });
  // The vote names the item it was made on: one made as the group moved on is not counted.
  $("advance").addEventListener("click", function () {
    if (state) send({ type: "advance", item: state.position });
  });
  if ($("skip")) $("skip").addEventListener("click", function () { send({ type: "skip" }); });
  if ($("next")) $("next").addEventListener("click", function () { send({ type: "next" }); });
  $("camera").addEventListener("click", function (e) { toggle("video", e.target, texts.cameraOn, texts.cameraOff); });
  $("microphone").addEventListener("click", function (e) { toggle("audio", e.target, texts.micOn, texts.micOff); });
  $("chat-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var text = $("chat-text").value.trim();
    if (text) send({ type: "chat", text: text });
    $("chat-text").value = "";
  });
  $("report-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var form = event.target;
    fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin" })
      .then(function (response) {
        if (response.ok) {
          $("report-error").hidden = false;
          $("report-error").className = "ok";
          $("report-error").textContent = texts.sent;
          return;
        }
        return response.text().then(function (text) {
          $("report-error").hidden = false;
          $("report-error").className = "err";
          $("report-error").textContent = text;
        });
      });
  });
  setInterval(render, 1000);  // the clocks
  setInterval(function () { send({ type: "tick" }); }, 10000);  // "still here"

  // Debugging and tests: what each call receives.
  window.globalDialogueRoom = {
    stats: function () {
      if (sfu) return sfu.stats();
      return Promise.all(Array.from(peers.values()).map(function (peer) {
        return peer.pc.getStats().then(function (report) {
          var frames = 0;
          report.forEach(function (s) { if (s.type === "inbound-rtp" && s.kind === "video") frames += s.framesDecoded || 0; });
          return frames;
        });
      }));
    },
  };

  startMedia().then(function (stream) {
    if (media.provider === "livekit") {
      sfu = window.globalDialogueLiveKit(media, {
        stream: stream, tileFor: tileFor, name: memberName,
        failed: function () { $("media-note").textContent = texts.videoFailed; },
      });
    }
    connect();
  });
})();
