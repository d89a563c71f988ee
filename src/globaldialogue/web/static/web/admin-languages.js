// The back office's per-language fields ("Title (fr)", "Options (ar)"): a row of buttons,
// one per language, shows one language's fields at a time, so a survey in six languages is
// edited one language at a time instead of on a page six times as long. Without JavaScript
// every field shows, as Django renders them. Rows with an error always show, and a folded
// section ("Settings") holding an error opens.
(function () {
  "use strict";
  const KEY = "gd-admin-language";
  const CODE = /^field-.+__([a-z]{2,3}(?:-[a-z0-9]+)*)$/;

  function codeOf(row) {
    for (const name of row.classList) {
      const match = CODE.exec(name);
      if (match) return match[1];
    }
    return null;
  }

  function languageName(code) {
    try {
      const names = new Intl.DisplayNames([document.documentElement.lang || "en"], { type: "language" });
      return `${names.of(code)} (${code})`;
    } catch (error) {
      return code;
    }
  }

  function show(rows, buttons, chosen) {
    for (const [row, code] of rows) {
      const keep = chosen === "" || code === chosen || row.querySelector(".errorlist");
      row.hidden = !keep;
    }
    for (const button of buttons) {
      button.setAttribute("aria-pressed", String(button.dataset.language === chosen));
    }
    sessionStorage.setItem(KEY, chosen);
  }

  function start() {
    const form = document.querySelector("#content-main form");
    if (!form) return;
    for (const error of form.querySelectorAll("details .errorlist")) error.closest("details").open = true;
    const rows = [...form.querySelectorAll(".form-row")].map((row) => [row, codeOf(row)])
      .filter(([, code]) => code !== null);
    const codes = [...new Set(rows.map(([, code]) => code))];
    if (codes.length < 2) return;
    const bar = document.createElement("div");
    bar.className = "language-tabs";
    bar.setAttribute("role", "group");
    bar.setAttribute("aria-label", "Languages shown");
    const buttons = ["", ...codes].map((code) => {
      const button = document.createElement("button");
      button.type = "button";
      button.dataset.language = code;
      button.textContent = code === "" ? "All languages" : languageName(code);
      button.addEventListener("click", () => show(rows, buttons, code));
      bar.append(button);
      return button;
    });
    form.prepend(bar);
    const saved = sessionStorage.getItem(KEY) || "";
    show(rows, buttons, codes.includes(saved) ? saved : "");
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
