"use strict";
// Names for what Django's admin scripts make without one (axe finds them on every form
// that has them). SelectFilter2.js (filter_horizontal: a user's groups, a group's
// permissions) puts its hint in a <span aria-label> with no role, where aria-label is
// not allowed ("aria-prohibited-attr"): it becomes an image with that name. select2 (the
// autocomplete_fields) names its combobox by the chosen option alone, so an empty one
// has no name ("aria-input-field-name"): it is named by its field's <label> as well.
// Both scripts build their markup after load and for every inline row added, so the
// page is watched for what they add.
(function () {
  function nameHints(root) {
    root.querySelectorAll(".help-tooltip[aria-label]:not([role])").forEach(function (hint) {
      hint.setAttribute("role", "img");
    });
  }

  function nameComboboxes(root) {
    root.querySelectorAll("select.admin-autocomplete[id]").forEach(function (select) {
      const container = select.nextElementSibling;
      const combobox = container && container.querySelector('[role="combobox"]');
      const label = document.querySelector('label[for="' + CSS.escape(select.id) + '"]');
      if (!combobox || !label) {
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
