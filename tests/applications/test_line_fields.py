"""The lines' inputs are written out by applications.line_fields rather than by Django's
widget templates: character for character what Django renders, stored, typed with errors,
and for the hidden copies of a project on another page."""

from pathlib import Path

import pytest
from django.forms.models import model_to_dict
from django.template import Context, Template
from django.utils import translation
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from applications import line_fields
from applications.forms import PART_FORMS, line_formset
from applications.models import PROJECT_CRITERIA
from tests.applications.factories import complete_application

WRONG = {
    "competence": {"education_type": "nonsense", "employees": "x", "amount": "abc",
                   "description": 'Kurs <b>"for alle"</b> & mer', "is_mental_health": "on"},
    "bpa": {"role": "", "persons": "-1", "amount": "1 000 000 000"},
    "projects": {"title": "", "topic": "self_management", "amount": "abc",
                 PROJECT_CRITERIA[0][0]: "Kort <svar>"},
}


def _formsets(application, section):
    formset_class, form_class = PART_FORMS[section]
    lines = list(getattr(application, {"competence": "competence_lines", "bpa": "bpa_lines",
                                       "projects": "projects"}[section]).all())
    stored = line_formset(formset_class, form_class, 1)(initial=[
        {"id": line.pk, **model_to_dict(line, fields=form_class._meta.fields)}
        for line in lines])
    data = {f"{section}-TOTAL_FORMS": "1", f"{section}-INITIAL_FORMS": "0",
            **{f"{section}-0-{name}": value for name, value in WRONG[section].items()}}
    typed = line_formset(formset_class, form_class, 0)(data)
    assert not typed.is_valid()
    return [stored, typed]


@pytest.mark.parametrize("section", list(PART_FORMS))
def test_each_input_is_what_djangos_widget_renders(trondheim, open_round, section):
    application = complete_application(organisation=trondheim, round=open_round)
    compared = 0
    for formset in _formsets(application, section):
        for form in [*formset.forms, formset.empty_form]:
            for cell in form.cells():
                field = form[cell.id.removeprefix(f"id_{form.prefix}-")]
                css = field.field.widget.attrs["class"]
                expected = field.as_widget(attrs={"class": f"{css} is-invalid"}
                                           if field.errors else None)
                assert cell.widget == expected
                compared += 1
            assert form.id_input() == str(form["id"])
            assert form.delete_input() == str(form["DELETE"])
            assert form.hidden_inputs() == "".join(field.as_hidden() for field in form)
    invalid = [cell for cell in _formsets(application, section)[1].forms[0].cells()
               if cell.errors]
    assert compared > 0
    assert invalid and all('aria-invalid="true"' in cell.widget and "is-invalid" in cell.widget
                           for cell in invalid)


#: The template line_fields.fields_html replaced (it was a fifth of the competence step):
#: crispy's markup of the header's fields, a cell at a time.
CELLS_TEMPLATE = (Path(__file__).parent / "line_cells_template.html").read_text()


@pytest.mark.parametrize("section", list(PART_FORMS))
def test_the_cells_are_what_the_template_made_of_them(trondheim, open_round, section):
    application = complete_application(organisation=trondheim, round=open_round)
    template = Template(CELLS_TEMPLATE)
    forms = [form for formset in _formsets(application, section)
             for form in [*formset.forms, formset.empty_form]]
    for form in forms:
        assert form.fields_html() == template.render(Context({"form": form})).removeprefix(
            form.id_input())
    assert any(cell.errors for form in forms for cell in form.cells())
    assert any(cell.help_text for form in forms for cell in form.cells())


def test_a_line_is_laid_out_in_the_rows_of_its_layout(trondheim, open_round):
    application = complete_application(organisation=trondheim, round=open_round)
    form = _formsets(application, "competence")[0].forms[0]

    cells = form.cells()

    assert [(c.id, c.column, c.row_start, c.row_end) for c in cells[:4]] == [
        ("id_competence-0-education_type", "col-md-6", True, False),
        ("id_competence-0-employees", "col-md-3", False, False),
        ("id_competence-0-amount", "col-md-3", False, True),
        ("id_competence-0-description", "", False, False),
    ]
    assert [c.checkbox for c in cells] == [False] * 4 + [True] * 3
    assert line_fields.input_class(form.fields["education_type"].widget) == "select form-select"


def test_the_remembered_translations_follow_the_language(trondheim, open_round):
    application = complete_application(organisation=trondheim, round=open_round)
    labels = {}
    for language in ("nb", "en", "nn", "nb"):
        with translation.override(language):
            form = _formsets(application, "competence")[0].forms[0]
            field = form["education_type"]
            cell = form.cells()[0]
            assert cell.label == str(field.label)
            assert cell.widget == field.as_widget(attrs={"class": "select form-select"})
            labels[language] = cell.label

    assert labels["nb"] == "Utdanningstype"
    assert labels["en"] != labels["nb"]


def test_escape_is_djangos_conditional_escape():
    texts = ["", "plain", 'a & b < c > d "e" \'f\'', "&amp; already", "æøå «x» –\n\t",
             "".join(chr(n) for n in range(0, 400)), 12, None, mark_safe("<b>safe</b>")]
    for text in texts:
        assert line_fields.escape(text) == conditional_escape(text)
