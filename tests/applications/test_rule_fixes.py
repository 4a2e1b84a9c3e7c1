"""Issue 14, fixes to the application rules: ticking the «Leve hele livet» plan needs the
plan as an attachment; Oslo kommune is one organisation that applies for Oslo's county
tasks too (the county-level row is refused, and removed by a migration where unused)."""

from datetime import datetime, timedelta
from importlib import import_module
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from applications import reminders, services, tasks
from applications.models import AttachmentKind
from applications.rules import check_application
from tests.applications.conftest import bpa_line, competence_line, complete_header, project
from tests.applications.test_services import state
from tests.applications.test_views import step_url
from tests.pdf import blank_pdf
from tests.tilskudd.factories import CountyFactory, OfficeFactory, OrganisationFactory, member
from tilskudd.errors import ServiceError
from tilskudd.models import MembershipRole, Organisation, OrganisationKind, SentReminder

OSLO = ZoneInfo("Europe/Oslo")
PLAN_MISSING = "Du har krysset av for at kommunen har en plan for «Leve hele livet»."


def _tick_plan(application, user):
    return services.application_update(
        application=application, user=user,
        header={**complete_header(), "has_leve_hele_livet_plan": True},
    )


def _attach(application, user, kind):
    return services.attachment_add(
        application=application, user=user, kind=kind, title="Plan",
        uploaded=SimpleUploadedFile("plan.pdf", blank_pdf(), content_type="application/pdf"),
    )


def test_a_ticked_plan_without_the_document_is_refused_and_the_draft_kept(draft, editor,
                                                                          signatory):
    _tick_plan(draft, editor)
    _attach(draft, editor, AttachmentKind.OTHER)  # another attachment is not the plan
    before = state(draft)

    with pytest.raises(ServiceError) as refused:
        services.application_submit(application=draft, user=signatory)

    [error] = [e for e in refused.value.errors if e.section == "attachments"]
    assert error.message.startswith(PLAN_MISSING)
    assert "saksfremlegg" in error.message
    assert state(draft) == before
    draft.refresh_from_db()
    assert draft.has_leve_hele_livet_plan is True


def test_a_ticked_plan_with_the_document_may_be_sent(draft, editor, signatory):
    _tick_plan(draft, editor)
    _attach(draft, editor, AttachmentKind.LEVE_HELE_LIVET)

    submission = services.application_submit(application=draft, user=signatory)

    assert submission.reference


def test_no_plan_ticked_needs_no_document(draft):
    assert check_application(draft) == []


def test_the_attachment_step_says_so_next_to_the_attachments(client, draft, editor):
    _tick_plan(draft, editor)
    client.force_login(editor)

    html = client.get(step_url(draft, "vedlegg")).content.decode()

    section = html.split('id="section-attachments"', 1)[1].split("</section>", 1)[0]
    assert PLAN_MISSING in section
    summary = client.get(step_url(draft, "oppsummering")).content.decode()
    assert f'href="{step_url(draft, "vedlegg")}#section-attachments"' in summary


# --- Oslo -------------------------------------------------------------------------------


@pytest.fixture
def oslo_county(db):
    office = OfficeFactory(code="ostfold-buskerud-oslo-akershus",
                           short_name="Østfold, Buskerud, Oslo og Akershus")
    return CountyFactory(number="03", name="Oslo", office=office)


@pytest.fixture
def oslo(oslo_county):
    return OrganisationFactory(name="Oslo kommune", org_number="958935420",
                               municipality_number="0301", county=oslo_county)


def test_oslo_kommune_applies_for_the_county_mental_health_lines_and_everything_else(
    oslo, open_round
):
    signer = member(oslo, MembershipRole.SIGNATORY, email="signatur@oslo.example.no")
    application = services.application_start(organisation=oslo, round=open_round, user=signer)
    services.application_update(
        application=application, user=signer, header=complete_header(),
        competence=[competence_line(description="Psykisk helse for ansatte i videregående",
                                    is_mental_health=True),
                    competence_line(is_mental_health=False)],
        bpa=[bpa_line()], projects=[project()],
    )

    submission = services.application_submit(application=application, user=signer)

    assert submission.reference.startswith(f"KKT-{open_round.year}-0301-")


def test_a_county_level_oslo_row_is_refused_and_told_to_apply_as_oslo_kommune(
    oslo_county, open_round
):
    open_round.scheme.eligible_kinds = [*open_round.scheme.eligible_kinds,
                                        OrganisationKind.COUNTY_MUNICIPALITY]
    open_round.scheme.save()
    county_level = OrganisationFactory(
        kind=OrganisationKind.COUNTY_MUNICIPALITY, name="Oslo kommune (fylkeskommunale oppgaver)",
        org_number="", municipality_number=None, county=oslo_county)
    signer = member(county_level, MembershipRole.SIGNATORY, email="fylke@oslo.example.no")
    application = services.application_start(organisation=county_level, round=open_round,
                                             user=signer)
    services.application_update(application=application, user=signer,
                                header=complete_header(), competence=[competence_line()])
    before = state(application)

    with pytest.raises(ServiceError) as refused:
        services.application_submit(application=application, user=signer)

    assert [e.message for e in refused.value.errors] == [
        "Oslo har ingen egen fylkeskommune: kommunen søker for hele fylket, også om "
        "kompetansetiltak innen psykisk helse og rus. Send søknaden som kommunen."]
    assert state(application) == before


def _migrate():
    migration = import_module("applications.migrations.0006_oslo_is_one_organisation")
    migration.remove_county_level_oslo(django_apps, None)


def _county_level(county):
    return Organisation.objects.create(
        kind=OrganisationKind.COUNTY_MUNICIPALITY, name="Oslo kommune (fylkeskommunale oppgaver)",
        county=county)


def test_the_migration_removes_an_unused_county_level_oslo_row(oslo, oslo_county):
    _county_level(oslo_county)

    _migrate()

    assert list(Organisation.objects.filter(county=oslo_county)) == [oslo]


def test_the_migration_keeps_a_county_level_row_that_is_in_use(oslo, oslo_county):
    with_member = _county_level(oslo_county)
    member(with_member, MembershipRole.EDITOR, email="fylke@oslo.example.no")

    _migrate()

    assert Organisation.objects.filter(pk=with_member.pk).exists()


# --- reminders before the application deadline -----------------------------------------


def _at(deadline, days_before: int, hour: int = 6):
    """`hour` o'clock (Oslo) on the day `days_before` days before the deadline's day."""
    day = deadline.astimezone(OSLO).date() - timedelta(days=days_before)
    return datetime(day.year, day.month, day.day, hour, tzinfo=OSLO)


def _remind(now, capture) -> int:
    with capture(execute=True):
        return reminders.send_deadline_reminders(now=now)


def test_an_unsent_draft_is_reminded_7_and_1_days_before_the_deadline_once_each(
    draft, signatory, mailoutbox, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    deadline = draft.round.application_deadline

    assert _remind(_at(deadline, 8), capture) == 0
    assert _remind(_at(deadline, 7), capture) == 1
    assert _remind(_at(deadline, 7, hour=20), capture) == 0
    assert _remind(_at(deadline, 1), capture) == 1
    assert _remind(_at(deadline, 1, hour=22), capture) == 0

    assert sorted(SentReminder.objects.values_list("kind", flat=True)) == [
        "application_deadline_1", "application_deadline_7"]
    assert [sorted(m.to) for m in mailoutbox] == [
        ["kari@trondheim.example.no", "signatur@example.no"]] * 2
    assert "Det er 7 dager til fristen." in mailoutbox[0].body
    assert "Fristen er i morgen." in mailoutbox[1].body
    assert f"{settings.SITE_URL}/soknader/{draft.pk}/" in mailoutbox[0].body


def test_a_sent_application_gets_no_deadline_reminder(
    draft, signatory, mailoutbox, django_capture_on_commit_callbacks
):
    services.application_submit(application=draft, user=signatory)
    mailoutbox.clear()

    assert _remind(_at(draft.round.application_deadline, 1),
                   django_capture_on_commit_callbacks) == 0
    assert mailoutbox == []


def test_the_beat_task_sends_the_deadline_reminders(draft, django_capture_on_commit_callbacks):
    now = _at(draft.round.application_deadline, 7)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.deadline_reminders.delay(now=now.isoformat()).get() == 1
