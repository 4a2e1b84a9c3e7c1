from django.db import migrations, models


class Migration(migrations.Migration):
    """A competence line's explanation when completed + still studying + stopped is not
    its persons, and a reminder for a report returned and not sent again."""

    dependencies = [
        ("reporting", "0005_report_lines_share_an_abstract_line"),
    ]

    operations = [
        migrations.AddField(
            model_name="reportcompetenceline",
            name="persons_explanation",
            field=models.TextField(blank=True, max_length=5000,
                                   verbose_name="forklaring på antall personer"),
        ),
        migrations.AlterField(
            model_name="remindersent",
            name="kind",
            field=models.CharField(
                choices=[("days_30", "30 dager før fristen"), ("days_7", "7 dager før fristen"),
                         ("days_1", "1 dag før fristen"),
                         ("overdue", "Forsinket (varsel til embetet)"),
                         ("returned", "Sendt tilbake og ikke sendt inn igjen etter 7 dager")],
                max_length=16, verbose_name="påminnelse"),
        ),
    ]
