/* The recipient's report pages, improved. Every page works without this file: the form
   has explicit "Lagre" buttons and the receipt page an "Oppdater siden" link. With it:
   - the error summary takes focus, and its links move focus to the field;
   - the report form saves itself (after 1.5 s without typing, and when a field loses
     focus), says when it last saved ("Sist lagret kl. HH:MM", in an aria-live region),
     shows field errors next to the fields and updates the account and what is missing;
   - buttons that send something are disabled after the first click;
   - the receipt page asks every 2 s whether the PDF copy is ready.
   Texts come from the page (#js-texts), translated on the server. */
(function () {
  "use strict";

  const AUTOSAVE_DELAY_MS = 1500;
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

  function clearErrors(form) {
    form.querySelectorAll(".invalid-feedback, [data-js-error]").forEach((node) => node.remove());
    form.querySelectorAll("[aria-invalid], .is-invalid").forEach((field) => {
      field.removeAttribute("aria-invalid");
      field.classList.remove("is-invalid");
      if (field.id) describedBy(field, `${field.id}_error`, false);
    });
  }

  function showErrors(form, errors) {
    clearErrors(form);
    for (const [name, messages] of Object.entries(errors)) {
      let field = form.elements.namedItem(name);
      if (field && !field.tagName && field.length) field = field[0];
      if (!field || !field.id) continue;
      const box = document.createElement("div");
      box.className = "invalid-feedback d-block";
      box.dataset.jsError = "";
      box.id = `${field.id}_error`;
      for (const message of messages) {
        const p = document.createElement("p");
        p.className = "mb-0";
        const strong = document.createElement("strong");
        strong.textContent = message;
        p.appendChild(strong);
        box.appendChild(p);
      }
      field.classList.add("is-invalid");
      field.setAttribute("aria-invalid", "true");
      describedBy(field, box.id, true);
      if (field.type === "radio") field.closest("fieldset, div").appendChild(box);
      else field.insertAdjacentElement("afterend", box);
    }
  }

  function showAccount(values) {
    for (const [key, value] of Object.entries(values || {})) {
      document.querySelectorAll(`[data-account="${key}"]`).forEach((node) => {
        node.textContent = value;
      });
    }
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

  function enhanceReportForm(form, t) {
    const status = document.getElementById("save-status");
    const url = form.getAttribute("action") || window.location.pathname;
    let timer = null;
    let dirty = false;
    let saving = null;
    let again = false;

    function announce(text) {
      if (status) status.textContent = text;
    }

    async function send(keepalive) {
      const data = new FormData(form);
      data.set("action", "autosave");
      try {
        const response = await fetch(url, {
          method: "POST",
          body: data,
          credentials: "same-origin",
          headers: { "X-Requested-With": "fetch", Accept: "application/json" },
          keepalive,
        });
        const body = await response.json();
        if (!response.ok) {
          announce(body.error || t.not_saved);
          return;
        }
        const errors = body.errors || {};
        showErrors(form, errors);
        showAccount(body.account);
        showMissing(body.missing);
        const hasErrors = Object.keys(errors).length > 0;
        announce(format(hasErrors ? t.saved_with_errors : t.saved, { time: body.saved_at }));
      } catch (error) {
        dirty = true;
        announce(t.not_saved);
      }
    }

    function save(keepalive = false) {
      window.clearTimeout(timer);
      if (saving) {
        again = true;
        return saving;
      }
      if (!dirty) return Promise.resolve();
      dirty = false;
      saving = send(keepalive).finally(() => {
        saving = null;
        if (again) {
          again = false;
          if (dirty) return save();
        }
        return undefined;
      });
      return saving;
    }

    function changed() {
      dirty = true;
      window.clearTimeout(timer);
      timer = window.setTimeout(save, AUTOSAVE_DELAY_MS);
    }

    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    form.addEventListener("focusout", () => { if (dirty) save(); });
    // "Lagre" while a background save is on its way (the field lost focus to the button):
    // let that save finish first, so the two never write at the same time.
    form.addEventListener("submit", (event) => {
      window.clearTimeout(timer);
      if (saving) {
        event.preventDefault();
        const submitter = event.submitter;
        saving.then(() => form.requestSubmit(submitter));
        return;
      }
      dirty = false;
    });
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "hidden" && dirty) save(true);
    });

    // Leaving through another form or link of the page: save first.
    document.querySelectorAll("form[data-save-first]").forEach((other) => {
      other.addEventListener("submit", (event) => {
        if (!dirty && !saving) return;
        event.preventDefault();
        save().then(() => (saving || Promise.resolve())).then(() => other.submit());
      });
    });
    document.querySelectorAll("a[data-save-first]").forEach((link) => {
      link.addEventListener("click", (event) => {
        if (!dirty && !saving) return;
        event.preventDefault();
        save().then(() => (saving || Promise.resolve())).then(() => {
          window.location.href = link.href;
        });
      });
    });
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

  function start() {
    const t = texts();
    enhanceErrorSummary();
    enhanceSubmitOnce();
    const form = document.querySelector("form#report-form[data-autosave]");
    if (form) enhanceReportForm(form, t);
    const receipt = document.getElementById("receipt-pdf");
    if (receipt) pollReceipt(receipt, t);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
