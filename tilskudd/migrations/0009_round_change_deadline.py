from datetime import datetime
from zoneinfo import ZoneInfo

from django.db import migrations, models


def first_of_october(apps, schema_editor):
    """Existing rounds get the default: 1 October of their year at 23:59 Oslo time."""
    Round = apps.get_model("tilskudd", "Round")
    oslo = ZoneInfo("Europe/Oslo")
    for rnd in Round.objects.filter(change_deadline__isnull=True):
        rnd.change_deadline = datetime(rnd.year, 10, 1, 23, 59, tzinfo=oslo)
        rnd.save(update_fields=["change_deadline"])


class Migration(migrations.Migration):

    dependencies = [
        ("tilskudd", "0008_invitations_and_access_since_office_administrator"),
    ]

    operations = [
        migrations.AddField(
            model_name="round",
            name="change_deadline",
            field=models.DateTimeField(
                blank=True, help_text="Tom: 1. oktober kl. 23:59 i året.", null=True,
                verbose_name="frist for endringssøknad",
            ),
        ),
        migrations.RunPython(first_of_october, migrations.RunPython.noop),
    ]
