"""Which language a text is written in (språklova): the portal's pages follow the reader's
choice (nb, nn, en; `User.language` once signed in), a letter or e-mail to an organisation
follows the organisation's own language form (§15 (2): its `written_language`; neutral or
not known: its office's `default_written_language`), a receipt follows whoever submitted.

`letter_language(organisation)` says which; `written_for(organisation)` renders under it;
`rendered_in(language_of)` makes a whole function (an e-mail, a document) do so."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from .models import Organisation

BOKMAL = "nb"
NYNORSK = "nn"


class WrittenLanguage(models.TextChoices):
    """An organisation's chosen language form (its språkvedtak, språklova §11)."""

    BOKMAL = BOKMAL, _("Bokmål")
    NYNORSK = NYNORSK, _("Nynorsk")
    NEUTRAL = "neutral", _("Nøytral")


class LetterLanguage(models.TextChoices):
    """What an office writes in to an organisation that is neutral or has not said."""

    BOKMAL = BOKMAL, _("Bokmål")
    NYNORSK = NYNORSK, _("Nynorsk")


def letter_language(organisation: Organisation) -> str:
    """"nb" or "nn": the organisation's own form, else its office's default."""
    if organisation.written_language in (BOKMAL, NYNORSK):
        return organisation.written_language
    return organisation.county.office.default_written_language or BOKMAL


def page_language(code: str | None) -> str:
    """A language the portal has (settings.LANGUAGES), else the default."""
    short = (code or "").split("-")[0].lower()
    return short if short in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def active_language() -> str:
    """The portal language now active ("nb", "nn" or "en"): what a submission records."""
    return page_language(translation.get_language())


@contextmanager
def written_for(organisation: Organisation) -> Iterator[str]:
    """Render what is inside in the organisation's language form, whatever the reader's."""
    language = letter_language(organisation)
    with translation.override(language):
        yield language


def rendered_in(language_of: Callable[..., str | None]) -> Callable:
    """Decorate a function that writes a text (an e-mail, a document) so it runs in the
    language `language_of(*args, **kwargs)` names (None or empty: the active one)."""

    def decorate(func: Callable) -> Callable:
        @wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            language = language_of(*args, **kwargs)
            if not language:
                return func(*args, **kwargs)
            with translation.override(page_language(language)):
                return func(*args, **kwargs)

        return wrapper

    return decorate


def in_language_of(organisation_of: Callable[..., Organisation]) -> Callable:
    """`rendered_in` the letter language of `organisation_of(*args, **kwargs)`: for an
    e-mail or letter to an organisation (`@in_language_of(lambda report, *a: report.
    application.organisation)`)."""
    return rendered_in(lambda *args, **kwargs: letter_language(organisation_of(*args, **kwargs)))


#: For a function whose first argument is a submission: in the language it was sent in.
in_submitted_language = rendered_in(lambda submission, *args, **kwargs: submission.language)
