// The camera and microphone check (dialogues/check.html): asks for both, shows the camera,
// lists the devices and moves a level meter with the microphone. The devices chosen and
// "audio only" are kept in this browser (localStorage), where the room page reads them.
(function () {
  "use strict";
  var box = document.getElementById("check");
  if (!box) return;
  var texts = document.getElementById("check-texts").dataset;
  var stream = null, meterTimer = null, context = null;
  box.hidden = false;

  function $(id) { return document.getElementById(id); }
  function say(text) { $("check-status").textContent = text; }

  function problem(error) {
    var name = error && error.name;
    if (name === "NotAllowedError" || name === "SecurityError") say(texts.denied);
    else if (name === "NotFoundError" || name === "OverconstrainedError") say(texts.none);
    else if (name === "NotReadableError") say(texts.busy);
    else say(texts.failed);
    $("refused-help").open = true;
  }

  // A device picked in the list must be that one; one remembered from before, if still there.
  function constraints() {
    function choice(select, stored) {
      if ($(select).value) return { deviceId: { exact: $(select).value } };
      var remembered = localStorage.getItem(stored);
      return remembered ? { deviceId: { ideal: remembered } } : true;
    }
    return { video: choice("camera-choice", "gd-camera"), audio: choice("microphone-choice", "gd-microphone") };
  }

  function start() {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) { say(texts.unsupported); return; }
    if (stream) stream.getTracks().forEach(function (track) { track.stop(); });
    navigator.mediaDevices.getUserMedia(constraints()).then(function (got) {
      stream = got;
      $("check-video").srcObject = got;
      say(texts.ok);
      remember(got);
      meter(got);
      return navigator.mediaDevices.enumerateDevices();
    }).then(function (devices) {
      if (devices) listDevices(devices);
    }).catch(problem);
  }

  function remember(got) {
    var camera = got.getVideoTracks()[0], microphone = got.getAudioTracks()[0];
    if (camera) localStorage.setItem("gd-camera", camera.getSettings().deviceId || "");
    if (microphone) localStorage.setItem("gd-microphone", microphone.getSettings().deviceId || "");
  }

  function listDevices(devices) {
    [["videoinput", "camera-choice", "gd-camera"], ["audioinput", "microphone-choice", "gd-microphone"]].forEach(function (kind) {
      var select = $(kind[1]);
      select.textContent = "";
      devices.filter(function (d) { return d.kind === kind[0]; }).forEach(function (device, n) {
        var option = document.createElement("option");
        option.value = device.deviceId;
        option.textContent = device.label || texts.device + " " + (n + 1);
        option.selected = device.deviceId === localStorage.getItem(kind[2]);
        select.appendChild(option);
      });
      select.disabled = select.options.length === 0;
    });
  }

  // The meter follows the loudness; "we can hear you" is said once, not at every frame.
  function meter(got) {
    var Context = window.AudioContext || window.webkitAudioContext;
    if (!Context || !got.getAudioTracks().length) return;
    if (context) context.close();
    context = new Context();
    var analyser = context.createAnalyser();
    analyser.fftSize = 512;
    context.createMediaStreamSource(got).connect(analyser);
    var samples = new Uint8Array(analyser.fftSize);
    clearInterval(meterTimer);
    $("heard").textContent = "";
    meterTimer = setInterval(function () {
      analyser.getByteTimeDomainData(samples);
      var sum = 0;
      for (var i = 0; i < samples.length; i++) sum += Math.pow((samples[i] - 128) / 128, 2);
      var level = Math.min(1, Math.sqrt(sum / samples.length) * 4);
      $("level").value = level;
      if (level > 0.1 && !$("heard").textContent) $("heard").textContent = texts.heard;
    }, 100);
  }

  $("check-start").addEventListener("click", start);
  $("camera-choice").addEventListener("change", start);
  $("microphone-choice").addEventListener("change", start);
  $("audio-only-choice").checked = localStorage.getItem("gd-audio-only") === "1";
  $("audio-only-choice").addEventListener("change", function (event) {
    localStorage.setItem("gd-audio-only", event.target.checked ? "1" : "0");
  });
})();
