/* The application form, improved. The page works without this file: it has explicit
   "Lagre" and "Legg til" buttons and "Fjern linje" checkboxes. With it the form saves
   itself (after 1.5 s without typing, and when a field loses focus) and says when it
   last saved; field errors appear next to the fields; lines are added from a <template>
   and removed with a button. Shared helpers come from portal.js (window.Tilskudd). */
(function () {
  "use strict";

  const { texts, format, describedBy, errorList, showMissing, autosave } = window.Tilskudd;

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
    const touched = new Set(
      Array.from(form.querySelectorAll("[aria-invalid='true'][name]"), (field) => field.name)
    );
    const saver = autosave(form, t, {
      touched: (name) => touched.add(name),
      apply(body, announce) {
        for (const [name, id] of Object.entries(body.ids || {})) {
          const input = form.elements.namedItem(name);
          if (input) input.value = id;
        }
        const version = form.elements.namedItem("version");
        if (version && body.version) version.value = body.version;
        const shown = showErrors(form, body.errors || {}, touched);
        showTotals(body.totals);
        showMissing(body.missing);
        // changed in another tab or by someone else: said until the next save
        announce(body.notice
          || format(shown ? t.saved_with_errors : t.saved, { time: body.saved_at }));
      },
    });

    form.querySelectorAll("[data-formset]").forEach((part) => enhancePart(form, part, t, {
      announce: saver.announce,
      removed() { saver.saveNow(); },
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
