from django.db import migrations, models


class Migration(migrations.Migration):
    """AssessmentEvent is a tilskudd.workflow.HistoryEntry: its comment is the entry's note."""

    dependencies = [
        ("assessment", "0001_initial"),
    ]

    operations = [
        migrations.RenameField(model_name="assessmentevent", old_name="comment", new_name="note"),
        migrations.AlterField(
            model_name="assessmentevent",
            name="note",
            field=models.TextField(blank=True, verbose_name="merknad"),
        ),
    ]
