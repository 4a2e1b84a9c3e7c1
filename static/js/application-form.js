/* The application form, improved. The page works without this file: it has explicit
   "Lagre" and "Legg til" buttons and "Fjern linje" checkboxes. With it the form saves
   itself (after 1.5 s without typing, and when a field loses focus) and says when it
   last saved; field errors appear next to the fields; lines are added from a <template>
   and removed with a button. Shared helpers come from portal.js (window.Tilskudd). */
(function () {
  "use strict";

  const { texts, format, describedBy, errorList, showMissing } = window.Tilskudd;
  const AUTOSAVE_DELAY_MS = 1500;

  // -- Field errors -------------------------------------------------------------------

  function clearErrors(form) {
    form.querySelectorAll(".invalid-feedback, [data-js-error], .alert-block.alert-danger")
      .forEach((node) => node.remove());
    form.querySelectorAll("[data-errors-for]").forEach((node) => { node.textContent = ""; });
    form.querySelectorAll("[aria-invalid], .is-invalid").forEach((field) => {
      field.removeAttribute("aria-invalid");
      field.classList.remove("is-invalid");
      if (field.id) describedBy(field, `${field.id}_error`, false);
    });
  }

  // Only fields the person has been in (or that the server already marked) get a
  // message while they fill in: a half-filled new line is not scolded for the fields
  // they have not reached yet. Errors of a whole line or section are always shown.
  function showErrors(form, errors, touched) {
    clearErrors(form);
    let shown = 0;
    for (const [name, messages] of Object.entries(errors)) {
      let field = form.elements.namedItem(name);
      if (field && !field.tagName && field.length) field = field[0];
      if (field && field.tagName && field.type !== "hidden" && field.id) {
        if (!touched.has(name)) continue;
        shown += 1;
        const box = errorList(messages, "invalid-feedback d-block");
        box.id = `${field.id}_error`;
        field.classList.add("is-invalid");
        field.setAttribute("aria-invalid", "true");
        describedBy(field, box.id, true);
        if (field.type === "checkbox") field.parentNode.appendChild(box);
        else field.insertAdjacentElement("afterend", box);
        continue;
      }
      const section = name.split("-")[0];
      const holder = form.querySelector(`[data-errors-for="${CSS.escape(name)}"]`)
        || form.querySelector(`[data-errors-for="${CSS.escape(section)}-__all__"]`);
      if (holder) {
        holder.appendChild(errorList(messages, "alert alert-danger"));
        shown += 1;
      }
    }
    return shown;
  }

  // -- Totals and what is missing -----------------------------------------------------

  function showTotals(values) {
    for (const [key, value] of Object.entries(values || {})) {
      document.querySelectorAll(`[data-total="${key}"]`).forEach((node) => {
        node.textContent = value;
      });
    }
  }

  // -- The application form -----------------------------------------------------------

  function enhanceApplicationForm(form, t) {
    const status = document.getElementById("save-status");
    const url = form.getAttribute("action") || window.location.pathname;
    let timer = null;
    let dirty = false;
    let saving = null;
    let again = false;
    const touched = new Set(
      Array.from(form.querySelectorAll("[aria-invalid='true'][name]"), (field) => field.name)
    );

    function announce(text) {
      if (status) status.textContent = text;
    }

    function apply(body) {
      for (const [name, id] of Object.entries(body.ids || {})) {
        const input = form.elements.namedItem(name);
        if (input) input.value = id;
      }
      const shown = showErrors(form, body.errors || {}, touched);
      showTotals(body.totals);
      showMissing(body.missing);
      announce(format(shown ? t.saved_with_errors : t.saved, { time: body.saved_at }));
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
        apply(body);
      } catch (error) {
        dirty = true;
        announce(t.not_saved);
      }
    }

    // One request at a time, so the ids of new lines come back before the next save.
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
    form.addEventListener("change", (event) => {
      if (event.target.name) touched.add(event.target.name);
      changed();
    });
    form.addEventListener("focusout", (event) => {
      if (event.target.name) touched.add(event.target.name);
      if (dirty) save();
    });
    // "Lagre" and the other buttons post the whole form; let a background save finish
    // first, so the two do not cross on the server.
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

    form.querySelectorAll("[data-formset]").forEach((part) => enhancePart(form, part, t, {
      announce,
      removed() { dirty = true; save(); },
    }));
  }

  function enhancePart(form, part, t, hooks) {
    const prefix = part.dataset.formset;
    const max = parseInt(part.dataset.maxLines, 10);
    const lines = part.querySelector("[data-lines]");
    const template = part.querySelector("template[data-empty-line]");
    const addButton = part.querySelector("[data-add-line]");
    const limitNote = part.querySelector("[data-limit-note]");
    const total = form.elements.namedItem(`${prefix}-TOTAL_FORMS`);

    function visibleLines() {
      return lines.querySelectorAll("[data-line]:not([hidden])").length;
    }

    function updateLimit() {
      if (!addButton) return;
      const full = visibleLines() >= max;
      addButton.hidden = full;
      if (limitNote) limitNote.hidden = !full;
    }

    function enhanceLine(line) {
      const box = line.querySelector("[data-delete]");
      if (!box) return;
      const checkbox = box.querySelector("input[type=checkbox]");
      const legend = line.querySelector("legend");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-outline-danger btn-sm";
      button.textContent = t.remove_line;
      const context = document.createElement("span");
      context.className = "visually-hidden";
      context.textContent = legend ? ` (${legend.textContent.trim()})` : "";
      button.appendChild(context);
      button.addEventListener("click", () => {
        checkbox.checked = true;
        line.hidden = true;
        updateLimit();
        hooks.announce(t.line_removed);
        (addButton && !addButton.hidden ? addButton : part).focus();
        hooks.removed();
      });
      box.hidden = true;
      box.insertAdjacentElement("afterend", button);
      if (checkbox.checked) line.hidden = true;
    }

    lines.querySelectorAll("[data-line]").forEach(enhanceLine);
    updateLimit();
    if (!addButton || !template || !total) return;

    addButton.addEventListener("click", (event) => {
      event.preventDefault();
      if (visibleLines() >= max) return;
      const index = parseInt(total.value, 10);
      const holder = document.createElement("div");
      holder.innerHTML = template.innerHTML
        .replace(/__prefix__/g, String(index))
        .replace(/__number__/g, String(index + 1));
      const line = holder.querySelector("[data-line]");
      lines.appendChild(line);
      total.value = String(index + 1);
      enhanceLine(line);
      updateLimit();
      hooks.announce(t.line_added);
      const first = line.querySelector("input:not([type=hidden]), select, textarea");
      if (first) first.focus();
    });
  }

  // -- The receipt's PDF copy -----------------------------------------------------------

  function start() {
    const form = document.querySelector("form[data-autosave]");
    if (form) enhanceApplicationForm(form, texts());
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
