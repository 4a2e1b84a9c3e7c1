"""The admin's autocomplete select (`autocomplete_fields`) in nynorsk too.

Django gives select2 the language select2 ships a file for (SELECT2_TRANSLATIONS in
django/contrib/admin/widgets.py); select2 has no nynorsk, so in nynorsk the select said
lang="None" and select2 spoke English. The project's nynorsk file is
static/admin/js/vendor/select2/i18n/nn.js, beside Django's, and these widgets name it:
Django's own, with the language looked up in our table when Django's has none. An admin
with `autocomplete_fields` takes them through Select2Languages (the widget is the one
Django's formfield_for_foreignkey/manytomany would make, made first)."""

from django.contrib.admin import widgets
from django.utils.translation import get_language

#: Django's language code → the select2 i18n file of ours (static/admin/js/vendor/select2/i18n/).
OURS = {"nn": "nn"}


def select2_language() -> str | None:
    return widgets.get_select2_language() or OURS.get(get_language())


class _OurLanguages:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.i18n_name = select2_language()  # read by build_attrs ("lang") and media


class AutocompleteSelect(_OurLanguages, widgets.AutocompleteSelect):
    pass


class AutocompleteSelectMultiple(_OurLanguages, widgets.AutocompleteSelectMultiple):
    pass


class Select2Languages:
    """A ModelAdmin or inline mixin: its autocomplete fields get the widgets above."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = AutocompleteSelect(db_field, self.admin_site,
                                                  using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = AutocompleteSelectMultiple(db_field, self.admin_site,
                                                          using=kwargs.get("using"))
        return super().formfield_for_manytomany(db_field, request, **kwargs)
