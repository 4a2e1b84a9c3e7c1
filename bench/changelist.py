"""Benchmark of the caseworkers' list in the admin (assessment.admin, issue 15): one office
with 4 000 submitted applications for its caseworker, and 10 000 in all (that office and
another with 6 000) for a superuser, each with 2 competence lines, a BPA line and a project
and half of them decided. Renders the list as it opens, sorted by the amounts and sorted
by the reference, interleaved with Django's admin login page (anonymous) in the same
process, with production settings (DJANGO_DEBUG=0: cached templates, as gunicorn serves
them; --debug for the development ones); prints the median ms, the ratio to the login page
and the queries; asserts nothing.

Run with `make bench-changelist` (a throw-away SQLite database) or with DATABASE_URL set
to a PostgreSQL database you may fill and flush.

    python bench/changelist.py [--office 4000] [--other 6000] [--repeat 15] [--debug]
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import statistics
import tempfile
import time

from run import setup_django

VIEWS = [("opens", {}), ("sorted by amounts", {"o": "5"}), ("sorted by reference", {"o": "-1"})]


def fill(args, sender):
    """The two offices in bulk (tests.assessment.national_helpers), a live submission
    each, and the stored list fields filled by the data migrations' own arithmetic."""
    from django.apps import apps
    from django.utils import timezone

    from applications.models import Application, Submission
    from tests.assessment.national_helpers import bulk_round
    from tests.tilskudd.factories import RoundFactory
    from tilskudd.models import County

    rnd = RoundFactory(year=2100)
    offices = []
    for i, (size, prefix) in enumerate([(args.office, "c"), (args.other, "d")]):
        made = bulk_round(rnd, offices=1, applications=size, competence_lines=2, prefix=prefix)
        County.objects.filter(office=made.offices[0]).update(number=f"{70 + i}")  # free "60"
        offices.append(made.offices[0])
    now = timezone.now()
    Submission.objects.bulk_create([
        Submission(application_id=pk, reference=f"KKT-2100-{pk:05d}-BNCH", submitted_at=now,
                   submitted_by=sender, content={}, total_applied=0)
        for pk in Application.objects.values_list("pk", flat=True)
    ], batch_size=2000)
    importlib.import_module(
        "applications.migrations.0008_application_list_fields").fill_list_fields(apps, None)
    importlib.import_module(
        "assessment.migrations.0003_assessment_stored_totals").fill_case_totals(apps, None)
    return offices[0]


def timed(client, url, params, repeat) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url, params)  # warm: templates, translations, the session
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(url, params)
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.status_code
    with CaptureQueriesContext(connection) as queries:
        client.get(url, params)
    return statistics.median(samples), len(queries)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--office", type=int, default=4000)
    parser.add_argument("--other", type=int, default=6000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--debug", action="store_true", help="development settings")
    args = parser.parse_args()
    if not args.debug:
        os.environ.update({
            "DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "changelist-bench-only-" + "x" * 40,
            "DJANGO_ALLOWED_HOSTS": "testserver", "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_STATIC_ROOT": tempfile.mkdtemp(prefix="tilskudd-bench-static-"),
            "DJANGO_LOG_LEVEL": "WARNING",
        })
    setup_django()
    if not args.debug:
        from django.core.management import call_command

        call_command("collectstatic", verbosity=0, interactive=False)

    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from tests.tilskudd.factories import UserFactory, office_staff

    setup_test_environment()
    logging.getLogger("axes").setLevel(logging.WARNING)  # a line per force_login
    superuser = UserFactory(email="admin@bench.example.no", is_staff=True, is_superuser=True)
    office = fill(args, superuser)
    caseworker = office_staff(office, email="saksbehandler@bench.example.no")
    changelist = reverse("admin:assessment_submittedapplication_changelist")
    anonymous = Client()
    login_ms, login_queries = timed(anonymous, reverse("admin:login"), {}, args.repeat)

    settings = "development" if args.debug else "production"
    print(f"database: {connection.vendor}; {settings} settings; median of {args.repeat}")
    print(f"{'page':46} {'ms':>8} {'× login':>8} {'queries':>8}")
    print(f"{'Django admin login page':46} {login_ms:>8.1f} {1:>8.1f} {login_queries:>8}")
    for who, user, rows in [("caseworker", caseworker, args.office),
                            ("superuser", superuser, args.office + args.other)]:
        client = Client()
        client.force_login(user)
        for name, params in VIEWS:
            ms, queries = timed(client, changelist, params, args.repeat)
            label = f"list, {rows} for the {who}, {name}"
            print(f"{label:46} {ms:>8.1f} {ms / login_ms:>8.1f} {queries:>8}")


if __name__ == "__main__":
    main()
