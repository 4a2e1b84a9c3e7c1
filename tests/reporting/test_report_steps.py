"""The report form in steps (reporting.steps on tilskudd.steps): which steps a report has
(one page per project), each step's state from what is stored, each step saving only
what it holds with and without JavaScript, and the summary linking every problem to its
field on its step."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from reporting import rules, steps
from reporting.models import Report, UnusedChoice

from .helpers import attach_required, fill, granted, project

pytestmark = pytest.mark.django_db

FETCH = {"HTTP_X_REQUESTED_WITH": "fetch"}


def step_url(report, key: str) -> str:
    return reverse("reporting:step", args=[report.pk, key])


def states(report) -> dict[str, str]:
    fresh = Report.objects.get(pk=report.pk)
    found = steps.report_steps(fresh)
    return steps.states(fresh, found, rules.check_report(fresh))


@pytest.fixture
def project_report(trondheim, grant_round, budget, signatory, caseworker, approver):
    """A report on a grant of one competence line and two projects (no BPA)."""
    from reporting import services

    application = granted(
        trondheim, grant_round, signatory, caseworker, approver,
        projects=[project(title="Velferdsteknologi"), project(title="Pårørendeskole")],
    )
    return services.report_open(application=application, user=signatory)


@pytest.fixture
def signatory_client(client, signatory):
    client.force_login(signatory)
    return client


def test_a_report_has_a_step_per_granted_part_and_one_page_per_project(project_report):
    found = steps.report_steps(project_report)

    assert [(s.key, str(s.title)) for s in found] == [
        ("om-rapporten", "Om rapporten"),
        ("kompetansetiltak", "Kompetansetiltak"),
        ("tjenesteutvikling-1", "Tjenesteutvikling: Velferdsteknologi"),
        ("tjenesteutvikling-2", "Tjenesteutvikling: Pårørendeskole"),
        ("ubrukte-midler", "Regnskap og ubrukte midler"),
        ("vedlegg", "Vedlegg"),
        ("oppsummering", "Oppsummering og innsending"),
    ]
    assert [s.item for s in found[2:4]] == list(
        project_report.projects.values_list("pk", flat=True))


def test_a_new_report_has_nothing_started_and_opens_on_its_first_step(
    signatory_client, report
):
    assert states(report) == {
        "om-rapporten": "not_started", "kompetansetiltak": "not_started",
        "bpa-opplaering": "not_started", "ubrukte-midler": "not_started",
        "vedlegg": "not_started",
    }
    response = signatory_client.get(reverse("reporting:edit", args=[report.pk]))

    assert response["Location"] == step_url(report, "om-rapporten")


def test_a_filled_report_is_done_everywhere_and_opens_on_the_summary(
    signatory_client, report, signatory
):
    fill(report, signatory)
    attach_required(report, signatory)

    assert set(states(report).values()) == {"done"}
    assert signatory_client.get(reverse("reporting:edit", args=[report.pk]))["Location"] \
        == step_url(report, "oppsummering")


def test_a_half_filled_line_leaves_its_step_started_and_overspending_is_an_error(
    report, signatory
):
    from reporting import services

    line = report.bpa_lines.get()
    services.report_update(report=report, user=signatory,
                           bpa=[{"id": line.pk, "trained": 2}])
    half = states(report)["bpa-opplaering"]
    services.report_update(report=report, user=signatory,
                           bpa=[{"id": line.pk, "amount_used": Decimal("900000")}])

    assert (half, states(report)["ubrukte-midler"]) == ("started", "errors")


def test_a_step_saves_only_its_own_header_fields_without_javascript(
    signatory_client, report, signatory
):
    fill(report, signatory, used=lambda line: line.granted / 2,
         unused_choice=UnusedChoice.TRANSFER, transfer_reason="Kurset er flyttet.")

    response = signatory_client.post(step_url(report, "om-rapporten"), {
        "header-text_report": "En ny tekstrapport om hva tilskuddet har gitt.",
        "action": "save",
    })

    assert response["Location"] == step_url(report, "om-rapporten")
    report.refresh_from_db()
    assert report.text_report == "En ny tekstrapport om hva tilskuddet har gitt."
    assert (report.unused_choice, report.transfer_reason) == (
        UnusedChoice.TRANSFER, "Kurset er flyttet.")  # the other step's fields untouched


def test_neste_saves_the_step_and_opens_the_next(signatory_client, report):
    line = report.bpa_lines.get()

    response = signatory_client.post(step_url(report, "bpa-opplaering"), {
        f"bpa-{line.pk}-trained": "2", f"bpa-{line.pk}-amount_used": "50 000",
        "action": "step:ubrukte-midler",
    })

    assert response["Location"] == step_url(report, "ubrukte-midler")
    line.refresh_from_db()
    assert (line.trained, line.amount_used) == (2, Decimal("50000"))


def test_a_refused_field_is_shown_on_its_step_with_the_step_marked_and_nothing_saved(
    signatory_client, report
):
    line = report.bpa_lines.get()

    response = signatory_client.post(step_url(report, "bpa-opplaering"), {
        f"bpa-{line.pk}-trained": "to", f"bpa-{line.pk}-amount_used": "50 000",
    })

    html = response.content.decode()
    assert response.status_code == 200
    assert "Skriv et helt tall, for eksempel 3." in html
    assert f'href="#id_bpa-{line.pk}-trained"' in html
    assert re.search(r'data-step="bpa-opplaering">\s*<a [^>]*aria-current="step"[^>]*>'
                     r'[^<]*</a>\s*<span class="badge text-bg-danger">Har feil</span>', html)
    line.refresh_from_db()
    assert (line.trained, line.amount_used) == (None, None)  # the line is not saved


def test_a_project_page_shows_and_saves_only_its_project(signatory_client, project_report):
    first, second = project_report.projects.all()

    html = signatory_client.get(step_url(project_report, "tjenesteutvikling-2")).content.decode()
    response = signatory_client.post(step_url(project_report, "tjenesteutvikling-2"), {
        f"projects-{second.pk}-results": "Tolv pårørende har fullført skolen.",
        f"projects-{second.pk}-status": "completed",
    }, **FETCH)

    assert f'id="projects-{second.pk}-line"' in html
    assert f'id="projects-{first.pk}-line"' not in html
    assert 'id="section-competence"' not in html
    assert "Neste: Regnskap og ubrukte midler" in html
    assert "Forrige: Tjenesteutvikling: Velferdsteknologi" in html
    body = response.json()
    assert body["errors"] == {}
    assert body["steps"]["tjenesteutvikling-2"] == {"label": "Påbegynt",
                                                    "css": "text-bg-warning"}
    assert body["steps"]["tjenesteutvikling-1"]["label"] == "Ikke startet"
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.results, second.results) == ("", "Tolv pårørende har fullført skolen.")


def test_the_summary_links_every_problem_to_its_field_on_its_step(
    signatory_client, project_report
):
    html = signatory_client.get(step_url(project_report, "oppsummering")).content.decode()

    second = project_report.projects.all()[1]
    assert (f'<a href="{step_url(project_report, "tjenesteutvikling-2")}'
            f'#id_projects-{second.pk}-results">Pårørendeskole: resultater må fylles ut.</a>'
            ) in html
    assert (f'<a href="{step_url(project_report, "om-rapporten")}#id_header-text_report">'
            "Tekstrapporten må fylles ut (minst 20 tegn).</a>") in html
    assert f'href="{step_url(project_report, "vedlegg")}#section-attachments"' in html
    assert reverse("reporting:preview", args=[project_report.pk]) in html


def test_a_refused_upload_is_shown_on_the_attachment_step(signatory_client, report):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = signatory_client.post(reverse("reporting:attachment_add", args=[report.pk]), {
        "kind": "auditor_statement",
        "file": SimpleUploadedFile("revisor.pdf", b"not a pdf", "application/pdf"),
    })

    html = response.content.decode()
    assert response.status_code == 422
    assert 'aria-current="step" class="fw-bold" data-save-first>5. Vedlegg</a>' in html
    assert not report.attachments.exists()


def test_an_unknown_step_is_404_and_a_sent_report_is_no_form(
    signatory_client, report, signatory
):
    from reporting import services

    assert signatory_client.get(step_url(report, "finnes-ikke")).status_code == 404
    assert signatory_client.get(step_url(report, "tjenesteutvikling-1")).status_code == 404
    fill(report, signatory)
    attach_required(report, signatory)
    services.report_submit(report=report, user=signatory)

    html = signatory_client.get(step_url(report, "om-rapporten")).content.decode()
    assert 'id="report-form"' not in html


@pytest.mark.parametrize("projects", [1, 5])
def test_a_project_page_reads_as_much_for_five_projects_as_for_one(
    client, trondheim, grant_round, budget, signatory, caseworker, approver, projects,
    django_assert_num_queries,
):
    from reporting import services

    application = granted(trondheim, grant_round, signatory, caseworker, approver,
                          projects=[project(title=f"Prosjekt {i}") for i in range(projects)])
    report = services.report_open(application=application, user=signatory)
    client.force_login(signatory)
    url = step_url(report, "tjenesteutvikling-1")
    client.get(url)

    # the user, memberships and office are one query (tilskudd.auth_backends)
    with django_assert_num_queries(7):
        response = client.get(url)

    assert response.status_code == 200
