// Video through our Janus server (dialogues/janus.py), for rooms on the Janus provider: the
// page publishes its camera and microphone once to the group's video room, and subscribes to
// each other member's feed. Needs the vendored janus.js and adapter.js, loaded before this.
// The room admits only the group's members: each joins with the token the page was given,
// as participant id = their registration id (what our room state and the kicks use).
// Recovery: a failed connection restarts ICE; a subscription that never connects, or
// connects and never brings a packet, is made anew; a publisher Janus hung up on, or whose
// connection never came up, publishes again (the others subscribe to it again). A
// subscription Janus or the browser refused (an error, not a lost packet) is tried again after
// a pause that grows with each attempt. After a few attempts the page says so, and goes on
// trying for as long as the person is in the room: no failure is the last word.
(function () {
  "use strict";
  var PLUGIN = "janus.plugin.videoroom";
  var RESTARTS = 3;  // attempts before the page says a feed, or our own video, is not through
  // A subscription not connected by then is made anew: its offer or answer was lost, or its
  // checks never ended (seen on loaded machines and lossy links), and no "failed" would come.
  var STUCK_MS = 30000;
  var PAUSE_MS = 3000;  // before trying a refused subscription again, times its attempts (max 5)
  var TRACE = 12;  // events kept per subscription, for trace(): what a support person asks for

  window.globalDialogueJanus = function (settings, ui) {
    var janus = null, publisher = null, privateId = null, videoWanted = true, over = false;
    var feeds = new Map();  // member id -> {handle, tile, restarts}
    var ownRestarts = 0, republished = 0, ownTimer = null;

    function start(ice) {
      Janus.init({
        debug: false,
        dependencies: Janus.useDefaultDependencies(),
        callback: function () {
          janus = new Janus({
            server: settings.url,
            token: settings.token,
            iceServers: ice.iceServers || [],
            iceTransportPolicy: ice.iceTransportPolicy || "all",
            success: attachPublisher,
            error: function () { ui.failed(); },
          });
        },
      });
    }

    function join(handle, body) {
      handle.send({ message: Object.assign({ request: "join", room: settings.room, token: settings.roomToken }, body) });
    }

    function attachPublisher() {
      janus.attach({
        plugin: PLUGIN,
        success: function (handle) {
          publisher = handle;
          join(handle, { ptype: "publisher", id: ui.me, display: ui.name(ui.me) });
        },
        error: function () { ui.failed(); },
        iceState: function (state) {
          if (state === "connected" || state === "completed") {
            clearTimeout(ownTimer);
            ownRestarts = republished = 0;
          }
          if (state === "failed" && ownRestarts < RESTARTS) { ownRestarts += 1; publish(true); }
          else if (state === "failed") publishAgain();
          var up = state === "connected" || state === "completed";
          ui.ownState(republished > RESTARTS && !up ? "failed" : state);
        },
        // Janus hung up our connection (its checks or DTLS failed on its side): the others
        // were told we unpublished. Publish again on a new connection. Not when the hang-up
        // is the one we asked for ("Janus API"), which would hang up the next publication.
        webrtcState: function (on, reason) { if (!on && reason !== "Janus API") publishAgain(); },
        slowLink: function (uplink, lost) { if (uplink) ui.slowLink(lost); },
        onmessage: function (message, jsep) {
          if (message.videoroom === "joined") {
            privateId = message.private_id;
            publish(false);
            subscribeAll(message.publishers || []);
          } else if (message.videoroom === "event") {
            subscribeAll(message.publishers || []);
            var gone = message.leaving || message.unpublished;
            if (typeof gone === "number") drop(gone);
            if (message.leaving === "ok") { ui.failed(); stop(); }  // kicked (removed by the host)
            if (message.error_code) ui.failed();
          }
          if (jsep) publisher.handleRemoteJsep({ jsep: jsep });
        },
      });
    }

    // Our connection never came up (its checks stuck) or Janus hung it up: publish again on
    // a new one; the others are told and subscribe again.
    function publishAgain() {
      clearTimeout(ownTimer);
      if (over) return;
      republished += 1;
      ownRestarts = 0;
      if (republished > RESTARTS) ui.ownState("failed");
      publisher.hangup(true);
      setTimeout(function () { publish(false); }, 1000);
    }

    function publish(restart) {
      var stream = ui.stream;
      if (!stream) return;
      clearTimeout(ownTimer);  // an ICE restart that never ends is watched as well
      ownTimer = setTimeout(publishAgain, STUCK_MS);
      var tracks = stream.getTracks().map(function (track) {
        return { type: track.kind, capture: track, recv: false };
      });
      publisher.createOffer({
        tracks: restart ? undefined : tracks,
        iceRestart: restart,
        success: function (jsep) {
          var body = restart ? { request: "configure" } : { request: "publish", audio: true, video: true };
          publisher.send({ message: body, jsep: jsep });
          if (!restart) setTimeout(sendVideo, 0);
        },
        error: function () { ui.failed(); },
      });
    }

    // New publishers, and those whose subscription gave up (they publish again).
    function subscribeAll(publishers) {
      publishers.forEach(function (published) {
        var known = feeds.get(published.id);
        if (published.id === ui.me || (known && !known.failed)) return;
        if (known) { clearTimeout(known.timer); if (known.handle) known.handle.detach(); }
        subscribe(published.id, 0, known && known.tile);
      });
    }

    // Refused (attach, join or answer): said on the tile, and tried again after a pause. A
    // publisher who publishes again meanwhile is subscribed to at once (subscribeAll).
    function unreachable(id, feed, why) {
      if (feeds.get(id) !== feed || feed.failed) return;
      note(feed, "refused " + why);
      feed.failed = true;
      ui.status(id, "unreachable");
      clearTimeout(feed.timer);
      feed.timer = setTimeout(function () { stuck(id, feed); }, PAUSE_MS * Math.min(feed.attempt + 1, 5));
    }

    function note(feed, event) {
      feed.events.push(feed.attempt + " " + event);
      if (feed.events.length > TRACE) feed.events.shift();
    }

    function subscribe(id, attempt, tile) {
      var feed = { handle: null, tile: tile || ui.tileFor(id), restarts: 0, attempt: attempt || 0 };
      var before = feeds.get(id);
      feed.events = before ? before.events : [];
      feeds.set(id, feed);
      ui.status(id, feed.attempt > RESTARTS ? "unreachable" : feed.attempt ? "reconnecting" : "connecting");
      feed.timer = setTimeout(function () { stuck(id, feed); }, STUCK_MS);
      janus.attach({
        plugin: PLUGIN,
        success: function (handle) {
          feed.handle = handle;
          join(handle, { ptype: "subscriber", streams: [{ feed: id }], private_id: privateId });
        },
        error: function (error) { unreachable(id, feed, "attach: " + error); },
        iceState: function (state) { note(feed, "ice " + state); feedState(id, feed, state); },
        webrtcState: function (on, reason) {  // Janus hung up: anew
          if (!on) { note(feed, "hung up " + (reason || "")); stuck(id, feed); }
        },
        onmessage: function (message, jsep) {
          // Refused joining or starting; a later request's error (audio only) is only noted.
          var error = message.error_code && message.error_code + " " + message.error;
          if (error && feed.connected) note(feed, error);
          else if (error) unreachable(id, feed, error);
          if (!jsep) return;
          feed.handle.createAnswer({
            jsep: jsep,
            tracks: [{ type: "data" }],  // receive only: nothing of ours goes on this handle
            success: function (answer) {
              feed.handle.send({ message: { request: "start", room: settings.room }, jsep: answer });
              if (!videoWanted) receive(feed, false);
            },
            error: function (error) { unreachable(id, feed, "answer: " + (error && error.message || error)); },
          });
        },
        onremotetrack: function (track, _mid, on) {
          if (!on) return;
          var video = feed.tile.querySelector("video");
          var stream = video.srcObject || new MediaStream();
          stream.getTracks().forEach(function (t) { if (t.kind === track.kind) stream.removeTrack(t); });
          stream.addTrack(track);
          video.srcObject = stream;
        },
      });
    }

    function stuck(id, feed) {
      if (over || feeds.get(id) !== feed) return;  // left, dropped, or made anew already
      clearTimeout(feed.timer);
      if (feed.handle) feed.handle.detach();
      subscribe(id, feed.attempt + 1, feed.tile);
    }

    // A subscription whose connection fails asks Janus for an ICE restart (a new offer).
    function feedState(id, feed, state) {
      if (feeds.get(id) !== feed) return;  // an earlier subscription, replaced
      if (state === "connected" || state === "completed") {
        clearTimeout(feed.timer);
        feed.restarts = 0;
        feed.connected = true;
        ui.status(id, "");
        feed.timer = setTimeout(function () { flowing(id, feed); }, STUCK_MS);
      }
      else if (state === "checking" || state === "new") ui.status(id, feed.attempt > RESTARTS ? "unreachable" : "connecting");
      else if (state === "disconnected") ui.status(id, "reconnecting");
      else if (state === "failed" && feed.restarts < RESTARTS) {
        feed.restarts += 1;
        ui.status(id, "reconnecting");
        feed.handle.send({ message: { request: "configure", restart: true } });
      } else if (state === "failed") stuck(id, feed);  // restarts spent: a new subscription
    }

    // Connected, and still not a packet after a while (audio flows even from a muted
    // microphone): Janus forwards nothing on it (seen on loaded machines), so make it anew.
    function flowing(id, feed) {
      var pc = feeds.get(id) === feed && feed.handle && feed.handle.webrtcStuff.pc;
      if (!pc) return;
      pc.getStats().then(function (report) {
        var packets = 0;
        report.forEach(function (s) { if (s.type === "inbound-rtp") packets += s.packetsReceived || 0; });
        if (!packets) { note(feed, "no packets"); stuck(id, feed); }
      });
    }

    // Audio only: Janus stops sending this member each feed's video (and starts again).
    function receive(feed, on) {
      if (!feed.handle) return;
      var streams = [];
      (feed.handle.webrtcStuff.pc ? feed.handle.webrtcStuff.pc.getTransceivers() : []).forEach(function (t) {
        if (t.receiver.track && t.receiver.track.kind === "video" && t.mid) streams.push({ mid: t.mid, send: on });
      });
      if (streams.length) feed.handle.send({ message: { request: "configure", streams: streams } });
    }

    // Out of the room (left, or removed): nothing more is tried.
    function stop() {
      over = true;
      feeds.forEach(function (feed) { clearTimeout(feed.timer); });
      clearTimeout(ownTimer);
    }

    function drop(id) {
      var feed = feeds.get(id);
      if (!feed) return;
      clearTimeout(feed.timer);
      if (feed.handle) feed.handle.detach();
      feed.tile.remove();
      feeds.delete(id);
    }

    function sendVideo() {
      var pc = publisher && publisher.webrtcStuff.pc;
      if (!pc) return;
      pc.getTransceivers().forEach(function (t) {
        if (t.sender && (t.sender.track ? t.sender.track.kind === "video" : t.receiver.track.kind === "video")) {
          t.sender.replaceTrack(ui.outgoingVideo());
        }
      });
    }

    return {
      welcome: function (message) { if (!janus) start(message); },
      signal: function () {},
      left: function () {},  // Janus tells us when a feed goes (leaving, unpublished)
      closed: function () {},  // our socket dropped; the media goes on through Janus
      sendVideo: sendVideo,
      receiveVideo: function (on) {
        videoWanted = on;
        feeds.forEach(function (feed) { receive(feed, on); });
      },
      stats: function () {
        return Promise.all(Array.from(feeds.values()).map(function (feed) {
          var pc = feed.handle && feed.handle.webrtcStuff.pc;
          return pc ? ui.framesDecoded(pc) : Promise.resolve(0);
        }));
      },
      // What happened to each subscription lately (attempt, then event), by member id.
      trace: function () {
        var out = {};
        feeds.forEach(function (feed, id) { out[id] = feed.events.slice(); });
        return out;
      },
      outgoing: function () { return publisher && publisher.webrtcStuff.pc ? [publisher.webrtcStuff.pc] : []; },
      rename: function () {},
      leave: function () { stop(); if (janus) janus.destroy({ cleanupHandles: true }); },
    };
  };
})();
