"""Benchmarks: how the portal behaves with a deadline's worth of applications.

Run with `make bench` (a throw-away SQLite database) or with DATABASE_URL set to a
PostgreSQL database you may fill and flush. Prints figures; asserts nothing.

    python bench/run.py [--applications 357] [--lines 10] [--submit 50]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tilskudd.settings")
    if "DATABASE_URL" not in os.environ:
        db = Path(tempfile.mkdtemp(prefix="tilskudd-bench-")) / "bench.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ.setdefault("DJANGO_MEDIA_ROOT", tempfile.mkdtemp(prefix="tilskudd-bench-media-"))
    os.environ.setdefault("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def bulk_round_args(*, repeat: int) -> argparse.Namespace:
    """The options of the benchmarks over a bulk round (tests.assessment.national_helpers:
    bench/national.py, bench/opendata.py), read, and then Django set up."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--applications", type=int, default=4000)
    parser.add_argument("--competence-lines", type=int, default=8)
    parser.add_argument("--offices", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=repeat)
    args = parser.parse_args()
    setup_django()
    return args


def print_table_header() -> None:
    print(f"{'operation':44} {'n':>6} {'mean ms':>9} {'median':>9} {'p95':>9} {'queries':>8}")


class Timer:
    def __init__(self) -> None:
        self.samples: list[float] = []

    def __enter__(self):
        self._start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.samples.append((time.perf_counter() - self._start) * 1000)

    def line(self, name: str, queries: int | None = None) -> str:
        s = sorted(self.samples)
        p95 = s[min(len(s) - 1, int(len(s) * 0.95))]
        q = f"{queries:>8}" if queries is not None else f"{'':>8}"
        return (f"{name:44} {len(s):>6} {statistics.mean(s):>9.1f} {statistics.median(s):>9.1f}"
                f" {p95:>9.1f}{q}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--applications", type=int, default=357)
    parser.add_argument("--lines", type=int, default=10, help="competence lines per application")
    parser.add_argument("--submit", type=int, default=30, help="applications to submit (PDFs)")
    args = parser.parse_args()
    setup_django()

    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from applications import services
    from tests.applications.conftest import bpa_line, competence_line, complete_header, project
    from tests.tilskudd.factories import RoundFactory, UserFactory
    from tilskudd.models import Membership, MembershipRole, Organisation, OrganisationKind
    from tilskudd.seeding import load_reference_data

    print(f"database: {connection.vendor}; applications: {args.applications}; "
          f"competence lines each: {args.lines}; submitted with PDF: {args.submit}")
    print_table_header()

    t = Timer()
    with t:
        load_reference_data()
    print(t.line("load reference data (357 + 15 organisations)"))

    rnd = RoundFactory()
    orgs = list(Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY)
                .order_by("municipality_number")[: args.applications])
    signers = []
    draft_timer = Timer()
    drafts = []
    for org in orgs:
        user = UserFactory(email=f"sign-{org.municipality_number}@bench.example.no")
        Membership.objects.create(user=user, organisation=org, role=MembershipRole.SIGNATORY)
        signers.append(user)
        with draft_timer:
            app = services.application_start(organisation=org, round=rnd, user=user)
            services.application_update(
                application=app, user=user, header=complete_header(),
                competence=[competence_line() for _ in range(args.lines)],
                bpa=[bpa_line()], projects=[project(title=f"P{i}") for i in range(3)],
            )
        drafts.append(app)
    print(draft_timer.line("start + fill a draft (service)"))

    submit_timer = Timer()
    for app, user in list(zip(drafts, signers, strict=True))[: args.submit]:
        with submit_timer:
            services.application_submit(application=app, user=user)
    print(submit_timer.line("submit incl. receipt PDF (eager WeasyPrint)"))

    client = Client(HTTP_HOST="127.0.0.1")
    pages = [("applications:archive", None), ("applications:edit", "pk"),
             ("applications:preview", "pk")]
    for name, arg in pages:
        timer = Timer()
        queries = None
        for app, user in list(zip(drafts, signers, strict=True))[-20:]:
            client.force_login(user)
            url = reverse(name, args=[app.pk]) if arg else reverse(name)
            reset_queries()
            with CaptureQueriesContext(connection) as ctx, timer:
                response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            queries = len(ctx)
        print(timer.line(f"GET {name}", queries))


if __name__ == "__main__":
    main()
