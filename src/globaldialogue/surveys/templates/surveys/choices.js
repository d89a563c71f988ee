// "Choose up to N": once N boxes are ticked the others wait, so nobody learns of the limit
// only after sending. The server still decides; without JavaScript nothing changes.
// Inlined into the survey page (no extra request on a slow network).
document.querySelectorAll("fieldset[data-max-choices]").forEach(function (set) {
  var most = parseInt(set.getAttribute("data-max-choices"), 10);
  var boxes = Array.prototype.slice.call(set.querySelectorAll("input[type=checkbox]"));
  function limit() {
    var ticked = boxes.filter(function (box) { return box.checked; }).length;
    boxes.forEach(function (box) { box.disabled = !box.checked && ticked >= most; });
  }
  set.addEventListener("change", limit);
  limit();
});
