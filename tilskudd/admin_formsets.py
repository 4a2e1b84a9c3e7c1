"""What an admin inline formset would save, for admins that save it through services."""

from __future__ import annotations

from django.forms import BaseFormSet, Form


def formset_changes(formset: BaseFormSet) -> tuple[list[Form], list[Form], list[Form]]:
    """The (new, changed, deleted) forms of a validated inline formset, recorded on the
    formset as Django's own `save()` does, so the admin's history message still says
    what changed."""
    new, changed, deleted = [], [], []
    for form in formset.initial_forms:
        if formset.can_delete and formset._should_delete_form(form):
            deleted.append(form)
        elif form.has_changed():
            changed.append(form)
    for form in formset.extra_forms:
        if form.has_changed() and not (formset.can_delete and formset._should_delete_form(form)):
            new.append(form)
    formset.new_objects = [form.instance for form in new]
    formset.changed_objects = [(form.instance, form.changed_data) for form in changed]
    formset.deleted_objects = [form.instance for form in deleted]
    return new, changed, deleted
