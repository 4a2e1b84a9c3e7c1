"""Oslo kommune (0301) carries Oslo's county tasks too (applications.rules.
COUNTY_TASKS_IN_MUNICIPALITY), so the county-level Oslo row that older seeds made goes:
deleted where nothing refers to it (no application, member or invitation). One that is in
use is left as it is; the rules refuse its submissions and say to apply as Oslo kommune,
so no one's draft or access is lost."""

from django.db import migrations


def remove_county_level_oslo(apps, schema_editor):
    Organisation = apps.get_model("tilskudd", "Organisation")
    Application = apps.get_model("applications", "Application")
    Membership = apps.get_model("tilskudd", "Membership")
    Invitation = apps.get_model("tilskudd", "Invitation")
    for organisation in Organisation.objects.filter(
        kind="county_municipality", county__number="03"
    ):
        in_use = (
            Application.objects.filter(organisation=organisation).exists()
            or Membership.objects.filter(organisation=organisation).exists()
            or Invitation.objects.filter(organisation=organisation).exists()
        )
        if not in_use:
            organisation.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0005_application_status_to_sign"),
        ("tilskudd", "0008_invitations_and_access_since_office_administrator"),
    ]

    operations = [
        migrations.RunPython(remove_county_level_oslo, migrations.RunPython.noop),
    ]
