"""Issue 14, fixes to the assessment rules: a grant letter not accepted after 14 days is
followed by a reminder to the recipient, once, naming the reference; the office sees
withdrawn applications and the reason in the admin («Trukket»)."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from applications import services as application_services
from applications.models import ApplicationStatus
from assessment import reminders, services, tasks
from assessment.models import Assessment
from tilskudd.errors import ServiceError
from tilskudd.models import SentReminder

from .helpers import decide

pytestmark = pytest.mark.django_db


def _letter(application, caseworker, approver, capture):
    assessment = decide(application, caseworker, approver)
    with capture(execute=True):
        letter = services.letter_generate(assessment=assessment, user=caseworker)
    letter.refresh_from_db()
    mail.outbox.clear()
    return assessment, letter


def _run(now, capture) -> int:
    with capture(execute=True):
        return reminders.send_letter_reminders(now=now)


def test_a_letter_not_accepted_after_14_days_is_reminded_once(
    application, caseworker, approver, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    _assessment, letter = _letter(application, caseworker, approver, capture)
    made = letter.created_at

    assert _run(made + timedelta(days=13, hours=23), capture) == 0
    assert _run(made + timedelta(days=14, hours=1), capture) == 1
    assert _run(made + timedelta(days=20), capture) == 0

    reference = application.submissions.get().reference
    [message] = mail.outbox
    assert sorted(message.to) == ["kari.kontakt@example.no", "signatur@trondheim.example.no"]
    assert message.subject == f"Påminnelse: aksepter tilskuddet ({reference})"
    assert f"(søknad {reference}) er ikke akseptert" in message.body
    assert f"{settings.SITE_URL}/tildeling/{application.pk}/" in message.body
    assert SentReminder.objects.filter(kind="letter_not_accepted").count() == 1


def test_an_accepted_letter_is_not_reminded(
    application, caseworker, approver, signatory, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    assessment, letter = _letter(application, caseworker, approver, capture)
    services.grant_accept(assessment=assessment, user=signatory, letter=letter)

    assert _run(letter.created_at + timedelta(days=15), capture) == 0
    assert SentReminder.objects.count() == 0


def test_the_beat_task_sends_the_letter_reminders(
    application, caseworker, approver, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    _assessment, letter = _letter(application, caseworker, approver, capture)

    with capture(execute=True):
        sent = tasks.letter_reminders.delay(
            now=(letter.created_at + timedelta(days=15)).isoformat()).get()

    assert sent == 1


def test_beat_schedules_every_reminder_daily(settings):
    tasks_scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}

    assert {"applications.tasks.deadline_reminders", "assessment.tasks.letter_reminders",
            "reporting.tasks.daily"} <= tasks_scheduled


# --- withdrawn applications in the admin ------------------------------------------------


def _withdraw(application, signatory):
    application_services.application_withdraw(application=application, user=signatory,
                                              reason="Vi søker sammen med nabokommunen.")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN


def test_the_office_lists_withdrawn_applications_with_the_reason(
    client, application, signatory, caseworker
):
    reference = application.submissions.get().reference
    _withdraw(application, signatory)
    client.force_login(caseworker)
    changelist = reverse("admin:assessment_submittedapplication_changelist")

    withdrawn = client.get(changelist, {"trukket": "ja"}).content.decode()
    default = client.get(changelist).content.decode()

    assert "Trukne søknader" in default  # the filter is offered
    assert reference not in default
    assert reference in withdrawn
    assert "Trukket" in withdrawn
    assert "Vi søker sammen med nabokommunen." in withdrawn


def test_the_case_page_of_a_withdrawn_application_says_trukket_and_why(
    client, application, signatory, caseworker
):
    _withdraw(application, signatory)
    client.force_login(caseworker)
    url = reverse("admin:assessment_submittedapplication_change", args=[application.pk])

    response = client.get(url)

    assert response.status_code == 200
    warnings = response.content.decode().split('id="case-warnings"', 1)[1].split("</ul>")[0]
    assert "Trukket" in warnings
    assert "Vi søker sammen med nabokommunen." in warnings
    assert signatory.full_name in warnings


def test_a_withdrawn_application_cannot_be_opened_as_a_case(
    application, signatory, caseworker
):
    _withdraw(application, signatory)

    with pytest.raises(ServiceError):
        services.assessment_open(application=application, user=caseworker)

    assert Assessment.objects.count() == 0


def test_another_office_does_not_see_the_withdrawn_application(
    client, application, signatory, rogaland_caseworker
):
    _withdraw(application, signatory)
    client.force_login(rogaland_caseworker)

    listed = client.get(reverse("admin:assessment_submittedapplication_changelist"),
                        {"trukket": "ja"}).content.decode()
    page = client.get(reverse("admin:assessment_submittedapplication_change",
                              args=[application.pk]))

    assert application.organisation.name not in listed
    assert page.status_code == 302  # the admin's "not found" redirect
