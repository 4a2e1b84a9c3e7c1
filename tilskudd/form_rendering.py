"""The project's form renderer (settings.FORM_RENDERER): Django's, with a BoundField that
names each input of a split date and time by the field it belongs to.

Django's admin gives every DateTimeField two inputs (AdminSplitDateTime) and shows the
field's label without for= (MultiWidget.id_for_label is empty) and "Dato:"/"Tid:" as bare
text beside them, so neither input has a name of its own (axe's rule "label", critical):
the round's five deadlines were ten unnamed inputs. Here the date input is named
"Åpner, dato" and the time input "Åpner, tid", the words Django shows beside them, for
every split date and time of every form (every ModelAdmin and inline, and any form
outside the admin), with no ModelAdmin having to ask for it."""

from __future__ import annotations

import copy

from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.translation import gettext as _


def split_datetime_names(label) -> tuple[str, str]:
    """The names of a split date and time's two inputs, for the field labelled so."""
    return (_("%(field)s, dato") % {"field": label}, _("%(field)s, tid") % {"field": label})


class BoundField(forms.BoundField):
    def as_widget(self, widget=None, attrs=None, only_initial=False):
        widget = widget or self.field.widget
        if isinstance(widget, forms.SplitDateTimeWidget):
            # A copy: the field's widget is shared by the form class's instances.
            widget = copy.deepcopy(widget)
            for part, name in zip(widget.widgets, split_datetime_names(self.label), strict=True):
                part.attrs.setdefault("aria-label", name)
        return super().as_widget(widget, attrs, only_initial)


class FormRenderer(DjangoTemplates):
    bound_field_class = BoundField
