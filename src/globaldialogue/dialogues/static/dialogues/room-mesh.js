// Video over the peer-to-peer mesh (dialogues/media.py): each participant connects to every
// other, with the offers, answers and candidates relayed by our WebSocket (room.py). Each
// call's state is shown on its tile; a call that fails or does not come back is restarted
// (ICE restart), from the side that placed it: a few times quickly, then, its tile saying the
// person cannot be reached, now and then for as long as both are in the room.
(function () {
  "use strict";
  var RESTARTS = 3;  // quick attempts before the tile says the person cannot be reached
  var DISCONNECTED_GRACE = 5000;  // "disconnected" often heals by itself within seconds
  // An attempt not connected by then is made again: a restart while the network (or TURN)
  // is down may neither connect nor fail. Later attempts come less often.
  var ATTEMPT_MS = 20000, RETRY_MS = 15000;

  window.globalDialogueMesh = function (ui) {
    var peers = new Map();  // member id -> {pc, tile, caller, restarts, timer, paused}
    var config = { iceServers: [], iceTransportPolicy: "all" };
    var videoWanted = true;  // do I want the others' video (not in audio-only mode)

    function show(peer, id) {
      var state = peer.pc.connectionState;
      if (state === "connected") {
        clearTimeout(peer.timer);
        peer.restarts = 0;
        ui.status(id, "");
      } else if (state === "new" || state === "connecting") {
        ui.status(id, peer.restarts > RESTARTS ? "unreachable" : peer.restarts ? "reconnecting" : "connecting");
      } else if (state === "disconnected") {
        ui.status(id, "reconnecting");
        clearTimeout(peer.timer);
        peer.timer = setTimeout(function () {
          if (peer.pc.connectionState === "disconnected") restart(id);
        }, DISCONNECTED_GRACE);
      } else if (state === "failed") {
        restart(id);
      }
    }

    function connection(id, caller) {
      var existing = peers.get(id);
      var tile = existing ? existing.tile : ui.tileFor(id);
      if (existing) existing.pc.close();
      var pc = new RTCPeerConnection(config);
      var peer = { pc: pc, tile: tile, caller: caller, restarts: 0, timer: null, paused: false, video: null };
      peers.set(id, peer);
      if (ui.stream) ui.stream.getTracks().forEach(function (t) {
        var sender = pc.addTrack(t, ui.stream);
        if (t.kind === "video") peer.video = sender;
      });
      send(peer);
      pc.onicecandidate = function (event) {
        if (event.candidate) ui.send({ type: "signal", to: id, data: { candidate: event.candidate.toJSON() } });
      };
      pc.ontrack = function (event) { tile.querySelector("video").srcObject = event.streams[0]; };
      pc.onconnectionstatechange = function () { if (peers.get(id) === peer) show(peer, id); };
      show(peer, id);
      watch(id, peer, ATTEMPT_MS);  // an offer or answer lost on the way: no state would say so
      return peer;
    }

    function offer(id, peer, restart) {
      var pc = peer.pc;
      pc.createOffer(restart ? { iceRestart: true } : {})
        .then(function (description) { return pc.setLocalDescription(description); })
        .then(function () {
          ui.send({ type: "signal", to: id, data: { sdp: pc.localDescription.toJSON() } });
          if (!videoWanted) ui.send({ type: "signal", to: id, data: { video: false } });
        })
        .catch(function () { show(peer, id); });
    }

    function call(id) {
      var peer = connection(id, true);
      if (!ui.stream) {  // still receive the others' audio and video
        peer.pc.addTransceiver("audio", { direction: "recvonly" });
        peer.pc.addTransceiver("video", { direction: "recvonly" });
      }
      offer(id, peer, false);
    }

    // The caller restarts ICE on the same connection; the one called asks the caller to.
    // Each attempt is watched: one that has not connected in time is followed by another.
    function restart(id) {
      var peer = peers.get(id);
      if (!peer) return;
      clearTimeout(peer.timer);
      peer.restarts += 1;
      var quick = peer.restarts <= RESTARTS;
      ui.status(id, quick ? "reconnecting" : "unreachable");
      if (peer.caller) offer(id, peer, true);
      else ui.send({ type: "signal", to: id, data: { restart: true } });
      watch(id, peer, quick ? ATTEMPT_MS : RETRY_MS);
    }

    function watch(id, peer, ms) {
      clearTimeout(peer.timer);
      peer.timer = setTimeout(function () {
        if (peers.get(id) === peer && peer.pc.connectionState !== "connected") restart(id);
      }, ms);
    }

    function answer(from, description) {
      var peer = peers.get(from);
      // A new call from someone, or an ICE restart of the call we have with them.
      if (!peer || peer.caller || peer.pc.signalingState !== "stable") peer = connection(from, false);
      var pc = peer.pc;
      pc.setRemoteDescription(description)
        .then(function () { return pc.createAnswer(); })
        .then(function (description) { return pc.setLocalDescription(description); })
        .then(function () {
          ui.send({ type: "signal", to: from, data: { sdp: pc.localDescription.toJSON() } });
          if (!videoWanted) ui.send({ type: "signal", to: from, data: { video: false } });
        });
    }

    // The other side asks for no video (audio only) or for it again: our camera's track is
    // taken off (or put back on) the call to them, so no bandwidth is spent on it.
    function pause(from, wanted) {
      var peer = peers.get(from);
      if (!peer) return;
      peer.paused = !wanted;
      send(peer);
    }

    function send(peer) {
      if (peer.video) peer.video.replaceTrack(peer.paused ? null : ui.outgoingVideo());
    }

    function hangUp(id) {
      var peer = peers.get(id);
      if (!peer) return;
      clearTimeout(peer.timer);
      peer.pc.close();
      peer.tile.remove();
      peers.delete(id);
    }

    return {
      welcome: function (message) {
        config = { iceServers: message.iceServers || [], iceTransportPolicy: message.iceTransportPolicy || "all" };
        message.peers.forEach(call);
      },
      signal: function (from, data) {
        if (data.sdp && data.sdp.type === "offer") {
          answer(from, data.sdp);
        } else if (data.sdp && peers.has(from)) {
          peers.get(from).pc.setRemoteDescription(data.sdp).catch(function () {});
        } else if (data.candidate && peers.has(from)) {
          peers.get(from).pc.addIceCandidate(data.candidate).catch(function () {});
        } else if (data.restart && peers.has(from) && peers.get(from).caller) {
          offer(from, peers.get(from), true);
        } else if (typeof data.video === "boolean") {
          pause(from, data.video);
        }
      },
      left: hangUp,
      closed: function () { peers.forEach(function (_peer, id) { hangUp(id); }); },
      tiles: function () { return peers; },
      sendVideo: function () { peers.forEach(send); },
      receiveVideo: function (on) {
        videoWanted = on;
        peers.forEach(function (_peer, id) { ui.send({ type: "signal", to: id, data: { video: on } }); });
      },
      stats: function () {
        return Promise.all(Array.from(peers.values()).map(function (peer) {
          return ui.framesDecoded(peer.pc);
        }));
      },
      outgoing: function () { return Array.from(peers.values()).map(function (p) { return p.pc; }); },
      leave: function () { peers.forEach(function (_peer, id) { hangUp(id); }); },
    };
  };
})();
