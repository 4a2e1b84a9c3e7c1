/* The report form, improved. The page works without this file: it has explicit "Lagre"
   buttons. With it the form saves itself (after 1.5 s without typing, and when a field
   loses focus), says when it last saved ("Sist lagret kl. HH:MM", in an aria-live
   region), shows field errors next to the fields and updates the account and what is
   missing. Shared helpers come from portal.js (window.Tilskudd). */
(function () {
  "use strict";

  const { texts, format, describedBy, errorList, showMissing } = window.Tilskudd;
  const AUTOSAVE_DELAY_MS = 1500;

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

  function start() {
    const form = document.querySelector("form#report-form[data-autosave]");
    if (form) enhanceReportForm(form, texts());
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
