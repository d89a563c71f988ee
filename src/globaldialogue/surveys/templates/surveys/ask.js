// The survey's logic on the page, as the server will decide it (surveys/logic.py): questions
// not asked are hidden (the server drops their answers), "required" shows while its condition
// holds, options a choice filter leaves out are hidden, and a broken constraint says its
// message as soon as the answer changes. Inlined after logic.js; without JavaScript every
// question shows and the server's page says the same after sending.
(function () {
  "use strict";
  var L = window.globalDialogueLogic, form = document.querySelector("form[method=post]");
  if (!L || !form) return;
  var blocks = Array.prototype.slice.call(form.querySelectorAll("[data-key]"));
  var calculations = JSON.parse(form.getAttribute("data-calculations") || "[]");
  var touched = {};
  function logicOf(block) {
    if (!block.logicParsed) block.logicParsed = JSON.parse(block.getAttribute("data-logic") || "{}");
    return block.logicParsed;
  }
  // An answer as XForms holds it (logic.py's xforms_value): keys joined by spaces, or the text.
  function answerOf(block) {
    var key = block.getAttribute("data-key");
    var checked = block.querySelectorAll('input[name="' + key + '"]:checked');
    if (checked.length) return Array.prototype.map.call(checked, function (i) { return i.value; }).sort().join(" ");
    var field = block.querySelector('select[name="' + key + '"], textarea[name="' + key + '"], input[type=text][name="' + key + '"]');
    var text = field ? field.value.normalize("NFC").trim() : "";
    return /^-?\d+$/.test(text) && field.tagName === "INPUT" ? String(parseInt(text, 10)) : text;
  }
  function calculate(values) {
    calculations.forEach(function (c) {
      var v = L.evaluate(c[1], values, "");
      values[c[0]] = typeof v === "boolean" ? (v ? "true" : "false") : String(v);
    });
  }
  function filterOptions(block, tree, values) {
    var changed = false;
    block.querySelectorAll("label[data-columns]").forEach(function (label) {
      var offered = L.holds(tree, values, "", JSON.parse(label.getAttribute("data-columns")));
      var input = label.querySelector("input");
      label.hidden = !offered;
      if (!offered && input.checked) { input.checked = false; changed = true; }
    });
    return changed;
  }
  function sayConstraint(block, logic, values, key) {
    var note = block.querySelector(".err-live");
    var broken = logic.constraint && touched[key] && values[key] !== "" && !L.holds(logic.constraint, values, values[key]);
    if (!note && broken) {
      note = document.createElement("p");
      note.className = "err err-live";
      note.setAttribute("aria-live", "polite");
      block.insertBefore(note, block.querySelector("legend, label.ql").nextSibling);
    }
    if (note) note.textContent = broken ? logic.message : "";
    block.querySelectorAll("input, textarea, select").forEach(function (f) {
      if (broken) f.setAttribute("aria-invalid", "true"); else if (note) f.removeAttribute("aria-invalid");
    });
  }
  function refresh() {
    var values = {}, again = false;
    blocks.forEach(function (block) { var a = answerOf(block); if (a !== "") values[block.getAttribute("data-key")] = a; });
    calculate(values);
    blocks.forEach(function (block) {
      var key = block.getAttribute("data-key"), logic = logicOf(block);
      var asked = L.holds(logic.relevant, values, "");
      block.hidden = !asked;
      if (!asked) {
        if (key in values) { delete values[key]; calculate(values); }
        return;
      }
      var when = block.querySelector("[data-when]");
      if (when) when.hidden = !L.holds(logic.required_when, values, "");
      if (logic.choice_filter && filterOptions(block, logic.choice_filter, values)) again = true;
      sayConstraint(block, logic, values, key);
    });
    if (again) refresh();  // an option unticked by its filter: what depends on it, anew
  }
  function changed(event) {
    var block = event.target.closest("[data-key]");
    if (block) touched[block.getAttribute("data-key")] = true;
    refresh();
  }
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  refresh();
})();
