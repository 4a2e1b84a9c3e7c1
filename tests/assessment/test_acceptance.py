"""Acceptance of a grant (akseptbrev) by a signatory, in services and in the portal."""

from decimal import Decimal

import pytest
from django.urls import reverse

from assessment import services
from assessment.models import Acceptance, AssessmentEvent, EventAction
from assessment.selectors import decision_for, granted_amounts
from tests.tilskudd.factories import UserFactory
from tilskudd.errors import ServiceError

from .helpers import decide, recommend

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided(application, caseworker, approver, django_capture_on_commit_callbacks):
    """Trondheim's application granted in full, with its letter made."""
    assessment = decide(application, caseworker, approver)
    with django_capture_on_commit_callbacks(execute=True):
        services.letter_generate(assessment=assessment, user=caseworker)
    return assessment


def test_a_signatory_accepts_and_name_time_and_letter_version_are_recorded(decided, signatory):
    letter = decided.letters.get()

    acceptance = services.grant_accept(assessment=decided, user=signatory, letter=letter)

    assert (acceptance.accepted_by, acceptance.accepted_name, acceptance.letter.version) == (
        signatory, "Sigurd Signatur", 1
    )
    assert acceptance.accepted_at is not None
    event = decided.events.get(action=EventAction.ACCEPTED)
    assert (event.by, event.note) == (
        signatory, "Sigurd Signatur aksepterte versjon 1 av tilskuddsbrevet."
    )


def test_accepting_twice_returns_the_first_acceptance(decided, signatory):
    letter = decided.letters.get()
    first = services.grant_accept(assessment=decided, user=signatory, letter=letter)

    second = services.grant_accept(assessment=decided, user=signatory, letter=letter)

    assert second.pk == first.pk
    assert Acceptance.objects.count() == 1


def test_an_editor_who_is_not_a_signatory_cannot_accept(decided, editor):
    events = AssessmentEvent.objects.count()

    with pytest.raises(ServiceError) as refused:
        services.grant_accept(assessment=decided, user=editor, letter=decided.letters.get())

    assert refused.value.code == "not_signatory"
    assert refused.value.message == (
        "Bare den som har signaturrett for Trondheim - Tråante kommune kan akseptere tilskuddet."
    )
    assert Acceptance.objects.count() == 0
    assert AssessmentEvent.objects.count() == events


def test_a_stranger_cannot_accept(decided):
    with pytest.raises(ServiceError) as refused:
        services.grant_accept(assessment=decided, user=UserFactory(),
                              letter=decided.letters.get())

    assert refused.value.code == "not_member"
    assert Acceptance.objects.count() == 0


def test_only_the_newest_letter_can_be_accepted(decided, signatory, caseworker,
                                                django_capture_on_commit_callbacks):
    old = decided.letters.get()
    with django_capture_on_commit_callbacks(execute=True):
        services.letter_generate(assessment=decided, user=caseworker)

    with pytest.raises(ServiceError) as refused:
        services.grant_accept(assessment=decided, user=signatory, letter=old)

    assert refused.value.code == "not_latest_letter"
    assert Acceptance.objects.count() == 0


def test_a_rejection_cannot_be_accepted(application, caseworker, approver, signatory,
                                        django_capture_on_commit_callbacks):
    assessment = recommend(application, caseworker, amount=lambda la: Decimal(0))
    services.assessment_approve(assessment=assessment, user=approver)
    with django_capture_on_commit_callbacks(execute=True):
        letter = services.letter_generate(assessment=assessment, user=caseworker)

    with pytest.raises(ServiceError) as refused:
        services.grant_accept(assessment=assessment, user=signatory, letter=letter)

    assert refused.value.code == "no_grant"
    assert Acceptance.objects.count() == 0


# --- the portal ---------------------------------------------------------------------------


def test_the_signatory_accepts_in_the_portal(client, decided, signatory):
    client.force_login(signatory)
    url = reverse("assessment:decision", args=[decided.application_id])

    page = client.get(url)
    posted = client.post(reverse("assessment:accept", args=[decided.application_id]),
                         {"letter": decided.letters.get().pk, "confirm": "on"})

    assert page.status_code == 200
    assert "Aksepter tilskuddet" in page.content.decode()
    assert posted.status_code == 302
    assert posted.url == url
    assert Acceptance.objects.get().accepted_by == signatory
    assert "Akseptert av Sigurd Signatur" in client.get(url).content.decode()


def test_the_portal_asks_the_signatory_to_confirm(client, decided, signatory):
    client.force_login(signatory)

    posted = client.post(reverse("assessment:accept", args=[decided.application_id]),
                         {"letter": decided.letters.get().pk})

    assert posted.status_code == 400
    assert "Kryss av for å akseptere tilskuddet." in posted.content.decode()
    assert Acceptance.objects.count() == 0


def test_an_editor_sees_the_decision_but_cannot_accept_in_the_portal(client, decided, editor):
    client.force_login(editor)

    page = client.get(reverse("assessment:decision", args=[decided.application_id]))
    posted = client.post(reverse("assessment:accept", args=[decided.application_id]),
                         {"letter": decided.letters.get().pk, "confirm": "on"})

    assert page.status_code == 200
    assert "Bare den som har signaturrett" in page.content.decode()
    assert 'name="confirm"' not in page.content.decode()
    assert posted.status_code == 403
    assert Acceptance.objects.count() == 0


def test_someone_outside_the_organisation_gets_404(client, decided, rogaland_caseworker):
    client.force_login(UserFactory())
    letter = decided.letters.get()

    responses = [
        client.get(reverse("assessment:decision", args=[decided.application_id])),
        client.post(reverse("assessment:accept", args=[decided.application_id]),
                    {"letter": letter.pk, "confirm": "on"}),
        client.get(reverse("assessment:letter", args=[letter.pk])),
    ]

    assert [r.status_code for r in responses] == [404, 404, 404]
    assert Acceptance.objects.count() == 0


def test_the_portal_needs_a_login(client, decided):
    response = client.get(reverse("assessment:decision", args=[decided.application_id]))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_member_downloads_the_letter(client, decided, editor):
    letter = decided.letters.get()
    client.force_login(editor)

    response = client.get(reverse("assessment:letter", args=[letter.pk]))

    body = b"".join(response.streaming_content)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert body.startswith(b"%PDF-")
    import hashlib
    assert hashlib.sha256(body).hexdigest() == letter.sha256


def test_the_decisions_page_lists_the_members_decisions(client, decided, signatory):
    client.force_login(signatory)

    page = client.get(reverse("assessment:decisions"))

    text = page.content.decode()
    assert page.status_code == 200
    assert "Trondheim - Tråante kommune" in text
    assert "Innvilget" in text
    assert "kr\xa060\xa0000" in text
    assert "Ikke akseptert ennå" in text


# --- the decision for other apps ----------------------------------------------------------


def test_the_decision_selectors_give_granted_total_and_amount_per_line(
    decided, application, signatory
):
    services.grant_accept(assessment=decided, user=signatory, letter=decided.letters.get())
    line = application.competence_lines.get()

    decision = decision_for(application)

    assert (decision.outcome, decision.granted_total, decision.applied_total) == (
        "granted", Decimal("60000"), Decimal("60000")
    )
    assert decision.is_grant is True
    assert decision.auditor_required is False
    assert decision.granted_for("competence", line.pk) == Decimal("60000")
    assert decision.accepted_at is not None
    assert granted_amounts(application) == {
        "competence": {line.pk: Decimal("60000")}, "bpa": {}, "projects": {}
    }


def test_no_decision_while_the_case_is_open(application, caseworker):
    recommend(application, caseworker)

    assert decision_for(application) is None
    assert granted_amounts(application) == {"competence": {}, "bpa": {}, "projects": {}}


def test_internal_notes_never_reach_the_applicant(
    application, caseworker, approver, signatory, client, django_capture_on_commit_callbacks
):
    from .test_letters import pdf_text

    assessment = services.assessment_open(application=application, user=caseworker)
    services.assessment_save(assessment=assessment, user=caseworker,
                             internal_notes="Internt: kommunen har svak økonomistyring.")
    recommend(application, caseworker)
    services.assessment_approve(assessment=assessment, user=approver)
    with django_capture_on_commit_callbacks(execute=True):
        letter = services.letter_generate(assessment=assessment, user=caseworker)
    client.force_login(signatory)

    pages = [client.get(reverse("assessment:decision", args=[application.pk])),
             client.get(reverse("assessment:decisions"))]

    assert all("svak økonomistyring" not in page.content.decode() for page in pages)
    assert "svak økonomistyring" not in pdf_text(letter)
    from django.core import mail
    assert all("svak økonomistyring" not in m.body for m in mail.outbox)
