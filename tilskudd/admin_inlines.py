"""The project's tabular inline: Django's, with each field's input named by its column.

Django's tabular inline shows the fields' labels as the table's column headings (<th>),
which name no input, so a select, text input or «Slett?» checkbox in a row has no name of
its own (axe's rules "select-name" and "label": the user's memberships' role and delete
box). Each visible field of each row here gets its label as aria-label, the heading's own
words. A split date and time is left to tilskudd.form_rendering, which names its two
inputs each."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.forms.utils import pretty_name


def name_by_label(form: forms.BaseForm) -> None:
    """Each visible field's widget named by the field's label, on the form's own copy of
    it. A RelatedFieldWidgetWrapper's copy keeps as its `attrs` the class-level inner
    widget's (RelatedFieldWidgetWrapper.__deepcopy__), so the name goes on the inner
    widget's copy, which is the one rendered: written to the wrapper's, it would land in
    the form class's base_fields, for every form made after this one but not this one."""
    for name, field in form.fields.items():
        widget = getattr(field.widget, "widget", field.widget)  # RelatedFieldWidgetWrapper
        if field.widget.is_hidden or isinstance(widget, forms.MultiWidget):
            continue
        widget.attrs.setdefault("aria-label", str(field.label or pretty_name(name)))


class TabularInline(admin.TabularInline):
    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)

        class NamedFormSet(formset):
            def add_fields(self, form, index):
                super().add_fields(form, index)  # the «Slett?» box is added here
                name_by_label(form)

        NamedFormSet.__name__ = formset.__name__
        return NamedFormSet
