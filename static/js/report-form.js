/* The report form, improved. The page works without this file: it has explicit "Lagre"
   buttons. With it the form saves itself (after 1.5 s without typing, and when a field
   loses focus), says when it last saved ("Sist lagret kl. HH:MM", in an aria-live
   region), shows field errors next to the fields and updates the account and what is
   missing. Shared helpers come from portal.js (window.Tilskudd). */
(function () {
  "use strict";

  const { texts, format, describedBy, errorList, showMissing, autosave } = window.Tilskudd;

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
      const box = errorList(messages, "invalid-feedback d-block");
      box.id = `${field.id}_error`;
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

  // The step list's badges (ikke startet / påbegynt / fullført / har feil) after a save.
  function showSteps(states) {
    for (const [key, state] of Object.entries(states || {})) {
      const badge = document.querySelector(`[data-step="${key}"] .badge`);
      if (!badge) continue;
      badge.className = `badge ${state.css}`;
      badge.textContent = state.label;
    }
  }

  function enhanceReportForm(form, t) {
    autosave(form, t, {
      apply(body, announce) {
        const errors = body.errors || {};
        showErrors(form, errors);
        showAccount(body.account);
        showMissing(body.missing);
        showSteps(body.steps);
        const hasErrors = Object.keys(errors).length > 0;
        announce(format(hasErrors ? t.saved_with_errors : t.saved, { time: body.saved_at }));
      },
    });
  }

  function start() {
    const form = document.querySelector("form#report-form[data-autosave]");
    if (form) enhanceReportForm(form, texts());
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
