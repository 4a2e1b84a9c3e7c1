"""Allocation letters made by the caseworkers' bulk action while the document storage
refuses writes (a full disk): no server error, the caseworker is told, no letter is ever
ready without its file, and the applicant's letter is made when asked for once there is
room again (tilskudd.documents.jobs.render_now; a calm 503 until then)."""


import pytest
from django.urls import reverse

from assessment import services
from assessment.models import AllocationLetter
from tilskudd.audit import AuditAction
from tilskudd.documents.jobs import MAX_ATTEMPTS, DocumentStatus
from tilskudd.models import AuditEvent

from .helpers import decide

CHANGELIST = "admin:assessment_submittedapplication_changelist"



@pytest.mark.django_db(transaction=True)  # each letter's job runs when it is committed
def test_bulk_letters_to_a_full_disk_are_never_ready_without_a_file_and_come_once_there_is_room(
    client, application, caseworker, approver, signatory, full_disk,
):
    # Given a decided application, and a disk that is full when the letters are made
    decide(application, caseworker, approver)
    client.force_login(caseworker)

    # When the caseworker makes the letters with the list's action (eager Celery, make run)
    response = client.post(reverse(CHANGELIST), {
        "action": "generate_letters", "_selected_action": [application.pk]}, follow=True)

    # Then the list warns that the letter could not be made and where to make it, says
    # nothing of it being made, and the letter is not ready, with no file
    assert response.status_code == 200
    page = response.content.decode()
    assert ('<li class="warning">1 tilskuddsbrev kunne ikke lages. Saken viser hvorfor, og '
            "et klikk på brevet der lager det på nytt.</li>") in page
    assert "Laget 1 tilskuddsbrev" not in page
    assert "lages nå" not in page
    letter = AllocationLetter.objects.get()
    assert (letter.status, letter.attempts, letter.file.name, letter.sha256) == (
        DocumentStatus.FAILED, MAX_ATTEMPTS, "", "")
    # And the case page tells the caseworker it failed, and why
    case = client.get(reverse("admin:assessment_submittedapplication_change",
                              args=[application.pk])).content.decode()
    assert "Feilet (OSError: [Errno 28] No space left on device)" in case
    admin_letter_url = reverse("admin:assessment_submittedapplication_letter",
                               args=[application.pk, letter.pk])
    assert f'<a href="{admin_letter_url}">' in case  # made when clicked (below, the applicant)
    assert client.get(admin_letter_url).status_code == 503

    # When the applicant's signatory opens the decision while the disk is still full, the
    # letter is offered, and asking for it gets the calm page, no download audited
    client.force_login(signatory)
    letter_url = reverse("assessment:letter", args=[letter.pk])
    decision = client.get(reverse("assessment:decision", args=[application.pk]))
    assert f'<a href="{letter_url}">' in decision.content.decode()
    refused = client.get(letter_url)
    assert refused.status_code == 503
    assert "Prøv igjen om litt." in refused.content.decode()
    assert not AuditEvent.objects.filter(action=AuditAction.DOCUMENT_DOWNLOAD).exists()

    # When there is room again, the same click gets the letter, made then
    full_disk.full = False
    fetched = client.get(letter_url)
    assert fetched.status_code == 200
    assert b"".join(fetched.streaming_content).startswith(b"%PDF")
    letter.refresh_from_db()
    assert letter.status == DocumentStatus.READY
    assert AuditEvent.objects.filter(action=AuditAction.DOCUMENT_DOWNLOAD).count() == 1


@pytest.mark.django_db
def test_a_failed_letter_a_newer_version_replaced_is_not_offered(
    client, application, caseworker, approver, signatory, monkeypatch,
):
    # Given version 1 whose job gave up, and version 2 made after it (still being made):
    # version 1 made now would print today's case under its old number and date
    monkeypatch.setattr(AllocationLetter, "enqueue_on_commit", lambda job: None)
    assessment = decide(application, caseworker, approver)
    old = services.letter_generate(assessment=assessment, user=caseworker)
    AllocationLetter.objects.filter(pk=old.pk).update(
        status=DocumentStatus.FAILED, attempts=MAX_ATTEMPTS, error="OSError: [Errno 28] full")
    new = services.letter_generate(assessment=assessment, user=caseworker)
    assert (old.version, new.version) == (1, 2)

    # Then the applicant's decision page links version 2 and only names version 1
    client.force_login(signatory)
    decision = client.get(reverse("assessment:decision", args=[application.pk])).content.decode()
    assert f'<a href="{reverse("assessment:letter", args=[new.pk])}">' in decision
    assert reverse("assessment:letter", args=[old.pk]) not in decision
    assert "versjon 1: feilet" in decision
    # And so does the caseworker's case page
    client.force_login(caseworker)
    case = client.get(reverse("admin:assessment_submittedapplication_change",
                              args=[application.pk])).content.decode()
    letter_url = "admin:assessment_submittedapplication_letter"
    assert reverse(letter_url, args=[application.pk, new.pk]) in case
    assert reverse(letter_url, args=[application.pk, old.pk]) not in case
