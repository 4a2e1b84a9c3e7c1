/* What every page of the portal shares, loaded by base.html. Every page works without
   it; with it:
   - an error summary takes focus, and its links move focus to the field;
   - buttons of forms marked data-submit-once are disabled after the first click, so a
     double click sends once;
   - a receipt page asks every 2 s whether its PDF copy is ready (#receipt-pdf).
   The form scripts (application-form.js, report-form.js) use the helpers it exports as
   window.Tilskudd. Texts come from the page (#js-texts), translated on the server. */
(function () {
  "use strict";

  const RECEIPT_POLL_MS = 2000;

  function texts() {
    const node = document.getElementById("js-texts");
    return node ? JSON.parse(node.textContent) : {};
  }

  function format(template, values) {
    return (template || "").replace(/%\((\w+)\)s/g, (_, key) => values[key] ?? "");
  }


  function enhanceErrorSummary() {
    const summary = document.getElementById("error-summary");
    if (summary) summary.focus();
    document.addEventListener("click", (event) => {
      const link = event.target.closest(".error-summary a[href^='#'], #missing-list a[href^='#']");
      if (!link) return;
      const target = document.getElementById(decodeURIComponent(link.hash.slice(1)));
      if (!target) return;
      event.preventDefault();
      const line = target.closest("[data-line]");
      if (line) line.hidden = false;
      if (!target.matches("input, select, textarea, button, a[href]")) {
        target.setAttribute("tabindex", "-1");
      }
      const label = document.querySelector(`label[for="${CSS.escape(target.id)}"]`);
      (label || target).scrollIntoView({ block: "center" });
      target.focus({ preventScroll: true });
    });
  }

  function describedBy(field, id, add) {
    const ids = (field.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
    const others = ids.filter((value) => value !== id);
    if (add) others.push(id);
    if (others.length) field.setAttribute("aria-describedby", others.join(" "));
    else field.removeAttribute("aria-describedby");
  }

  function errorList(messages, className) {
    const box = document.createElement("div");
    box.className = className;
    box.dataset.jsError = "";
    for (const message of messages) {
      const p = document.createElement("p");
      p.className = "mb-0";
      const strong = document.createElement("strong");
      strong.textContent = message;
      p.appendChild(strong);
      box.appendChild(p);
    }
    return box;
  }

  function showMissing(items) {
    const list = document.getElementById("missing-list");
    if (!list || !items) return;
    const prefix = list.dataset.linkPrefix || "";
    list.textContent = "";
    for (const item of items) {
      const li = document.createElement("li");
      const a = document.createElement("a");
      a.href = prefix + item.href;
      a.textContent = item.text;
      li.appendChild(a);
      list.appendChild(li);
    }
    document.getElementById("missing-intro").hidden = items.length === 0;
    document.getElementById("missing-none").hidden = items.length !== 0;
  }

  function enhanceSubmitOnce() {
    document.querySelectorAll("form[data-submit-once]").forEach((form) => {
      form.addEventListener("submit", () => {
        window.setTimeout(() => {
          form.querySelectorAll("button[type=submit]").forEach((b) => { b.disabled = true; });
        }, 0);
      });
    });
  }

  // -- The receipt's PDF copy -----------------------------------------------------------

  function pollReceipt(box, t) {
    if (!box.dataset.statusUrl || box.dataset.status !== "pending") return;

    function show(state) {
      box.textContent = "";
      if (state.status === "ready") {
        const p = document.createElement("p");
        p.className = "mb-1";
        const a = document.createElement("a");
        a.href = state.url;
        a.className = "btn btn-primary";
        a.textContent = t.pdf_ready;
        p.appendChild(a);
        const sum = document.createElement("p");
        sum.className = "small";
        sum.append(`${t.pdf_sha256}: `);
        const code = document.createElement("code");
        code.className = "sha256";
        code.textContent = state.sha256;
        sum.appendChild(code);
        box.append(p, sum);
      } else {
        const p = document.createElement("p");
        p.textContent = t.pdf_failed;
        box.appendChild(p);
      }
      box.dataset.status = state.status;
    }

    async function tick() {
      try {
        const response = await fetch(box.dataset.statusUrl, {
          credentials: "same-origin",
          headers: { "X-Requested-With": "fetch", Accept: "application/json" },
        });
        const state = await response.json();
        if (state.status === "ready" || state.status === "failed") {
          show(state);
          return;
        }
      } catch (error) {
        // The network hiccuped; ask again.
      }
      window.setTimeout(tick, RECEIPT_POLL_MS);
    }

    window.setTimeout(tick, RECEIPT_POLL_MS);
  }

  window.Tilskudd = { texts, format, describedBy, errorList, showMissing };

  function start() {
    enhanceErrorSummary();
    enhanceSubmitOnce();
    const receipt = document.getElementById("receipt-pdf");
    if (receipt) pollReceipt(receipt, texts());
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
