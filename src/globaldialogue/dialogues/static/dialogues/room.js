// A dialogue room: the facilitator, chat and report over one WebSocket (dialogues/room.py),
// and the audio and video through one of three media modules, by the event's provider:
// room-mesh.js (peer to peer, signalling over the same WebSocket), room-janus.js (our Janus
// server) or room-livekit.js. The server owns the room's state; this page shows it, sends
// what the participant does and, on the mesh, measures their own talk time from the
// microphone (Janus measures it itself). It reconnects after a network drop, shows each
// person's connection on their tile, and falls back to audio only when the uplink is weak.
(function () {
  "use strict";
  var root = document.getElementById("room");
  if (!root) return;
  var me = Number(root.dataset.me);
  var texts = document.getElementById("texts").dataset;
  var media = JSON.parse(document.getElementById("room-media").textContent);
  var pageAgenda = JSON.parse(document.getElementById("room-agenda").textContent);
  var here = new Set();  // members with the room open now
  var others = {};  // member id -> {video, audio, audioOnly} as they last said
  var av = null;  // the media module
  var socket = null, state = null, localStream = null, delay = 1000;
  var raised = false, talked = 0, tickSent = null;
  var audioOnly = false, weak = 0, joinedAt = Date.now(), uplink = null;
  // The uplink is weak when it can carry less than WEAK_BITRATE, or loses more than WEAK_LOSS
  // of our packets, at WEAK_CHECKS checks in a row (5 s apart), after the first WARM_UP ms
  // (a new connection starts low and climbs).
  // WEAK_BITRATE comes from the server (0: never switch by itself).
  var WEAK_BITRATE = media.audioOnlyBelow || 0, WEAK_LOSS = 0.2, WEAK_CHECKS = 3, WARM_UP = 30000;

  function $(id) { return document.getElementById(id); }

  function send(message) {
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
  }

  // --- my camera and microphone ---------------------------------------------------------
  // The devices chosen on the check page (check.js), if any; the browser's own otherwise.
  function wanted() {
    var camera = localStorage.getItem("gd-camera"), microphone = localStorage.getItem("gd-microphone");
    var video = { width: 320, height: 240, frameRate: 15 };
    if (camera) video.deviceId = { ideal: camera };
    return { audio: microphone ? { deviceId: { ideal: microphone } } : true, video: video };
  }

  function startMedia() {
    audioOnly = localStorage.getItem("gd-audio-only") === "1";
    if (!navigator.mediaDevices) return Promise.resolve(null);
    return navigator.mediaDevices.getUserMedia(wanted()).catch(function () {
      return navigator.mediaDevices.getUserMedia({ audio: true });  // no camera: audio only
    }).then(function (stream) {
      localStream = stream;
      $("local-video").srcObject = stream;
      if (!stream.getVideoTracks().length) $("camera").disabled = true;
      measureTalk(stream);
      showAudioOnly();
      return stream;
    }).catch(function () {
      $("media-note").textContent = texts.noMedia;
      return null;
    });
  }

  function track(kind) {
    if (!localStream) return null;
    return (kind === "video" ? localStream.getVideoTracks() : localStream.getAudioTracks())[0] || null;
  }

  // What goes out as my video: the camera, unless it is off or I chose audio only.
  function outgoingVideo() {
    var camera = track("video");
    return camera && camera.enabled && !audioOnly ? camera : null;
  }

  function toggle(kind, button, on, off) {
    var found = track(kind);
    if (!found) return;
    found.enabled = !found.enabled;
    button.setAttribute("aria-pressed", String(found.enabled));
    button.textContent = found.enabled ? on : off;
    if (kind === "video" && av) av.sendVideo();
    tellOthers();
  }

  // `why`: the page's own reason (a weak uplink), not kept for next time as a choice is.
  function setAudioOnly(on, why) {
    audioOnly = on;
    weak = 0;
    joinedAt = Date.now();  // video again: a new warm-up before judging the uplink
    if (!why) localStorage.setItem("gd-audio-only", on ? "1" : "0");
    showAudioOnly();
    $("media-note").textContent = why || "";
    if (av) { av.sendVideo(); av.receiveVideo(!on); }
    tellOthers();
  }

  function showAudioOnly() {
    $("audio-only").setAttribute("aria-pressed", String(audioOnly));
    $("tiles").classList.toggle("audio-only", audioOnly);
  }

  function tellOthers() {
    var camera = track("video"), microphone = track("audio");
    send({ type: "media", video: !!(camera && camera.enabled), audio: !!(microphone && microphone.enabled), audioOnly: audioOnly });
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
      var microphone = stream.getAudioTracks()[0];
      if (!microphone || !microphone.enabled) return;
      analyser.getByteTimeDomainData(samples);
      var sum = 0;
      for (var i = 0; i < samples.length; i++) sum += Math.pow((samples[i] - 128) / 128, 2);
      if (Math.sqrt(sum / samples.length) > 0.04) talked += 0.2; // speaking in this 200 ms
    }, 200);
    setInterval(function () {
      var measured = state && state.talk_measured;  // the media server counts it instead
      if (talked > 0 && !measured) send({ type: "talk", seconds: Math.min(10, Math.round(talked * 10) / 10) });
      talked = 0;
    }, 3000);
  }

  // Every 5 s: is my uplink too weak or lossy for video? If it stays so: audio only.
  function watchUplink() {
    if (!av || !WEAK_BITRATE || audioOnly || !outgoingVideo() || Date.now() - joinedAt < WARM_UP) return;
    Promise.all(av.outgoing().map(function (pc) { return pc.getStats(); })).then(function (reports) {
      var bitrate = Infinity, loss = 0;
      reports.forEach(function (report) {
        report.forEach(function (s) {
          if (s.type === "candidate-pair" && s.nominated && s.availableOutgoingBitrate) bitrate = Math.min(bitrate, s.availableOutgoingBitrate);
          if (s.type === "remote-inbound-rtp" && s.kind === "video") loss = Math.max(loss, s.fractionLost || 0);
        });
      });
      uplink = { bitrate: bitrate, loss: loss };
      weak = bitrate < WEAK_BITRATE || loss > WEAK_LOSS ? weak + 1 : 0;
      if (weak >= WEAK_CHECKS) setAudioOnly(true, texts.weak);
    });
  }

  // --- tiles ------------------------------------------------------------------------------
  function tileFor(id) {
    var tile = document.createElement("div");
    tile.className = "tile";
    tile.dataset.member = String(id);
    var video = document.createElement("video");
    video.className = "remote";
    video.autoplay = true;
    video.playsInline = true;
    video.dataset.member = String(id);
    var name = document.createElement("span");
    name.className = "name";
    name.textContent = memberName(id);
    var status = document.createElement("span");
    status.className = "status";
    status.setAttribute("role", "status");
    tile.appendChild(video);
    tile.appendChild(name);
    tile.appendChild(status);
    $("tiles").appendChild(tile);
    showTile(id, tile);
    return tile;
  }

  var TILE_TEXTS = {
    connecting: "connecting", reconnecting: "reconnectingPeer", unreachable: "unreachable",
    audioOnly: "audioOnly", cameraOff: "cameraOffThem", youAudioOnly: "youAudioOnly",
  };
  var connectionStates = {};  // member id -> "", "connecting", "reconnecting", "unreachable"

  function connectionStatus(id, key) {
    connectionStates[id] = key;
    var tile = document.querySelector('.tile[data-member="' + id + '"]');
    if (tile) showTile(id, tile);
  }

  // One line on each tile: how the connection is, else what the person chose to send.
  function showTile(id, tile) {
    var key = connectionStates[id] || "", said = others[id] || {};
    if (!key && said.audioOnly) key = "audioOnly";
    else if (!key && said.video === false) key = "cameraOff";
    else if (!key && audioOnly) key = "youAudioOnly";
    var text = key ? (texts[TILE_TEXTS[key]] || "").replace("{name}", memberName(id)) : "";
    if (key && !said.audioOnly && said.audio === false) text += " · " + texts.micOffThem;
    else if (!key && said.audio === false) text = texts.micOffThem;
    tile.querySelector(".status").textContent = text;
    tile.querySelector(".name").textContent = memberName(id);
    tile.classList.toggle("no-video", !!key && key !== "connecting");
  }

  function framesDecoded(pc) {
    return pc.getStats().then(function (report) {
      var frames = 0;
      report.forEach(function (s) { if (s.type === "inbound-rtp" && s.kind === "video") frames += s.framesDecoded || 0; });
      return frames;
    });
  }

  var ui = {
    me: me,
    send: send,
    tileFor: tileFor,
    name: memberName,
    status: connectionStatus,
    outgoingVideo: outgoingVideo,
    framesDecoded: framesDecoded,
    failed: function () { $("media-note").textContent = texts.videoFailed; },
    // My own connection to the media server (Janus): said while it is down, cleared after.
    ownState: function (iceState) {
      var note = $("media-note"), mine = [texts.videoFailed, texts.reconnectingVideo];
      if (iceState === "failed") note.textContent = texts.videoFailed;
      else if (iceState === "disconnected") note.textContent = texts.reconnectingVideo;
      else if (mine.indexOf(note.textContent) !== -1) note.textContent = "";
    },
    // The media server saw our packets lost: one more sign, not a verdict by itself.
    slowLink: function () { if (WEAK_BITRATE) weak += 1; },
  };

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
    document.querySelectorAll(".tile[data-member]").forEach(function (tile) {
      showTile(Number(tile.dataset.member), tile);
    });
    $("talk-source").textContent = state.talk_measured ? texts.talkMeasured : texts.talkReported;
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
      others = message.media || {};
      av.welcome(message);
      tellOthers();
    } else if (message.type === "media") {
      others[message.member] = message;
      if (state) render();
    } else if (message.type === "state") {
      state = message;
      here = new Set(state.here);
      state.serverOffset = Date.parse(message.server_time) - Date.now();
      render();
    } else if (message.type === "signal") {
      av.signal(message.from, message.data);
    } else if (message.type === "joined" || message.type === "left") {
      if (message.type === "left") { here.delete(message.member); av.left(message.member); }
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
      av.leave();
    }
  }

  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + location.host + "/ws/room/?token=" + encodeURIComponent(root.dataset.token));
    socket.onopen = function () { delay = 1000; $("connection").textContent = texts.connected; };
    socket.onmessage = function (event) { handle(JSON.parse(event.data)); };
    socket.onclose = function () {
      av.closed();
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
  $("audio-only").addEventListener("click", function () { setAudioOnly(!audioOnly, ""); });
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
  setInterval(watchUplink, 5000);

  // Debugging, tests and benchmarks: frames decoded from each remote camera, and the
  // connections that carry my audio and video.
  window.globalDialogueRoom = {
    stats: function () { return av ? av.stats() : Promise.resolve([]); },
    outgoing: function () { return av ? av.outgoing() : []; },
    trace: function () { return av && av.trace ? av.trace() : {}; },  // for support: see room-janus.js
    uplink: function () { return uplink; },  // the last check's estimate and loss
  };

  startMedia().then(function (stream) {
    ui.stream = stream;
    if (media.provider === "livekit") av = window.globalDialogueLiveKit(media, ui);
    else if (media.provider === "janus") av = window.globalDialogueJanus(media, ui);
    else av = window.globalDialogueMesh(ui);
    if (audioOnly) av.receiveVideo(false);  // chosen before: no one's video from the start
    connect();
  });
})();
