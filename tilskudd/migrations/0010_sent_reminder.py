import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    """The record of reminders sent (tilskudd.reminders): each kind and key once."""

    dependencies = [
        ("tilskudd", "0009_round_change_deadline"),
    ]

    operations = [
        migrations.CreateModel(
            name="SentReminder",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True,
                                           serialize=False, verbose_name="ID")),
                ("kind", models.CharField(max_length=40, verbose_name="påminnelse")),
                ("key", models.CharField(max_length=80, verbose_name="gjelder")),
                ("sent_at", models.DateTimeField(default=django.utils.timezone.now,
                                                 verbose_name="sendt")),
                ("recipients", models.JSONField(blank=True, default=list,
                                                verbose_name="mottakere")),
            ],
            options={
                "verbose_name": "sendt påminnelse",
                "verbose_name_plural": "sendte påminnelser",
                "ordering": ["sent_at", "pk"],
                "constraints": [models.UniqueConstraint(fields=("kind", "key"),
                                                        name="sent_reminder_once")],
            },
        ),
    ]
