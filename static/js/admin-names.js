"use strict";
// Names for what Django's admin scripts make without one (axe finds them on every form
// that has them). SelectFilter2.js (filter_horizontal: a user's groups, a group's
// permissions) puts its hint in a <span aria-label> with no role, where aria-label is
// not allowed ("aria-prohibited-attr"): it becomes an image with that name. select2 (the
// autocomplete_fields) names its combobox by the chosen option alone, so an empty one
// has no name ("aria-input-field-name"): it is named by its field's <label> as well, or,
// in a tabular inline's row, which has none, by the select's aria-label.
// Both scripts build their markup after load and for every inline row added, so the
// page is watched for what they add.
(function () {
  function nameHints(root) {
    root.querySelectorAll(".help-tooltip[aria-label]:not([role])").forEach(function (hint) {
      hint.setAttribute("role", "img");
    });
  }

  // A tabular inline's row has no <label>, only its column's heading; its select is named
  // by aria-label (tilskudd/admin_inlines.py). The combobox is named by aria-labelledby
  // (the chosen option), which an aria-label beside it would not be read with, so the
  // select's name is put in a hidden element for aria-labelledby to name first, as a
  // <label> is. None for a select without a name: nothing to copy.
  function nameOfRow(select) {
    const text = select.getAttribute("aria-label");
    if (!text) {
      return null;
    }
    const id = select.id + "_label";
    let name = document.getElementById(id);
    if (!name) {
      name = document.createElement("span");
      name.id = id;
      name.hidden = true;
      name.textContent = text;
      select.parentNode.appendChild(name);
    }
    return name;
  }

  function nameComboboxes(root) {
    root.querySelectorAll("select.admin-autocomplete[id]").forEach(function (select) {
      const container = select.nextElementSibling;
      const combobox = container && container.querySelector('[role="combobox"]');
      if (!combobox) {
        return;
      }
      const label = document.querySelector('label[for="' + CSS.escape(select.id) + '"]') ||
        nameOfRow(select);
      if (!label) {
        return;
      }
      if (!label.id) {
        label.id = select.id + "_label";
      }
      const ids = (combobox.getAttribute("aria-labelledby") || "").split(/\s+/).filter(Boolean);
      if (!ids.includes(label.id)) {
        combobox.setAttribute("aria-labelledby", [label.id].concat(ids).join(" "));
      }
      // The chosen option's text, which select2 4.0 calls a read-only textbox of its own
      // (nameless when nothing is chosen); select2 4.1 dropped the role, as here.
      combobox.querySelectorAll('.select2-selection__rendered[role="textbox"]').forEach(
        function (rendered) {
          rendered.removeAttribute("role");
          rendered.removeAttribute("aria-readonly");
        });
    });
  }

  function nameAll() {
    nameHints(document);
    nameComboboxes(document);
  }

  new MutationObserver(nameAll).observe(document.documentElement, {childList: true, subtree: true});
  document.addEventListener("DOMContentLoaded", nameAll);
})();
