// XLSForm expressions in the browser: evaluates the trees the server parsed
// (lib/expressions.py, which says what the values and operators mean), so skip logic and
// constraints answer here as they will on the server, which still decides. Inlined.
window.globalDialogueLogic = (function () {
  "use strict";
  function num(v) {
    if (typeof v === "boolean") return v ? 1 : 0;
    if (typeof v === "number") return v;
    var t = v.trim();
    return /^-?(\d+(\.\d*)?|\.\d+)$/.test(t) ? parseFloat(t) : NaN;
  }
  function str(v) {
    if (typeof v === "boolean") return v ? "true" : "false";
    return typeof v === "number" ? String(v) : v;
  }
  function bool(v) {
    if (typeof v === "boolean") return v;
    return typeof v === "number" ? !isNaN(v) && v !== 0 : v !== "";
  }
  function equal(a, b) {
    if (typeof a === "boolean" || typeof b === "boolean") return bool(a) === bool(b);
    if (typeof a === "number" || typeof b === "number") return num(a) === num(b);
    return a === b;
  }
  function words(v) { return str(v).split(/\s+/).filter(Boolean); }
  function round(x, digits) {
    var n = num(x), scale = Math.pow(10, Math.trunc(num(digits === undefined ? 0 : digits)));
    return isFinite(n) && !isNaN(scale) ? Math.floor(n * scale + 0.5) / scale : n;
  }
  function regex(text, pattern) {
    try { return new RegExp("^(?:" + str(pattern) + ")$").test(str(text)); } catch (e) { return false; }
  }
  function trunc(x) { var n = num(x); return isFinite(n) ? Math.trunc(n) : n; }
  var functions = {
    "not": function (a) { return !bool(a); },
    "true": function () { return true; },
    "false": function () { return false; },
    "boolean": bool, "number": num, "string": str, "int": trunc, "round": round,
    "selected": function (a, b) { return words(a).indexOf(str(b).trim()) !== -1; },
    "count-selected": function (a) { return words(a).length; },
    "regex": regex,
    "string-length": function (a) { return Array.from(str(a)).length; },
    "concat": function () { return Array.prototype.map.call(arguments, str).join(""); },
    "contains": function (a, b) { return str(a).indexOf(str(b)) !== -1; },
    "starts-with": function (a, b) { return str(a).startsWith(str(b)); },
    "ends-with": function (a, b) { return str(a).endsWith(str(b)); },
    "if": function (c, a, b) { return bool(c) ? a : b; },
    "coalesce": function (a, b) { return str(a) !== "" ? a : b; },
  };
  function arithmetic(op, a, b) {
    if (op === "+") return a + b;
    if (op === "-") return a - b;
    if (op === "*") return a * b;
    if (op === "div") return a / b;
    return !isFinite(a) || b === 0 || isNaN(b) ? NaN : a % b;  // the dividend's sign, as XPath
  }
  function operate(op, a, b) {
    if (op === "=") return equal(a, b);
    if (op === "!=") return !equal(a, b);
    if (op === "<") return num(a) < num(b);
    if (op === "<=") return num(a) <= num(b);
    if (op === ">") return num(a) > num(b);
    if (op === ">=") return num(a) >= num(b);
    return arithmetic(op, num(a), num(b));
  }
  function evaluate(node, values, current, choice) {
    var kind = node[0];
    if (kind === "col") return choice && Object.prototype.hasOwnProperty.call(choice, node[1]) ? choice[node[1]] : "";
    if (kind === "num" || kind === "str") return node[1];
    if (kind === "ref") return Object.prototype.hasOwnProperty.call(values, node[1]) ? values[node[1]] : "";
    if (kind === "cur") return current || "";
    if (kind === "neg") return -num(evaluate(node[1], values, current, choice));
    if (kind === "op") {
      var left = evaluate(node[2], values, current, choice);
      if (node[1] === "and") return bool(left) && bool(evaluate(node[3], values, current, choice));
      if (node[1] === "or") return bool(left) || bool(evaluate(node[3], values, current, choice));
      return operate(node[1], left, evaluate(node[3], values, current, choice));
    }
    return functions[node[1]].apply(null, node[2].map(function (n) { return evaluate(n, values, current, choice); }));
  }
  return {
    evaluate: evaluate,
    holds: function (node, values, current, choice) { return !node || bool(evaluate(node, values, current, choice)); },
  };
})();
