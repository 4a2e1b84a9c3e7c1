"""A line of the form is written out by applications.line_fields.line_html rather than by
including applications/includes/line_form.html once a line: character for character what
that template makes of it, for stored lines, typed lines with errors, the empty line the
page clones, and in each language."""

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from applications.forms import PART_FORMS
from tests.applications.factories import complete_application
from tests.applications.test_line_fields import _formsets


def _template(formset, form, index):
    return render_to_string("applications/includes/line_form.html", {
        "formset": formset, "form": form,
        "index": "__prefix__" if index is None else index,
        "number": "__number__" if index is None else index + 1,
    })


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
@pytest.mark.parametrize("section", list(PART_FORMS))
def test_a_line_is_what_the_line_template_made_of_it(trondheim, open_round, section, language):
    application = complete_application(organisation=trondheim, round=open_round)
    compared = 0
    with translation.override(language):
        for formset in _formsets(application, section):
            for index, form in [*enumerate(formset.forms), (None, formset.empty_form)]:
                assert form.line_html() == _template(formset, form, index)
                compared += 1
    assert compared >= 4


def test_the_line_html_carries_its_errors_and_its_number(trondheim, open_round):
    application = complete_application(organisation=trondheim, round=open_round)
    stored, typed = _formsets(application, "competence")

    html = typed.forms[0].line_html()

    assert 'id="competence-line-0"' in html and "Kompetansetiltak 1</legend>" in html
    assert 'aria-invalid="true"' in html
    assert 'id="competence-line-__prefix__"' in stored.empty_form.line_html()
