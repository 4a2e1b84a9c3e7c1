"""The caseworker's admin: the list, the assessment page, the pot, and office scoping (a
Trøndelag caseworker cannot see, open, or act on a Rogaland application by URL, by search
or by an admin action)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from applications.models import Application, ApplicationStatus, CompetenceLine, Project, Submission
from assessment import services
from assessment.models import (
    Acceptance,
    AllocationLetter,
    Assessment,
    AssessmentStatus,
    LetterKind,
    LineAssessment,
    Outcome,
    Part,
)
from tests.tilskudd.factories import RoundFactory, UserFactory
from tilskudd.documents.jobs import DocumentStatus
from tilskudd.models import Organisation, OrganisationKind

from .helpers import decide, project, recommend, submit

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:assessment_submittedapplication_changelist"


def change_url(application) -> str:
    return reverse("admin:assessment_submittedapplication_change", args=[application.pk])


def listed(response) -> list[Application]:
    return list(response.context["cl"].result_list)


def reference(application) -> str:
    return application.submissions.get(withdrawn_at__isnull=True).reference


# --- the list -----------------------------------------------------------------------------


def test_the_list_shows_the_submitted_applications_of_the_own_office_with_totals(
    client, application, rogaland_application, caseworker, approver
):
    recommend(application, caseworker, amount=lambda la: Decimal("45000"))
    client.force_login(caseworker)

    response = client.get(reverse(CHANGELIST))

    rows = listed(response)
    assert response.status_code == 200
    assert rows == [application]
    row = rows[0]
    assert (row.reference, row.applied_total, row.recommended_total, row.granted_total) == (
        reference(application), Decimal("60000"), Decimal("45000"), Decimal("0")
    )
    text = response.content.decode()
    assert "kr\xa060\xa0000" in text and "kr\xa045\xa0000" in text
    assert "Stavanger" not in text


def test_the_list_leaves_out_drafts(client, trondheim, open_round, budget, editor, caseworker):
    from applications import services as application_services

    application_services.application_start(organisation=trondheim, round=open_round, user=editor)
    client.force_login(caseworker)

    assert listed(client.get(reverse(CHANGELIST))) == []


def test_the_directorate_sees_every_office(client, application, rogaland_application):
    reader = UserFactory(is_staff=True, is_directorate=True)
    client.force_login(reader)

    rows = listed(client.get(reverse(CHANGELIST)))

    assert sorted(a.pk for a in rows) == sorted([application.pk, rogaland_application.pk])


def test_search_by_reference_and_organisation_finds_only_the_own_office(
    client, application, rogaland_application, caseworker
):
    client.force_login(caseworker)

    by_reference = listed(client.get(reverse(CHANGELIST), {"q": reference(application)}))
    by_org_number = listed(client.get(reverse(CHANGELIST), {"q": "942110464"}))
    other_reference = listed(
        client.get(reverse(CHANGELIST), {"q": reference(rogaland_application)})
    )
    other_name = client.get(reverse(CHANGELIST), {"q": "Stavanger"})

    assert by_reference == [application]
    assert by_org_number == [application]
    assert other_reference == []
    assert listed(other_name) == []
    assert "Stavanger kommune" not in other_name.content.decode()


def test_filters_by_case_status_mental_health_projects_and_acceptance(
    client, trondheim, open_round, budget, signatory, caseworker, approver, rogaland_org
):
    from tests.tilskudd.factories import OrganisationFactory, member
    from tilskudd.models import MembershipRole

    with_project = submit(trondheim, open_round, signatory, projects=[project()])
    company = OrganisationFactory(
        kind=OrganisationKind.INTER_MUNICIPAL_COMPANY, name="Værnes IKS",
        municipality_number=None, org_number="", county=trondheim.county,
    )
    from .helpers import competence

    plain = submit(company, open_round, member(company, MembershipRole.SIGNATORY),
                   competence_lines=[competence(is_mental_health=False)])
    decide(plain, caseworker, approver)
    client.force_login(caseworker)

    def rows(**params):
        return listed(client.get(reverse(CHANGELIST), params))

    assert rows(case="not_started") == [with_project]
    assert rows(case=AssessmentStatus.DECIDED) == [plain]
    assert rows(mental_health="yes") == [with_project]
    assert rows(mental_health="no") == [plain]
    assert rows(projects="yes") == [with_project]
    assert rows(accepted="no") == [plain]
    assert rows(accepted="yes") == []
    assert rows(organisation__kind__exact=OrganisationKind.INTER_MUNICIPAL_COMPANY) == [plain]
    assert rows(outcome=Outcome.GRANTED) == [plain]


def _bulk_applications(count, *, county, rnd, caseworker, approver, start=0):
    """`count` submitted applications of one office, built with bulk_create: every one has
    a competence line, every third a project; every second has a case, every fourth is
    decided, every eighth is accepted. The stored list fields are set as the services would
    (test_stored_totals.py checks the services against the computed ones)."""
    organisations = Organisation.objects.bulk_create([
        Organisation(kind=OrganisationKind.INTER_MUNICIPAL_COMPANY, name=f"Selskap {i:03d}",
                     county=county, is_rural_district=i % 2 == 0)
        for i in range(start, start + count)
    ])
    now = timezone.now()
    applications = Application.objects.bulk_create([
        Application(organisation=org, round=rnd, status=ApplicationStatus.SUBMITTED,
                    contact_name="Kari", contact_email="kari@example.no",
                    applied_total=Decimal("160000" if i % 3 == 0 else "60000"),
                    has_mental_health=i % 3 == 0, has_projects=i % 3 == 0)
        for i, org in enumerate(organisations)
    ])
    Submission.objects.bulk_create([
        Submission(application=a, reference=f"KKT-{rnd.year}-X{i:04d}-TEST", submitted_at=now,
                   submitted_by=caseworker, content={}, total_applied=Decimal("60000"))
        for i, a in enumerate(applications, start=start)
    ])
    lines = CompetenceLine.objects.bulk_create([
        CompetenceLine(application=a, education_type="bachelor", employees=2,
                       amount=Decimal("60000"), is_mental_health=i % 3 == 0)
        for i, a in enumerate(applications)
    ])
    Project.objects.bulk_create([
        Project(application=a, title="Prosjekt", topic="culture", amount=Decimal("100000"))
        for a in applications[::3]
    ])
    assessments = Assessment.objects.bulk_create([
        Assessment(application=a, assigned_to=caseworker, recommended_total=Decimal("50000"))
        if i % 4 != 0 else Assessment(
            application=a, assigned_to=caseworker, status=AssessmentStatus.DECIDED,
            outcome=Outcome.GRANTED, recommended_by=caseworker, recommended_at=now,
            decided_by=approver, decided_at=now, recommended_total=Decimal("50000"),
            granted_total=Decimal("50000"),
        )
        for i, a in enumerate(applications) if i % 2 == 0
    ])
    by_application = {line.application_id: line for line in lines}
    LineAssessment.objects.bulk_create([
        LineAssessment(assessment=s, part=Part.COMPETENCE,
                       competence_line=by_application[s.application_id],
                       applied=Decimal("60000"), recommended=Decimal("50000"),
                       granted=Decimal("50000") if s.status == AssessmentStatus.DECIDED else None)
        for s in assessments
    ])
    decided = [s for s in assessments if s.status == AssessmentStatus.DECIDED]
    letters = AllocationLetter.objects.bulk_create([
        AllocationLetter(assessment=s, version=1, kind=LetterKind.GRANT, created_by=caseworker,
                         status=DocumentStatus.READY)
        for s in decided
    ])
    Acceptance.objects.bulk_create([
        Acceptance(assessment=letter.assessment, letter=letter, accepted_by=caseworker,
                   accepted_name="Kari")
        for letter in letters[::2]
    ])
    return applications


def test_the_list_of_500_applications_takes_a_fixed_number_of_queries(
    client, trondheim, open_round, budget, caseworker, approver, django_assert_max_num_queries
):
    _bulk_applications(500, county=trondheim.county, rnd=open_round,
                       caseworker=caseworker, approver=approver)
    for year in (2020, 2021, 2022):  # more rounds in the filter cost no more queries
        RoundFactory(year=year, opens_at=timezone.now() - timedelta(days=900),
                     application_deadline=timezone.now() - timedelta(days=800),
                     reporting_deadline=timezone.now() - timedelta(days=400))
    client.force_login(caseworker)

    with django_assert_max_num_queries(12):
        response = client.get(reverse(CHANGELIST), {"o": "2"})

    assert response.status_code == 200
    assert response.context["cl"].result_count == 500
    rows = listed(response)
    assert len(rows) == 50
    assert rows[0].organisation.name == "Selskap 000"
    assert (rows[0].applied_total, rows[0].recommended_total, rows[0].granted_total) == (
        Decimal("160000"), Decimal("50000"), Decimal("50000")
    )


def _changelist_queries(client, caseworker, params=None) -> tuple[int, object]:
    client.force_login(caseworker)
    client.get(reverse(CHANGELIST), params or {})
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(CHANGELIST), params or {})
    assert response.status_code == 200
    return len(queries), response


@pytest.mark.parametrize("params", [{}, {"o": "2"}, {"q": "Selskap"}])
def test_the_list_takes_as_many_queries_for_500_applications_as_for_10(
    client, trondheim, open_round, budget, caseworker, approver, params
):
    _bulk_applications(10, county=trondheim.county, rnd=open_round,
                       caseworker=caseworker, approver=approver)
    few, _ = _changelist_queries(client, caseworker, params)
    _bulk_applications(490, county=trondheim.county, rnd=open_round, caseworker=caseworker,
                       approver=approver, start=10)
    many, response = _changelist_queries(client, caseworker, params)

    assert many == few
    assert len(listed(response)) == 50
    assert response.context["cl"].full_result_count is None  # no COUNT of the whole office


def test_the_list_leaves_the_long_texts_in_the_database(client, application, caseworker):
    _, response = _changelist_queries(client, caseworker)

    row = listed(response)[0]
    assert {"purpose", "control_measures", "draft_input"} <= row.get_deferred_fields()


# --- the assessment page ------------------------------------------------------------------


def test_the_start_button_opens_the_case(client, application, caseworker):
    client.force_login(caseworker)

    started = client.post(change_url(application), {"_open": "1"})
    response = client.get(change_url(application))

    assert started.status_code == 302 and started["Location"] == change_url(application)
    assert response.status_code == 200
    assert Assessment.objects.get().application == application
    assert LineAssessment.objects.get().applied == Decimal("60000")
    text = response.content.decode()
    assert "Psykisk helse og rus" in text
    assert 'name="_recommend"' in text
    assert 'name="_open"' not in text


def test_the_caseworker_saves_and_recommends_through_the_page(client, application, caseworker):
    client.force_login(caseworker)
    client.post(change_url(application), {"_open": "1"})
    line = LineAssessment.objects.get()
    prefix = f"line-{line.pk}"

    saved = client.post(change_url(application), {
        f"{prefix}-recommended": "50000", f"{prefix}-justification": "Færre deltakere.",
        "assigned_to": caseworker.pk, "internal_notes": "Avklart på telefon.", "_save": "1",
    })
    recommended = client.post(change_url(application), {
        f"{prefix}-recommended": "50000", f"{prefix}-justification": "Færre deltakere.",
        "assigned_to": caseworker.pk, "internal_notes": "Avklart på telefon.",
        "comment": "Klar.", "_recommend": "1",
    })

    assert saved.status_code == 302 and recommended.status_code == 302
    assessment = Assessment.objects.get()
    line.refresh_from_db()
    assert (line.recommended, line.justification) == (Decimal("50000"), "Færre deltakere.")
    assert (assessment.status, assessment.assigned_to, assessment.internal_notes) == (
        AssessmentStatus.RECOMMENDED, caseworker, "Avklart på telefon."
    )


def test_an_amount_above_the_applied_is_shown_next_to_the_field_and_nothing_is_saved(
    client, application, caseworker
):
    client.force_login(caseworker)
    client.post(change_url(application), {"_open": "1"})
    line = LineAssessment.objects.get()

    response = client.post(change_url(application), {
        f"line-{line.pk}-recommended": "60001", f"line-{line.pk}-justification": "",
        "assigned_to": "", "internal_notes": "", "_save": "1",
    })

    assert response.status_code == 200
    assert "Kan ikke være høyere enn søkt beløp (kr\xa060\xa0000)." in response.content.decode()
    line.refresh_from_db()
    assert line.recommended is None


def test_the_approver_approves_through_the_page_and_makes_the_letter(
    client, application, caseworker, approver, django_capture_on_commit_callbacks
):
    recommend(application, caseworker)
    client.force_login(approver)

    page = client.get(change_url(application))
    approved = client.post(change_url(application), {"comment": "OK", "_approve": "1"})
    with django_capture_on_commit_callbacks(execute=True):
        lettered = client.post(change_url(application), {"_letter": "1"})

    assert 'name="_approve"' in page.content.decode()
    assert approved.status_code == 302 and lettered.status_code == 302
    assessment = Assessment.objects.get()
    assert (assessment.status, assessment.decided_by) == (AssessmentStatus.DECIDED, approver)
    letter = assessment.letters.get()
    assert letter.status == DocumentStatus.READY
    download = client.get(reverse("admin:assessment_submittedapplication_letter",
                                  args=[application.pk, letter.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    history = client.get(change_url(application)).content.decode()
    assert "Innstilling godkjent – vedtak fattet" in history
    assert "Gunnar Godkjenner" in history


def test_the_recommender_is_not_offered_approval_and_a_forged_post_is_refused(
    client, application, approver
):
    recommend(application, approver)
    client.force_login(approver)

    page = client.get(change_url(application))
    forged = client.post(change_url(application), {"_approve": "1"}, follow=True)

    assert 'name="_approve"' not in page.content.decode()
    assert forged.redirect_chain == [(change_url(application), 302)]
    assert forged.status_code == 200
    assert "Du kan ikke godkjenne eller sende tilbake din egen innstilling" in (
        forged.content.decode()
    )
    assert Assessment.objects.get().status == AssessmentStatus.RECOMMENDED


def test_the_directorate_reads_a_case_but_cannot_act(client, application, caseworker):
    recommend(application, caseworker)
    reader = UserFactory(is_staff=True, is_directorate=True)
    client.force_login(reader)

    page = client.get(change_url(application))
    posted = client.post(change_url(application), {"_approve": "1"})

    assert page.status_code == 200
    assert 'name="_approve"' not in page.content.decode()
    assert posted.status_code == 403
    assert Assessment.objects.get().status == AssessmentStatus.RECOMMENDED


# --- office scoping -----------------------------------------------------------------------


def test_a_caseworker_cannot_open_another_offices_application_by_url(
    client, rogaland_application, caseworker
):
    client.force_login(caseworker)

    response = client.get(change_url(rogaland_application))

    assert response.status_code == 302
    assert response.url == reverse("admin:index")
    assert Assessment.objects.count() == 0


def test_a_caseworker_cannot_act_on_another_offices_case_by_url(
    client, rogaland_application, rogaland_caseworker, caseworker
):
    assessment = recommend(rogaland_application, rogaland_caseworker)
    line = assessment.lines.get()
    client.force_login(caseworker)

    responses = [
        client.post(change_url(rogaland_application), {
            f"line-{line.pk}-recommended": "0", f"line-{line.pk}-justification": "Kapret",
            "_save": "1"}),
        client.post(change_url(rogaland_application), {"_approve": "1"}),
        client.post(change_url(rogaland_application), {"_return": "1", "comment": "Nei"}),
    ]

    assert [r.status_code for r in responses] == [302, 302, 302]
    assessment.refresh_from_db()
    line.refresh_from_db()
    assert assessment.status == AssessmentStatus.RECOMMENDED
    assert (line.recommended, line.justification) == (Decimal("60000"), "Godt begrunnet tiltak.")


def test_a_caseworker_cannot_act_on_another_offices_case_by_admin_action(
    client, rogaland_application, rogaland_caseworker, rogaland_approver, caseworker
):
    assessment = decide(rogaland_application, rogaland_caseworker, rogaland_approver)
    client.force_login(caseworker)

    for action in ("generate_letters", "assign_to_me"):
        client.post(reverse(CHANGELIST), {
            "action": action, "_selected_action": [rogaland_application.pk]})

    assessment.refresh_from_db()
    assert assessment.letters.count() == 0
    assert assessment.assigned_to is None


def test_a_caseworker_cannot_download_another_offices_letter(
    client, rogaland_application, rogaland_caseworker, rogaland_approver, caseworker,
    django_capture_on_commit_callbacks,
):
    assessment = decide(rogaland_application, rogaland_caseworker, rogaland_approver)
    with django_capture_on_commit_callbacks(execute=True):
        letter = services.letter_generate(assessment=assessment, user=rogaland_caseworker)
    client.force_login(caseworker)

    response = client.get(reverse("admin:assessment_submittedapplication_letter",
                                  args=[rogaland_application.pk, letter.pk]))

    assert response.status_code == 404


@pytest.mark.django_db(transaction=True)  # the letter's job runs when it is committed
def test_bulk_letters_for_the_selected_decisions(client, application, caseworker, approver):
    decide(application, caseworker, approver)
    client.force_login(caseworker)

    response = client.post(reverse(CHANGELIST), {
        "action": "generate_letters", "_selected_action": [application.pk]}, follow=True)
    again = client.post(reverse(CHANGELIST), {
        "action": "generate_letters", "_selected_action": [application.pk]}, follow=True)

    assert "Laget 1 tilskuddsbrev. Søkerne får e-post." in response.content.decode()
    assert "1 vedtak hadde allerede brev." in again.content.decode()
    assert [(v.version, v.status) for v in AllocationLetter.objects.all()] == [
        (1, DocumentStatus.READY)
    ]


# --- the pot ------------------------------------------------------------------------------


def test_the_pot_page_shows_pot_recommended_approved_and_remaining(
    client, trondheim, open_round, budget, signatory, caseworker, approver
):
    application = submit(trondheim, open_round, signatory,
                         projects=[project("300000", topic="respite")])
    decide(application, caseworker, approver,
           amount=lambda la: Decimal("200000") if la.part == Part.PROJECTS else la.applied)
    client.force_login(caseworker)

    response = client.get(reverse("admin:assessment_pot_change", args=[budget.pk]))

    summary = response.context["summary"]
    assert response.status_code == 200
    assert f'<a href="{reverse("admin:assessment_pot_changelist")}">Rammer og forbruk</a>' in (
        response.content.decode()
    )
    assert (summary.pot, summary.approved, summary.remaining) == (
        Decimal("30667000"), Decimal("260000"), Decimal("30407000")
    )
    assert [(e.name, e.amount, e.approved, e.remaining) for e in summary.earmarks] == [
        ("Fleksible avlastningsmodeller", Decimal("415000"), Decimal("200000"),
         Decimal("215000"))
    ]
    assert [(p.part, p.applied, p.granted) for p in summary.parts] == [
        ("competence", Decimal("60000"), Decimal("60000")),
        ("bpa", Decimal("0"), Decimal("0")),
        ("projects", Decimal("300000"), Decimal("200000")),
    ]
    assert "kr\xa030\xa0407\xa0000" in response.content.decode()


def test_the_pot_list_shows_only_the_own_office(client, budget, rogaland_budget, caseworker):
    client.force_login(caseworker)

    rows = listed(client.get(reverse("admin:assessment_pot_changelist")))
    other = client.get(reverse("admin:assessment_pot_change", args=[rogaland_budget.pk]))
    other_excel = client.get(reverse("admin:assessment_pot_excel", args=[rogaland_budget.pk]))

    assert [b.pk for b in rows] == [budget.pk]
    assert other.status_code == 302
    assert other_excel.status_code == 404


def test_the_list_with_filter_counts_shown(client, application, caseworker):
    client.force_login(caseworker)

    response = client.get(reverse(CHANGELIST), {"_facets": "True", "mental_health": "yes"})

    assert response.status_code == 200
    assert listed(response) == [application]


def test_the_directorate_is_offered_no_actions(client, application):
    client.force_login(UserFactory(is_staff=True, is_directorate=True))

    response = client.get(reverse(CHANGELIST))

    assert response.status_code == 200
    assert response.context["action_form"] is None
