"""The form in steps: each step's state from what is stored, and each step page saving
its own section without JavaScript."""

from decimal import Decimal

import pytest
from django.urls import reverse

from applications import services, steps
from applications.models import Application
from tests.applications.conftest import complete_header
from tests.applications.test_views import BPA, form_data, step_url

pytestmark = pytest.mark.django_db


def fresh(application: Application) -> Application:
    return Application.objects.get(pk=application.pk)


def states(application: Application) -> dict[str, str]:
    application = Application.objects.get(pk=application.pk)
    return {item["step"].key: item["state"]
            for item in steps.step_list(application, steps.SUMMARY)}


def bpa_step_data(application, amount: str) -> dict:
    """What the BPA step posts: only its own section."""
    line = application.bpa_lines.get()
    data = form_data(application, bpa=[{"id": line.pk, **BPA, "amount": amount}])
    return {k: v for k, v in data.items() if k.startswith("bpa-") or k == "action"}


@pytest.fixture
def started(trondheim, open_round, editor):
    return services.application_start(organisation=trondheim, round=open_round, user=editor)


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def test_a_new_application_has_nothing_started(started):
    assert states(started) == {
        "om-soknaden": "not_started", "kompetansetiltak": "not_started",
        "bpa-opplaering": "not_started", "tjenesteutvikling": "not_started",
        "vedlegg": "not_started", "oppsummering": "",
    }
    assert steps.first_unfinished(fresh(started)) == "om-soknaden"


def test_a_half_filled_header_is_started_and_a_full_one_done(started, editor):
    services.application_update(application=started, user=editor,
                                header={"contact_name": "Kari Kontakt"})
    half = states(started)["om-soknaden"]
    services.application_update(application=started, user=editor, header=complete_header())

    assert (half, states(started)["om-soknaden"]) == ("started", "done")
    assert steps.first_unfinished(fresh(started)) == "kompetansetiltak"  # no measure yet


def test_kept_input_that_did_not_validate_is_an_error_and_comes_first(draft, editor):
    services.application_keep_input(application=draft, user=editor, section="bpa",
                                    raw={"bpa-0-amount": ["abc"]})

    assert states(draft)["bpa-opplaering"] == "errors"
    assert steps.first_unfinished(fresh(draft)) == "bpa-opplaering"


def test_a_short_criterion_answer_leaves_the_project_step_started(draft, editor):
    project = draft.projects.get()
    project.evaluation = "Kort"
    project.save()

    assert states(draft)["tjenesteutvikling"] == "started"
    assert steps.first_unfinished(fresh(draft)) == "tjenesteutvikling"


def test_a_complete_draft_goes_to_the_summary(draft):
    assert states(draft) == {
        "om-soknaden": "done", "kompetansetiltak": "done", "bpa-opplaering": "done",
        "tjenesteutvikling": "done", "vedlegg": "not_started", "oppsummering": "",
    }
    assert steps.first_unfinished(fresh(draft)) == "oppsummering"


def test_the_old_edit_url_sends_to_the_first_unfinished_step(editor_client, started):
    response = editor_client.get(reverse("applications:edit", args=[started.pk]))

    assert response["Location"] == step_url(started, "om-soknaden")


def test_a_step_page_shows_only_its_section_and_the_step_list(editor_client, draft):
    html = editor_client.get(step_url(draft, "bpa-opplaering")).content.decode()

    assert 'id="section-bpa"' in html
    assert 'id="section-header"' not in html
    assert 'id="section-competence"' not in html
    assert f'action="{step_url(draft, "bpa-opplaering")}"' in html
    assert f'href="{step_url(draft, "bpa-opplaering")}" aria-current="step"' in html
    assert html.count('class="badge text-bg-success">Fullført</span>') == 4
    assert ('<button type="submit" form="application-form" name="action" '
            'value="step:tjenesteutvikling" class="btn btn-primary">Neste: Tjenesteutvikling'
            '</button>') in html
    assert "Forrige: Kompetansetiltak" in html


def test_a_step_saves_its_section_without_javascript_and_returns_to_the_step(
    editor_client, draft
):
    line = draft.bpa_lines.get()

    response = editor_client.post(step_url(draft, "bpa-opplaering"),
                                  bpa_step_data(draft, "70000"))

    assert response["Location"] == step_url(draft, "bpa-opplaering")
    assert list(draft.bpa_lines.values_list("pk", "amount")) == [(line.pk, Decimal("70000"))]
    draft.refresh_from_db()
    assert draft.contact_name == "Kari Kontakt"  # the other steps are untouched


def test_a_refused_step_save_shows_the_error_on_that_step(editor_client, draft):
    response = editor_client.post(step_url(draft, "bpa-opplaering"),
                                  bpa_step_data(draft, "abc"), follow=True)

    html = response.content.decode()
    assert response.redirect_chain == [(step_url(draft, "bpa-opplaering"), 302)]
    assert 'class="badge text-bg-danger">Har feil</span>' in html
    assert 'href="#id_bpa-0-amount"' in html
    assert list(draft.bpa_lines.values_list("amount", flat=True)) == [Decimal("60000")]


def test_the_summary_links_each_problem_to_its_field_on_its_step(editor_client, draft):
    Application.objects.filter(pk=draft.pk).update(contact_name="")

    html = editor_client.get(step_url(draft, "oppsummering")).content.decode()

    assert (f'<a href="{step_url(draft, "om-soknaden")}#id_header-contact_name">'
            "Kontaktperson må fylles ut.</a>") in html
    assert reverse("applications:preview", args=[draft.pk]) in html


def test_an_unknown_step_is_404(editor_client, draft):
    assert editor_client.get(step_url(draft, "finnes-ikke")).status_code == 404


def test_neste_saves_the_step_without_javascript_and_opens_the_next(editor_client, draft):
    data = {**bpa_step_data(draft, "70000"), "action": "step:tjenesteutvikling"}

    response = editor_client.post(step_url(draft, "bpa-opplaering"), data)

    assert response["Location"] == step_url(draft, "tjenesteutvikling")
    assert list(draft.bpa_lines.values_list("amount", flat=True)) == [Decimal("70000")]
