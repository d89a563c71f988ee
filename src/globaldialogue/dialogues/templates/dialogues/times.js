// An event's start in the reader's own time zone too, where it is not the event's: the
// server knows only the event's zone. Inlined; without JavaScript the page says the
// event's time and UTC.
document.querySelectorAll("time[data-zone]").forEach(function (time) {
  var here = window.Intl && Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (!here || here === time.getAttribute("data-zone")) return;
  var shown = new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
    dateStyle: "medium", timeStyle: "short"
  }).format(new Date(time.getAttribute("datetime")));
  var note = document.createElement("span");
  note.className = "note";
  note.textContent = " · " + time.getAttribute("data-yours") + ": " + shown;
  time.after(note);
});
