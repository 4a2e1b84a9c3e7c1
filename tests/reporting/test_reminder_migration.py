"""reporting 0010: a report's reminders, once ReminderSent rows, become SentReminder rows
(kind "report_" and the old kind, key the report's id), and move back when unapplied."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from reporting import reminders
from tilskudd.reminders import SentReminder

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("reporting", "0009_reportsubmission_language")
AFTER = ("reporting", "0010_reminders_are_shared_sent_reminders")
SENT_AT = datetime(2027, 1, 30, 5, tzinfo=UTC)


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.migrate([target])
    return executor.loader.project_state([target]).apps


def test_the_reports_reminders_move_to_sent_reminder_and_back(report, rogaland_report):
    old = _migrate(BEFORE)
    try:
        ReminderSent = old.get_model("reporting", "ReminderSent")
        ReminderSent.objects.create(report_id=report.pk, kind="days_30", sent_at=SENT_AT,
                                    recipients=["kari@trondheim.example.no"])
        ReminderSent.objects.create(report_id=report.pk, kind="overdue", sent_at=SENT_AT,
                                    recipients=[])
        ReminderSent.objects.create(report_id=rogaland_report.pk, kind="days_30",
                                    sent_at=SENT_AT, recipients=[])
        # another app's reminder about the same number stays as it is
        SentReminder.objects.create(kind="letter_not_accepted", key=str(report.pk),
                                    sent_at=SENT_AT, recipients=[])

        _migrate(AFTER)

        assert sorted(SentReminder.objects.values_list("kind", "key", "recipients")) == [
            ("letter_not_accepted", str(report.pk), []),
            ("report_days_30", str(report.pk), ["kari@trondheim.example.no"]),
            ("report_days_30", str(rogaland_report.pk), []),
            ("report_overdue", str(report.pk), []),
        ]
        assert [(reminders.kind_of(r), r.sent_at) for r in reminders.sent_for(report)] == [
            ("days_30", SENT_AT), ("overdue", SENT_AT)]

        old = _migrate(BEFORE)

        ReminderSent = old.get_model("reporting", "ReminderSent")
        assert sorted(ReminderSent.objects.values_list("report_id", "kind", "recipients")) == (
            sorted([(report.pk, "days_30", ["kari@trondheim.example.no"]),
                    (report.pk, "overdue", []), (rogaland_report.pk, "days_30", [])]))
        assert list(SentReminder.objects.values_list("kind", "key")) == [
            ("letter_not_accepted", str(report.pk))]
    finally:  # back to the newest, or the tests after this one find an old schema
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes("reporting")[0])
