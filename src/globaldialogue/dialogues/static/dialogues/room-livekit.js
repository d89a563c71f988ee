// Video through a LiveKit server (dialogues/media.py), for rooms on the LiveKit provider:
// the page publishes its camera and microphone once, LiveKit forwards them to the others.
// Needs the vendored LiveKit client (window.LivekitClient), loaded before this file.
(function () {
  "use strict";
  window.globalDialogueLiveKit = function (settings, ui) {
    var LK = window.LivekitClient;
    var room = new LK.Room({ adaptiveStream: true, dynacast: true });
    var tiles = new Map();  // member id -> tile

    function tile(participant) {
      var id = Number(participant.identity);
      if (!tiles.has(id)) tiles.set(id, ui.tileFor(id));
      return tiles.get(id);
    }

    room.on(LK.RoomEvent.TrackSubscribed, function (track, _publication, participant) {
      var box = tile(participant);
      if (track.kind === "video") track.attach(box.querySelector("video"));
      else box.appendChild(track.attach());  // an <audio> element
    });
    room.on(LK.RoomEvent.TrackUnsubscribed, function (track) {
      track.detach().forEach(function (element) { if (element.tagName === "AUDIO") element.remove(); });
    });
    room.on(LK.RoomEvent.ParticipantDisconnected, function (participant) {
      var id = Number(participant.identity);
      if (tiles.has(id)) tiles.get(id).remove();
      tiles.delete(id);
    });
    // Muting keeps the tracks published: the existing camera and microphone toggles
    // (track.enabled) work unchanged.
    room.connect(settings.url, settings.token).then(function () {
      if (!ui.stream) return;
      ui.stream.getTracks().forEach(function (track) { room.localParticipant.publishTrack(track); });
    }).catch(ui.failed);

    return {
      welcome: function () {},  // LiveKit has its own ICE servers
      signal: function () {},
      left: function () {},  // LiveKit tells us when someone goes
      closed: function () {},
      sendVideo: function () {
        var camera = room.localParticipant.getTrackPublication(LK.Track.Source.Camera);
        if (camera && camera.track) camera.track.sender.replaceTrack(ui.outgoingVideo());
      },
      receiveVideo: function (on) {
        room.remoteParticipants.forEach(function (participant) {
          participant.videoTrackPublications.forEach(function (publication) { publication.setSubscribed(on); });
        });
      },
      outgoing: function () { return []; },  // LiveKit adapts the uplink itself (dynacast)
      leave: function () { room.disconnect(); },
      stats: function () {  // frames decoded per remote camera, as the mesh reports them
        var videos = [];
        room.remoteParticipants.forEach(function (participant) {
          participant.videoTrackPublications.forEach(function (publication) {
            if (publication.track && publication.track.receiver) videos.push(publication.track.receiver);
          });
        });
        return Promise.all(videos.map(function (receiver) {
          return receiver.getStats().then(function (report) {
            var frames = 0;
            report.forEach(function (s) { if (s.type === "inbound-rtp") frames += s.framesDecoded || 0; });
            return frames;
          });
        }));
      },
    };
  };
})();
