"""The form in steps: each step's state from what is stored, and each step page saving
its own section without JavaScript."""

from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from applications import services, steps
from applications.models import Application
from tests.applications.conftest import complete_header
from tests.applications.factories import ProjectFactory
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


# --- Tjenesteutvikling: one page per project ------------------------------------------

class _FormFields(HTMLParser):
    """What a browser posts from #application-form: every named input, select (its
    selected option) and textarea, hidden ones included."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, str] = {}
        self._in_form = False
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._in_form = attrs.get("id") == "application-form"
        if not self._in_form or "name" not in attrs and tag != "option":
            return
        if tag == "input" and attrs.get("type") not in ("submit", "checkbox") or (
                tag == "input" and attrs.get("type") == "checkbox" and "checked" in attrs):
            default = "on" if attrs.get("type") == "checkbox" else ""
            self.data[attrs["name"]] = attrs.get("value") or default
        elif tag == "select":
            self._select = attrs["name"]
        elif tag == "option" and self._select and "selected" in attrs:
            self.data[self._select] = attrs.get("value", "")
        elif tag == "textarea":
            self._textarea = attrs["name"]
            self.data[self._textarea] = ""

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False
        if tag == "select":
            self._select = None
        if tag == "textarea":
            self._textarea = None


def posted_from(html: str) -> dict[str, str]:
    parser = _FormFields()
    parser.feed(html)
    return {key: value.removeprefix("\n") for key, value in parser.data.items()}


@pytest.fixture
def two_projects(draft):
    ProjectFactory(application=draft, title="Pårørendeskole")
    return draft


def test_each_project_has_a_page_of_its_own(two_projects):
    found = steps.application_steps(fresh(two_projects))

    assert [(s.key, str(s.title)) for s in found[3:5]] == [
        ("tjenesteutvikling", "Tjenesteutvikling: prosjekt 1"),
        ("tjenesteutvikling-2", "Tjenesteutvikling: prosjekt 2"),
    ]
    assert [s.key for s in steps.application_steps(fresh(two_projects), add=True)][5] \
        == "tjenesteutvikling-3"


def test_a_project_page_shows_its_project_and_carries_the_others_unseen(
    editor_client, two_projects
):
    html = editor_client.get(step_url(two_projects, "tjenesteutvikling-2")).content.decode()

    assert 'id="projects-line-1"' in html
    assert 'id="projects-line-0"' not in html
    assert ('<input type="hidden" name="projects-0-title" '
            'value="Velferdsteknologi i hjemmetjenesten"') in html
    assert "Forrige: Tjenesteutvikling: prosjekt 1" in html
    assert 'value="step:vedlegg"' in html


def test_saving_a_project_page_without_javascript_keeps_the_other_project(
    editor_client, two_projects
):
    first, second = two_projects.projects.all()
    before = (first.title, first.amount, first.evaluation)
    data = posted_from(
        editor_client.get(step_url(two_projects, "tjenesteutvikling-2")).content.decode())
    data.update({"projects-1-title": "Pårørendeskole i fire bydeler", "action": "save"})

    response = editor_client.post(step_url(two_projects, "tjenesteutvikling-2"), data)

    assert response["Location"] == step_url(two_projects, "tjenesteutvikling-2")
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.title, first.amount, first.evaluation) == before
    assert second.title == "Pårørendeskole i fire bydeler"
    assert fresh(two_projects).draft_input == {}


def test_legg_til_prosjekt_opens_the_new_project_on_its_own_page(editor_client, draft):
    data = posted_from(
        editor_client.get(step_url(draft, "tjenesteutvikling")).content.decode())
    data["action"] = "add-projects"

    response = editor_client.post(step_url(draft, "tjenesteutvikling"), data, follow=True)

    html = response.content.decode()
    assert response.redirect_chain[0][0] == (
        step_url(draft, "tjenesteutvikling-2") + "?ny=projects#section-projects")
    assert 'id="projects-line-1"' in html
    assert 'id="projects-line-0"' not in html
    assert draft.projects.count() == 1  # nothing is stored until it is filled in


def test_a_problem_in_the_second_project_marks_and_links_its_own_page(two_projects):
    second = two_projects.projects.all()[1]
    second.evaluation = "Kort"
    second.save()

    found = states(two_projects)
    links = [m["href"] for m in steps.missing(fresh(two_projects))]

    assert (found["tjenesteutvikling"], found["tjenesteutvikling-2"]) == ("done", "started")
    assert step_url(two_projects, "tjenesteutvikling-2") + "#id_projects-1-evaluation" in links
