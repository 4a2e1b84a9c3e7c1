from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from tilskudd.seeding import load_demo_data, load_reference_data, run_app_demo_loaders


class Command(BaseCommand):
    help = (
        "Laster embeter, fylker, alle kommuner og fylkeskommuner (idempotent). "
        "Med --demo også demodata og demobrukere."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--demo", action="store_true", help="Last også demodata og demobrukere."
        )

    def handle(self, *args, demo: bool = False, **options):
        if demo and not settings.DEBUG:
            raise CommandError("Demodata lastes bare når DJANGO_DEBUG er på.")
        counts = load_reference_data()
        self.stdout.write(
            f"Referansedata: {counts.offices} embeter, {counts.counties} fylker, "
            f"{counts.municipalities} kommuner, {counts.county_municipalities} fylkeskommuner."
        )
        if demo:
            logins = load_demo_data()
            for line in run_app_demo_loaders():
                self.stdout.write(f"  {line}")
            self.stdout.write(self.style.SUCCESS("Demobrukere (e-post / passord):"))
            for login in logins:
                self.stdout.write(f"  {login.role:45} {login.email:36} {login.password}")
