from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.utils import timezone

from applications import services
from applications.models import (
    Application,
    ApplicationStatus,
    CompetenceLine,
    ReceiptDocument,
    StatusChange,
    Submission,
)
from tests.applications.conftest import bpa_line, competence_line, complete_header, project
from tests.pdf import blank_pdf
from tests.tilskudd.factories import CountyFactory, OrganisationFactory, member, stavanger
from tilskudd.errors import ServiceError
from tilskudd.models import AuditEvent, MembershipRole, OrganisationKind


def state(application: Application) -> tuple:
    """Everything a refusal must leave as it was."""
    application.refresh_from_db()
    return (
        application.status,
        application.contact_name,
        list(application.competence_lines.values_list("pk", "amount", "is_mental_health")),
        list(application.bpa_lines.values_list("pk", "amount")),
        list(application.projects.values_list("pk", "title", "amount")),
        Submission.objects.filter(application=application).count(),
        StatusChange.objects.filter(application=application).count(),
    )


# --- start ---------------------------------------------------------------------------

def test_start_twice_opens_the_same_draft(trondheim, open_round, editor):
    first = services.application_start(organisation=trondheim, round=open_round, user=editor)
    second = services.application_start(organisation=trondheim, round=open_round, user=editor)

    assert first.pk == second.pk
    assert first.status == ApplicationStatus.DRAFT
    assert Application.objects.count() == 1


def test_database_allows_one_application_per_organisation_and_round(draft):
    with pytest.raises(IntegrityError):
        Application.objects.create(organisation=draft.organisation, round=draft.round)


def test_a_non_member_cannot_start_an_application(trondheim, open_round):
    outsider = member(stavanger())

    with pytest.raises(ServiceError) as excinfo:
        services.application_start(organisation=trondheim, round=open_round, user=outsider)

    assert excinfo.value.code == "not_member"
    assert Application.objects.count() == 0


def test_an_ineligible_kind_cannot_start(trondheim, open_round, editor):
    open_round.scheme.eligible_kinds = [OrganisationKind.COUNTY_MUNICIPALITY]
    open_round.scheme.save()

    with pytest.raises(ServiceError) as excinfo:
        services.application_start(organisation=trondheim, round=open_round, user=editor)

    assert excinfo.value.code == "not_eligible"
    assert Application.objects.count() == 0


# --- update --------------------------------------------------------------------------

def test_update_replaces_a_part_and_keeps_the_others(draft, editor):
    line = draft.competence_lines.get()

    services.application_update(
        application=draft, user=editor,
        competence=[{"id": line.pk, **competence_line(amount=Decimal("70000"))},
                    competence_line(education_type="abc", amount=Decimal("15000"))],
    )

    amounts = list(draft.competence_lines.values_list("pk", "amount"))
    assert amounts[0] == (line.pk, Decimal("70000"))
    assert amounts[1][1] == Decimal("15000")
    assert draft.bpa_lines.count() == 1
    assert draft.projects.count() == 1


@pytest.mark.parametrize("amount", [Decimal("0"), Decimal("-5"), Decimal("20000001")])
def test_update_refuses_amounts_out_of_bounds_and_changes_nothing(draft, editor, amount):
    before = state(draft)

    with pytest.raises(ValidationError) as excinfo:
        services.application_update(
            application=draft, user=editor, competence=[competence_line(amount=amount)]
        )

    assert "amount" in excinfo.value.message_dict
    assert state(draft) == before


def test_update_refuses_a_sixth_project_and_changes_nothing(draft, editor):
    before = state(draft)

    with pytest.raises(ServiceError) as excinfo:
        services.application_update(
            application=draft, user=editor,
            projects=[project(title=f"Prosjekt {i}") for i in range(6)],
        )

    assert excinfo.value.code == "too_many_projects"
    assert state(draft) == before


def test_five_projects_are_allowed(draft, editor):
    services.application_update(
        application=draft, user=editor, projects=[project(title=f"P{i}") for i in range(5)]
    )
    assert draft.projects.count() == 5


def test_a_submitted_application_cannot_be_edited(draft, signatory, editor):
    services.application_submit(application=draft, user=signatory)
    before = state(draft)

    with pytest.raises(ServiceError) as excinfo:
        services.application_update(application=draft, user=editor,
                                    header={"contact_name": "Endret"})

    assert excinfo.value.code == "not_editable"
    assert state(draft) == before


def test_update_writes_an_audit_row_with_the_user(draft, editor):
    event = AuditEvent.objects.filter(action="application_update").latest("at")
    assert event.actor == editor
    assert event.data["sections"] == ["header", "competence", "bpa", "projects"]


def test_kept_input_is_stored_and_forgotten(draft, editor):
    services.application_keep_input(application=draft, user=editor, section="competence",
                                    raw={"k-0-amount": ["12,5"]})
    draft.refresh_from_db()
    assert draft.draft_input == {"competence": {"k-0-amount": ["12,5"]}}

    services.application_keep_input(application=draft, user=editor, section="competence",
                                    raw=None)
    draft.refresh_from_db()
    assert draft.draft_input == {}


# --- rules ---------------------------------------------------------------------------

def test_complete_draft_breaks_no_rule(draft):
    from applications.rules import check_application

    assert check_application(draft) == []


def test_county_municipality_may_only_apply_for_mental_health(open_round):
    county = CountyFactory()
    fylke = OrganisationFactory(kind=OrganisationKind.COUNTY_MUNICIPALITY,
                                name="Trøndelag fylkeskommune", org_number="",
                                municipality_number=None, county=county)
    signer = member(fylke, MembershipRole.SIGNATORY)
    application = services.application_start(organisation=fylke, round=open_round, user=signer)
    services.application_update(
        application=application, user=signer, header=complete_header(),
        competence=[competence_line(is_mental_health=False)], bpa=[bpa_line()],
    )
    before = state(application)

    with pytest.raises(ServiceError) as excinfo:
        services.application_submit(application=application, user=signer)

    messages = [(e.section, e.index, e.field, e.message) for e in excinfo.value.errors]
    assert messages == [
        ("competence", 0, "is_mental_health",
         "Fylkeskommuner kan bare søke om kompetansetiltak innen psykisk helse og rus."),
        ("bpa", None, None, "Fylkeskommuner kan ikke søke om BPA-opplæring."),
    ]
    assert state(application) == before


def test_project_criteria_must_be_answered_before_submit(draft, editor, signatory):
    services.application_update(application=draft, user=editor,
                                projects=[project(method="", evaluation="kort")])
    before = state(draft)

    with pytest.raises(ServiceError) as excinfo:
        services.application_submit(application=draft, user=signatory)

    fields = [(e.section, e.index, e.field) for e in excinfo.value.errors]
    assert fields == [("projects", 0, "method"), ("projects", 0, "evaluation")]
    assert state(draft) == before


def test_required_header_fields_and_at_least_one_line(trondheim, open_round, signatory):
    application = services.application_start(organisation=trondheim, round=open_round,
                                             user=signatory)
    from applications.rules import check_application

    errors = check_application(application)

    assert [e.field for e in errors] == [
        "contact_name", "contact_email", "purpose", "control_measures", None,
    ]


# --- submit --------------------------------------------------------------------------

def test_signatory_submits_and_gets_a_reference_receipt_job_and_email(
    draft, signatory, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        submission = services.application_submit(application=draft, user=signatory)

    draft.refresh_from_db()
    assert draft.status == ApplicationStatus.SUBMITTED
    assert submission.reference.startswith(f"KKT-{draft.round.year}-5001-")
    assert len(submission.reference.rsplit("-", 1)[1]) == 4
    assert submission.total_applied == Decimal("370000")
    assert submission.content["totals"] == {
        "competence": "60000", "bpa": "60000", "projects": "250000", "applied": "370000",
    }
    assert submission.content["organisation"]["org_number"] == "942110464"
    assert submission.content["office"] == "Statsforvalteren i Trøndelag"
    receipt = ReceiptDocument.objects.get(submission=submission)
    assert receipt.status == "ready"  # eager Celery ran it on commit
    assert receipt.file.read(5) == b"%PDF-"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["kari@trondheim.example.no", "signatur@example.no"]
    assert submission.reference in mail.outbox[0].subject
    assert "Sum søkt: kr\u00a0370\u00a0000" in mail.outbox[0].body
    assert f"http://127.0.0.1:8000/soknader/kvittering/{submission.reference}/" in (
        mail.outbox[0].body
    )
    assert list(draft.status_changes.values_list("from_status", "to_status")) == [
        ("draft", "submitted")
    ]
    assert len(callbacks) == 2  # the PDF job and the e-mail, both only after commit


def test_submitting_twice_gives_the_same_submission(draft, signatory):
    first = services.application_submit(application=draft, user=signatory)
    second = services.application_submit(application=draft, user=signatory)

    assert first.pk == second.pk
    assert Submission.objects.count() == 1
    assert ReceiptDocument.objects.count() == 1
    assert StatusChange.objects.count() == 1


def test_an_editor_cannot_submit(draft, editor):
    before = state(draft)

    with pytest.raises(ServiceError) as excinfo:
        services.application_submit(application=draft, user=editor)

    assert excinfo.value.code == "not_signatory"
    assert state(draft) == before
    assert mail.outbox == []


def test_submit_at_the_deadline_minute(draft, signatory):
    # the deadline is shown to the minute, so it accepts the whole of that minute
    minute = draft.round.application_deadline.replace(second=0, microsecond=0)
    before = state(draft)

    with pytest.raises(ServiceError) as excinfo:
        services.application_submit(application=draft, user=signatory,
                                    now=minute + timedelta(minutes=1))

    assert excinfo.value.code == "deadline_passed"
    assert "Søknaden er ikke sendt, men utkastet er lagret." in excinfo.value.message
    assert state(draft) == before

    last = minute + timedelta(seconds=59, microseconds=999999)
    submission = services.application_submit(application=draft, user=signatory, now=last)
    assert submission.submitted_at == last


def test_frozen_content_does_not_follow_later_changes(draft, signatory, editor):
    submission = services.application_submit(application=draft, user=signatory)
    services.application_withdraw(application=draft, user=signatory, reason="Feil beløp")
    services.application_update(application=draft, user=editor,
                                competence=[competence_line(amount=Decimal("99000"))])

    submission.refresh_from_db()
    assert submission.content["competence"][0]["amount"] == "60000"


def test_a_reference_another_submission_has_is_drawn_again(
    draft, signatory, open_round, monkeypatch
):
    # given: Stavanger's application was sent under a reference
    rogaland = stavanger()
    rogaland_signatory = member(rogaland, MembershipRole.SIGNATORY)
    other = services.application_start(organisation=rogaland, round=open_round,
                                       user=rogaland_signatory)
    services.application_update(application=other, user=rogaland_signatory,
                                header=complete_header(), competence=[competence_line()])
    taken = services.application_submit(application=other, user=rogaland_signatory).reference
    draws = iter([taken, "KKT-2026-5001-ABCD"])
    monkeypatch.setattr("tilskudd.submissions.new_reference", lambda *args: next(draws))

    # when: Trondheim's first draw is the same reference
    submission = services.application_submit(application=draft, user=signatory)

    # then: it is sent under the second draw
    assert submission.reference == "KKT-2026-5001-ABCD"
    assert Submission.objects.filter(reference=taken).count() == 1


# --- withdraw ------------------------------------------------------------------------

def test_withdraw_with_reason_then_resubmit_with_a_new_reference(draft, signatory):
    first = services.application_submit(application=draft, user=signatory)

    services.application_withdraw(application=draft, user=signatory, reason="Feil beløp")
    draft.refresh_from_db()
    assert draft.status == ApplicationStatus.WITHDRAWN
    first.refresh_from_db()
    assert first.withdrawn_by == signatory
    assert first.withdraw_reason == "Feil beløp"

    second = services.application_submit(application=draft, user=signatory)
    assert second.reference != first.reference
    assert list(draft.status_changes.values_list("to_status", flat=True)) == [
        "submitted", "withdrawn", "submitted"
    ]


def test_withdraw_needs_a_reason_and_a_signatory_and_time(draft, signatory, editor):
    services.application_submit(application=draft, user=signatory)
    before = state(draft)

    for user, reason, now, code in [
        (signatory, "  ", None, "reason_required"),
        (editor, "Feil", None, "not_signatory"),
        # the deadline's minute is still open (tilskudd.deadlines); the next one is not
        (signatory, "Feil", draft.round.application_deadline + timedelta(minutes=1),
         "deadline_passed"),
    ]:
        with pytest.raises(ServiceError) as excinfo:
            services.application_withdraw(application=draft, user=user, reason=reason, now=now)
        assert excinfo.value.code == code
        assert state(draft) == before


def test_a_draft_cannot_be_withdrawn(draft, signatory):
    with pytest.raises(ServiceError) as excinfo:
        services.application_withdraw(application=draft, user=signatory, reason="x")
    assert excinfo.value.code == "not_submitted"


# --- signature request ---------------------------------------------------------------

def test_editor_asks_the_signatory_to_sign(draft, editor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.application_request_signature(application=draft, user=editor)

    draft.refresh_from_db()
    assert draft.signature_requested_by == editor
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["signatur@example.no"]
    assert "Ulrikke Utfyller" in mail.outbox[0].body
    assert f"http://127.0.0.1:8000/soknader/{draft.pk}/forhandsvis/" in mail.outbox[0].body


# --- attachments ---------------------------------------------------------------------

def test_attachment_must_be_a_pdf_by_content(draft, editor):
    fake = SimpleUploadedFile("plan.pdf", b"GIF89a not a pdf", content_type="application/pdf")

    with pytest.raises(ValidationError) as excinfo:
        services.attachment_add(application=draft, user=editor, uploaded=fake,
                                kind="leve_hele_livet", title="Plan")

    assert excinfo.value.message_dict == {"file": ["Vedlegg må være PDF-filer."]}
    assert draft.attachments.count() == 0


def test_attachment_size_is_limited(draft, editor, monkeypatch):
    monkeypatch.setattr(services, "MAX_ATTACHMENT_BYTES", 10)
    pdf = SimpleUploadedFile("plan.pdf", b"%PDF-1.4 more than ten bytes")

    with pytest.raises(ValidationError) as excinfo:
        services.attachment_add(application=draft, user=editor, uploaded=pdf,
                                kind="other", title="Plan")

    assert "for stor" in excinfo.value.message_dict["file"][0]
    assert draft.attachments.count() == 0


def test_attachment_is_stored_with_its_checksum_and_listed_in_the_snapshot(draft, editor):
    import hashlib

    body = blank_pdf("plan")
    attachment = services.attachment_add(
        application=draft, user=editor, uploaded=SimpleUploadedFile("plan.pdf", body),
        kind="leve_hele_livet", title="Leve hele livet-plan",
    )

    assert attachment.sha256 == hashlib.sha256(body).hexdigest()
    from applications.snapshot import application_snapshot

    assert application_snapshot(draft)["attachments"][0]["title"] == "Leve hele livet-plan"


def test_competence_lines_need_whole_kroner(draft, editor):
    with pytest.raises(ValidationError):
        services.application_update(
            application=draft, user=editor, competence=[competence_line(amount=Decimal("10.5"))]
        )
    assert CompetenceLine.objects.get(application=draft).amount == Decimal("60000")


def test_deadline_message_is_in_oslo_time(draft, signatory):
    draft.round.application_deadline = timezone.now() - timedelta(minutes=1)
    draft.round.opens_at = timezone.now() - timedelta(days=2)
    draft.round.save()
    local = timezone.localtime(draft.round.application_deadline)

    with pytest.raises(ServiceError) as excinfo:
        services.application_submit(application=draft, user=signatory)

    assert f"kl. {local:%H:%M}" in excinfo.value.message
