"""What a user reads that is stored as data, in bokmål, nynorsk and English (språklova).

django-modeltranslation adds `name_nb`, `name_nn`, `name_en` (and the same for
`rules_text`) beside each field; `scheme.name` then reads the active language's value
(a page's, or a letter's, activated while it renders) and falls back to bokmål when
that one is empty. Office names are proper nouns and stay as they are.
"""

from modeltranslation.translator import TranslationOptions, register

from .models import Scheme


@register(Scheme)
class SchemeTranslationOptions(TranslationOptions):
    fields = ("name", "rules_text")
    #: bokmål is the one every other language falls back to
    required_languages = ("nb",)
