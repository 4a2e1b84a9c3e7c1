"""Input kept from a section that did not validate is capped: megabytes of junk are not
stored, the valid sections are still saved, and the page still shows what was kept
with its error."""

import pytest

from applications import services
from applications.kept_input import MAX_KEPT_INPUT_CHARS, MAX_KEPT_VALUE_CHARS
from applications.models import Application
from tests.applications.test_views import COMPETENCE, HEADER, edit_url, field_errors, form_data

pytestmark = pytest.mark.django_db


def _kept(application: Application) -> dict:
    return Application.objects.get(pk=application.pk).draft_input


def _chars(kept: dict) -> int:
    return sum(len(name) + sum(map(len, values))
               for fields in kept.values() for name, values in fields.items())


def test_a_long_value_is_kept_cut_to_a_little_more_than_the_longest_field(draft, editor):
    services.application_keep_input(
        application=draft, user=editor, section="competence",
        raw={"competence-TOTAL_FORMS": ["1"], "competence-0-description": ["x" * 10_000_000]})

    assert _kept(draft) == {"competence": {
        "competence-TOTAL_FORMS": ["1"],
        "competence-0-description": ["x" * MAX_KEPT_VALUE_CHARS]}}
    assert MAX_KEPT_VALUE_CHARS == 6000


def test_many_fields_are_kept_up_to_the_cap_with_the_management_form_first(draft, editor):
    raw = {f"projects-{n}-needs": ["y" * 6000] for n in range(1000)}  # 6 MB
    raw["projects-TOTAL_FORMS"] = ["1000"]

    services.application_keep_input(application=draft, user=editor, section="projects",
                                    raw=raw)

    kept = _kept(draft)["projects"]  # (jsonb keeps no order: compared as a set)
    # the management form, though posted last, and the first 66 answers of 6 000 characters
    assert set(kept) == {"projects-TOTAL_FORMS", *(f"projects-{n}-needs" for n in range(66))}
    assert MAX_KEPT_INPUT_CHARS - 6100 < _chars({"projects": kept}) <= MAX_KEPT_INPUT_CHARS


def test_the_cap_is_for_all_sections_together(draft, editor):
    services.application_keep_input(
        application=draft, user=editor, section="projects",
        raw={f"projects-{n}-needs": ["y" * 6000] for n in range(65)})

    services.application_keep_input(
        application=draft, user=editor, section="header",
        raw={"header-purpose": ["z" * 6000], "header-control_measures": ["z" * 6000]})

    kept = _kept(draft)
    assert len(kept["projects"]) == 65
    assert kept["header"] == {"header-purpose": ["z" * 6000]}  # no room for the next field
    assert _chars(kept) <= MAX_KEPT_INPUT_CHARS


def test_a_section_kept_again_replaces_its_own_earlier_input_in_the_count(draft, editor):
    for _attempt in range(3):
        services.application_keep_input(
            application=draft, user=editor, section="projects",
            raw={f"projects-{n}-needs": ["y" * 6000] for n in range(65)})

    assert len(_kept(draft)["projects"]) == 65


def test_nul_is_left_out_of_kept_input(draft, editor):
    # PostgreSQL's jsonb cannot hold \u0000: keeping it would be a server error
    services.application_keep_input(
        application=draft, user=editor, section="competence",
        raw={"competence-0-descr\x00iption": ["Hei\x00 du"]})

    assert _kept(draft) == {"competence": {"competence-0-description": ["Hei du"]}}


def test_megabytes_posted_in_a_field_are_not_kept_and_the_rest_is_saved(client, editor, draft):
    client.force_login(editor)
    line = draft.competence_lines.get()
    junk = "Å" * 4_500_000  # 9 MB, under DATA_UPLOAD_MAX_MEMORY_SIZE

    response = client.post(edit_url(draft), form_data(
        draft, header={**HEADER, "contact_name": "Nina Ny"},
        competence=[{"id": line.pk, **COMPETENCE, "description": junk}],
    ))

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.contact_name == "Nina Ny"  # the valid header was saved
    assert draft.competence_lines.get().description == "Videreutdanning i psykisk helsearbeid"
    assert draft.draft_input["competence"]["competence-0-description"] == ["Å" * 6000]
    assert _chars(draft.draft_input) < 10_000
    page = client.get(edit_url(draft), follow=True).content.decode()
    assert field_errors(page, "id_competence-0-description") == [
        "Sørg for at denne verdien har 300 eller færre tegn (den har nå 6000)."]
    assert f'value="{"Å" * 6000}"' in page
