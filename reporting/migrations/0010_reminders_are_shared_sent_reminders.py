"""A report's reminders are recorded as every app's are, in tilskudd.reminders.SentReminder
(kind "report_" and the reminder's kind, key the report's id): the rows of ReminderSent
move there, then the model goes. Backwards, they move back."""

from django.db import migrations

KIND_PREFIX = "report_"
BATCH = 1000


def to_sent_reminders(apps, schema_editor):
    ReminderSent = apps.get_model("reporting", "ReminderSent")
    SentReminder = apps.get_model("tilskudd", "SentReminder")
    rows = ReminderSent.objects.order_by("pk").iterator(chunk_size=BATCH)
    SentReminder.objects.bulk_create(
        (SentReminder(kind=KIND_PREFIX + r.kind, key=str(r.report_id), sent_at=r.sent_at,
                      recipients=r.recipients) for r in rows),
        batch_size=BATCH,
    )


def to_reminders_sent(apps, schema_editor):
    ReminderSent = apps.get_model("reporting", "ReminderSent")
    SentReminder = apps.get_model("tilskudd", "SentReminder")
    Report = apps.get_model("reporting", "Report")
    reports = set(Report.objects.values_list("pk", flat=True))
    moved = SentReminder.objects.filter(kind__startswith=KIND_PREFIX)
    ReminderSent.objects.bulk_create(
        (ReminderSent(report_id=int(r.key), kind=r.kind.removeprefix(KIND_PREFIX),
                      sent_at=r.sent_at, recipients=r.recipients)
         for r in moved.order_by("pk") if int(r.key) in reports),
        batch_size=BATCH,
    )
    moved.delete()


class Migration(migrations.Migration):

    dependencies = [
        ("reporting", "0009_reportsubmission_language"),
        ("tilskudd", "0010_sent_reminder"),
    ]

    operations = [
        migrations.RunPython(to_sent_reminders, to_reminders_sent),
        migrations.DeleteModel(name="ReminderSent"),
    ]
