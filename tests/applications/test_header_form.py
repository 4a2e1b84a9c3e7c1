"""The header's form is written out by applications.header_form.form_html rather than by
{% crispy %}: character for character what crispy renders with the form's helper, stored,
typed with errors (the form's own too), with a carried-over amount, with required fields,
in each language."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from crispy_forms.utils import render_crispy_form
from django.http import QueryDict
from django.utils import translation

from applications.header_form import HeaderForm
from tilskudd.carryover import Carryover

LANGUAGES = ["nb", "nn", "en"]


def _stored():
    return HeaderForm(prefix="header", initial={
        "contact_name": 'Kari <b>"K"</b> & co', "own_financing": Decimal(5000),
        "purpose": "Første linje\nAndre <linje>", "has_leve_hele_livet_plan": True})


def _carried_over():
    return HeaderForm(prefix="header", carryover=Carryover(
        amount=Decimal(12000), from_round="2025", decided_at=datetime(2026, 1, 2, tzinfo=UTC),
        decided_by="Saksbehandler"))


def _typed_wrong():
    data = QueryDict(mutable=True)
    data.update({"header-contact_email": "ikke-e-post", "header-own_financing": "-1",
                 "header-other_financing": "abc", "header-purpose": "<skript>",
                 "header-has_leve_hele_livet_plan": "on"})
    form = HeaderForm(data, prefix="header")
    assert not form.is_valid()
    form.add_error("has_leve_hele_livet_plan", "Kryss & forklar")
    form.add_error("purpose", "Én feil")
    form.add_error("purpose", "En annen <feil>")
    form.add_error(None, "Hele skjemaet <b>")
    form.add_error(None, "Og en til")
    return form


def _required():
    form = HeaderForm(prefix="header")
    for name in ("contact_name", "purpose", "transferred_funds", "has_leve_hele_livet_plan"):
        form.fields[name].required = True
    return form


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("make", [_stored, _carried_over, _typed_wrong, _required])
def test_the_header_is_what_crispy_renders_with_its_helper(language, make):
    with translation.override(language):
        written, rendered = make().html(), render_crispy_form(make())

    assert written == rendered


def test_the_compared_forms_show_what_the_markup_must_carry():
    with translation.override("nb"):
        wrong, carried, required = (_typed_wrong().html(), _carried_over().html(),
                                    _required().html())

    assert wrong.count('class="invalid-feedback"') == 5
    assert 'aria-invalid="true"' in wrong and "is-invalid" in wrong
    assert "<li>Hele skjemaet &lt;b&gt;</li>\n\t<li>Og en til</li>" in wrong
    assert "En annen &lt;feil&gt;" in wrong and "&lt;skript&gt;" in wrong
    assert 'value="12\xa0000"' in carried and " disabled " in carried
    assert required.count('<span class="asteriskField">*</span>') == 4


def _layout_names(layout):
    for item in layout:
        if isinstance(item, str):
            yield item
        elif isinstance(item, tuple) and len(item) == 2 and all(isinstance(i, str) for i in item):
            yield item[0]  # (field, column class)
        else:
            yield from _layout_names(item)


def test_the_layout_writes_every_field_the_form_saves():
    """A field of the form left out of the layout would be missing from crispy's output too
    (the helper is built from the same layout), and saved empty over what is stored."""
    from applications.services import HEADER_FIELDS

    names = list(_layout_names(HeaderForm.layout))
    assert len(names) == len(set(names))
    assert set(names) == set(HeaderForm.base_fields) == set(HEADER_FIELDS)
