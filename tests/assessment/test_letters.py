"""Allocation letters: made by the Celery job (eager in tests) after commit, read back from
the PDF; a new version never overwrites the old; the applicant's archive and e-mail."""

import re
from decimal import Decimal

import pytest
from django.core import mail

import tests.pdf
from assessment import rules, services
from assessment.models import AllocationLetter, AssessmentEvent, EventAction, LetterKind
from tests.tilskudd.factories import OrganisationFactory, member
from tilskudd.archive import archive_documents
from tilskudd.documents.jobs import DocumentStatus
from tilskudd.errors import ServiceError
from tilskudd.models import MembershipRole, OrganisationKind

from .helpers import bpa, competence, decide, project, recommend, submit

pytestmark = pytest.mark.django_db


def pdf_text(letter: AllocationLetter) -> str:
    """The letter's text, white space folded (non-breaking spaces in amounts too)."""
    letter.refresh_from_db()
    with letter.file.open("rb") as fh:
        return tests.pdf.pdf_text(fh.read())


def make_letter(assessment, user, capture) -> AllocationLetter:
    with capture(execute=True):
        letter = services.letter_generate(assessment=assessment, user=user)
    letter.refresh_from_db()
    return letter


def test_a_grant_below_the_threshold_needs_no_auditor(
    trondheim, open_round, budget, signatory, caseworker, approver,
    django_capture_on_commit_callbacks,
):
    application = submit(trondheim, open_round, signatory,
                         competence_lines=[competence("150000")], bpa_lines=[bpa("49999")])
    assessment = decide(application, caseworker, approver)

    letter = make_letter(assessment, caseworker, django_capture_on_commit_callbacks)

    text = pdf_text(letter)
    year = open_round.year
    assert letter.status == DocumentStatus.READY
    assert letter.kind == LetterKind.GRANT
    assert "Statsforvalteren i Trøndelag" in text
    assert f"Tilskuddsbrev – Kompetanse- og tjenesteutviklingstilskudd {year}" in text
    assert application.submissions.get().reference in text
    assert "Trondheim - Tråante kommune (org.nr. 942110464)" in text
    assert "et tilskudd på kr 199 999" in text
    assert re.search(r"Sum kr [0-9 ]+ kr 199 999", text)  # applied and granted, the last row
    assert "Videreutdanning / master – Videreutdanning i psykisk helsearbeid (3 ansatte)" in text
    assert "kr 150 000" in text and "kr 49 999" in text
    assert f"innen 1. mars {year + 1} kl. 23:59" in text
    assert "Tilskuddet er under kr 200 000, og det kreves ikke revisorattestasjon" in text
    assert "attestert av revisor" not in text
    assert "Styrke kompetansen i omsorgstjenesten." in text
    assert "kan etter søknad overføres til neste år" in text
    assert "skal betales tilbake til Statsforvalteren" in text
    assert NO_APPEAL in text
    assert "Klagefristen" not in text
    assert "Kari Kontakt, kari.kontakt@example.no" in text
    assert "Sara Saksbehandler" in text and "Gunnar Godkjenner" in text


def test_a_grant_of_200_000_requires_an_auditor(
    trondheim, open_round, budget, signatory, caseworker, approver,
    django_capture_on_commit_callbacks,
):
    application = submit(trondheim, open_round, signatory,
                         competence_lines=[competence("150000")], bpa_lines=[bpa("50000")])
    assessment = decide(application, caseworker, approver)

    text = pdf_text(make_letter(assessment, caseworker, django_capture_on_commit_callbacks))

    assert "et tilskudd på kr 200 000" in text
    assert "Tilskuddet er på kr 200 000 eller mer. Regnskapsrapporten skal derfor være attestert " \
           "av revisor." in text
    assert "det kreves ikke revisorattestasjon" not in text


def test_the_threshold_is_one_named_rule():
    assert rules.AUDITOR_THRESHOLD == 200_000
    assert rules.auditor_required(Decimal("199999")) is False
    assert rules.auditor_required(Decimal("200000")) is True
    assert rules.auditor_required(None) is False


def test_a_partly_granted_letter_shows_what_was_applied_for_and_why_it_was_cut(
    trondheim, open_round, budget, signatory, caseworker, approver,
    django_capture_on_commit_callbacks,
):
    application = submit(trondheim, open_round, signatory, competence_lines=[competence("60000")],
                         projects=[project("250000")])
    assessment = decide(
        application, caseworker, approver,
        amount=lambda la: Decimal("100000") if la.part == "projects" else la.applied,
    )

    text = pdf_text(make_letter(assessment, caseworker, django_capture_on_commit_callbacks))

    assert "et tilskudd på kr 160 000" in text
    assert "Søknaden er delvis innvilget: det ble søkt om kr 310 000." in text
    assert "Velferdsteknologi i hjemmetjenesten (Mestring)" in text
    assert "Godt begrunnet tiltak." in text


def test_each_line_carries_its_justification_under_it(
    trondheim, open_round, budget, signatory, caseworker, approver,
    django_capture_on_commit_callbacks,
):
    """Three cells a line (WeasyPrint's cost is per cell, bench/pdf.py): the measure with
    the office's justification under it, what was applied for and what was granted."""
    application = submit(trondheim, open_round, signatory, competence_lines=[competence("60000")],
                         projects=[project("250000")])
    assessment = decide(
        application, caseworker, approver,
        amount=lambda la: Decimal("100000") if la.part == "projects" else la.applied,
    )

    text = pdf_text(make_letter(assessment, caseworker, django_capture_on_commit_callbacks))

    assert (
        "Tiltak Søkt Innvilget Kompetansetiltak Videreutdanning / master – Videreutdanning i "
        "psykisk helsearbeid (3 ansatte) Begrunnelse: Godt begrunnet tiltak. kr 60 000 "
        "kr 60 000 Tjenesteutvikling"
    ) in text
    # A part of one line has no total row of its own: the line's amounts are the part's.
    assert "Kompetansetiltak i alt" not in text
    assert (
        "Tjenesteutvikling Velferdsteknologi i hjemmetjenesten "
        "(Mestring) Begrunnelse: Godt begrunnet tiltak. kr 250 000 kr 100 000"
    ) in text
    # One table, a row group a part: the column headings once, not once a part.
    assert text.count("Tiltak Søkt Innvilget") == 1


NO_APPEAL = ("Det kan ikke klages på tildeling eller avslag på tilskudd under denne "
             "ordningen, jf. forvaltningsloven § 28.")


@pytest.mark.parametrize(
    "kind", [OrganisationKind.COUNTY_MUNICIPALITY, OrganisationKind.INTER_MUNICIPAL_COMPANY,
             OrganisationKind.UNIVERSITY]
)
def test_no_applicant_is_told_it_may_appeal(
    trondheim, open_round, budget, caseworker, approver, django_capture_on_commit_callbacks, kind
):
    # the seeds: «Det kan ikke klages på tildeling/avslag på tilskudd i hht.
    # Forvaltningsloven §28», for every kind of applicant (universities too)
    organisation = OrganisationFactory(kind=kind, name="Søker", municipality_number=None,
                                       org_number="974767880", county=trondheim.county)
    application = submit(organisation, open_round, member(organisation, MembershipRole.SIGNATORY))
    assessment = decide(application, caseworker, approver)

    text = " ".join(pdf_text(make_letter(
        assessment, caseworker, django_capture_on_commit_callbacks)).split())

    assert NO_APPEAL in text
    assert "Klagefristen" not in text
    assert "kan påklages" not in text
    assert "enkeltvedtak" not in text


def test_a_rejection_letter_says_so_and_asks_for_no_acceptance(
    application, caseworker, approver, django_capture_on_commit_callbacks
):
    assessment = recommend(application, caseworker, amount=lambda la: Decimal(0))
    services.assessment_approve(assessment=assessment, user=approver)

    letter = make_letter(assessment, caseworker, django_capture_on_commit_callbacks)
    text = pdf_text(letter)

    assert letter.kind == LetterKind.REJECTION
    assert "– avslag" in text
    assert "Søknaden er avslått." in text
    assert re.search(r"Sum kr [0-9 ]+ kr 0 ", text)
    assert "Aksept av tilskuddet" not in text
    assert "revisor" not in text
    assert NO_APPEAL in text  # a rejection cannot be appealed either


def test_regenerating_makes_a_new_version_and_keeps_the_old(
    application, caseworker, approver, django_capture_on_commit_callbacks
):
    assessment = decide(application, caseworker, approver)
    first = make_letter(assessment, caseworker, django_capture_on_commit_callbacks)
    first_file, first_sha = first.file.name, first.sha256

    second = make_letter(assessment, approver, django_capture_on_commit_callbacks)

    first.refresh_from_db()
    assert [(v.version, v.status) for v in assessment.letters.order_by("version")] == [
        (1, DocumentStatus.READY), (2, DocumentStatus.READY)
    ]
    assert (first.file.name, first.sha256) == (first_file, first_sha)
    assert second.file.name != first.file.name
    assert second.created_by == approver
    assert list(assessment.events.filter(action=EventAction.LETTER).values_list(
        "note", flat=True)) == ["Tilskuddsbrev, versjon 1", "Tilskuddsbrev, versjon 2"]


def test_a_bulk_run_keeps_a_letter_that_exists(application, caseworker, approver,
                                               django_capture_on_commit_callbacks):
    assessment = decide(application, caseworker, approver)
    first = make_letter(assessment, caseworker, django_capture_on_commit_callbacks)

    with django_capture_on_commit_callbacks(execute=True):
        again = services.letter_generate(assessment=assessment, user=caseworker, replace=False)

    assert again.pk == first.pk
    assert AllocationLetter.objects.count() == 1


def test_no_letter_before_the_decision(application, caseworker):
    assessment = recommend(application, caseworker)
    events = AssessmentEvent.objects.count()

    with pytest.raises(ServiceError) as refused:
        services.letter_generate(assessment=assessment, user=caseworker)

    assert refused.value.code == "not_decided"
    assert AllocationLetter.objects.count() == 0
    assert AssessmentEvent.objects.count() == events


def test_a_caseworker_of_another_office_cannot_make_a_letter(
    application, caseworker, approver, rogaland_caseworker
):
    assessment = decide(application, caseworker, approver)

    with pytest.raises(ServiceError) as refused:
        services.letter_generate(assessment=assessment, user=rogaland_caseworker)

    assert refused.value.code == "not_office_staff"
    assert AllocationLetter.objects.count() == 0


def test_the_contact_person_and_signatories_are_emailed_when_committed(
    application, caseworker, approver, signatory, django_capture_on_commit_callbacks
):
    assessment = decide(application, caseworker, approver)
    mail.outbox.clear()

    make_letter(assessment, caseworker, django_capture_on_commit_callbacks)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == ["kari.kontakt@example.no", "signatur@trondheim.example.no"]
    reference = application.submissions.get().reference
    assert message.subject == (
        f"Tilskuddsbrev: Kompetanse- og tjenesteutviklingstilskudd {application.round.year}"
        f" ({reference})"
    )
    assert f"Referanse: {reference}" in message.body  # the letter e-mail names it
    assert f"/tildeling/{application.pk}/" in message.body
    assert "versjon 1" in message.body


def test_the_letter_is_in_the_applicants_archive_with_its_checksum(
    application, caseworker, approver, django_capture_on_commit_callbacks
):
    import hashlib

    assessment = decide(application, caseworker, approver)
    letter = make_letter(assessment, caseworker, django_capture_on_commit_callbacks)

    documents = archive_documents([application.pk])[application.pk]

    with letter.file.open("rb") as fh:
        digest = hashlib.sha256(fh.read()).hexdigest()
    assert [(d.title, d.status, d.sha256, d.url, d.action_url) for d in documents] == [
        ("Tilskuddsbrev, versjon 1", "Klar", digest, f"/tildeling/brev/{letter.pk}/",
         f"/tildeling/{application.pk}/"),
    ]
    assert documents[0].action_label == "Aksepter tilskuddet"
