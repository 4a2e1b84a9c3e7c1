"""Benchmarks: how the portal behaves with a deadline's worth of applications.

Run with `make bench` (a throw-away SQLite database) or with DATABASE_URL set to a
PostgreSQL database you may fill and flush. Prints figures; asserts nothing.

The pages (issue 15): each step of the form with a draft of 10 competence lines, the
preview, the receipt page and Mine søknader of an organisation with 10 and with 500
applications, each as the median ms of --repeat GETs and its queries, against Django's
login page in the same process (timed again before each page), production settings
(DJANGO_DEBUG=0: cached template loaders; --debug for the development ones).

With --gunicorn the same pages are also served by gunicorn to a plain HTTP client, as
issue 15 measured them (bench/crush.py serves the whole deadline that way).

    python bench/run.py [--applications 100] [--lines 10] [--submit 10] [--repeat 15]
                        [--gunicorn]
"""

from __future__ import annotations

import argparse
import logging
import os
import socket
import statistics
import subprocess
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


PRODUCTION = {
    "DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "run-bench-only-" + "x" * 40,
    "DJANGO_ALLOWED_HOSTS": "testserver", "DJANGO_SECURE_SSL_REDIRECT": "0",
    "DJANGO_LOG_LEVEL": "WARNING",
}


def timed_get(client, url: str, repeat: int) -> tuple[float, float, int]:
    """Median ms of `repeat` GETs after a warm one (wall clock, and this process's CPU
    time, which others' load on a shared machine disturbs less), and the queries of one
    more."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm: templates, translations, the session
    wall, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return statistics.median(wall), statistics.median(cpu), len(queries)


def past_applications(organisation, scheme, count: int, sender) -> None:
    """`count` submitted applications of earlier rounds (closed), in bulk: a round each,
    two competence lines, a submission."""
    from datetime import timedelta

    from django.utils import timezone

    from applications.models import Application, CompetenceLine, Submission
    from tilskudd.models import Round

    now = timezone.now()
    made = Round.objects.filter(scheme=scheme, year__lt=2000).count()
    rounds = Round.objects.bulk_create([
        Round(scheme=scheme, year=1999 - made - i, opens_at=now - timedelta(days=400),
              application_deadline=now - timedelta(days=300),
              reporting_deadline=now - timedelta(days=10))
        for i in range(count)
    ])
    apps = Application.objects.bulk_create([
        Application(organisation=organisation, round=rnd, status="submitted",
                    contact_name="Kari Kontakt", applied_total=120000)
        for rnd in rounds
    ])
    CompetenceLine.objects.bulk_create([
        CompetenceLine(application=app, education_type="further_master", description="Linje",
                       employees=2, amount=60000)
        for app in apps for _ in range(2)
    ])
    Submission.objects.bulk_create([
        Submission(application=app, reference=f"KKT-{app.round.year}-{app.pk:05d}-BNCH",
                   submitted_at=now, submitted_by=sender, content={}, total_applied=120000)
        for app in apps
    ])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--applications", type=int, default=100,
                        help="drafts filled through the services (and their timing)")
    parser.add_argument("--lines", type=int, default=10, help="competence lines per application")
    parser.add_argument("--submit", type=int, default=10, help="applications to submit (PDFs)")
    parser.add_argument("--repeat", type=int, default=15, help="GETs a page (median)")
    parser.add_argument("--debug", action="store_true", help="development settings")
    parser.add_argument("--gunicorn", action="store_true",
                        help="also through gunicorn (one sync worker), as issue 15 measured")
    parser.add_argument("--profile", metavar="PAGE", default="",
                        help="print cProfile's profile of --repeat GETs of the pages whose "
                             "name holds PAGE (e.g. kompetansetiltak, preview) and stop")
    args = parser.parse_args()
    if not args.debug:  # as gunicorn serves it: cached template loaders, no debug
        os.environ.update(PRODUCTION)
        os.environ["DJANGO_STATIC_ROOT"] = tempfile.mkdtemp(prefix="tilskudd-bench-static-")
    setup_django()
    if not args.debug:
        from django.core.management import call_command

        call_command("collectstatic", verbosity=0, interactive=False)
    logging.getLogger("axes").setLevel(logging.WARNING)  # a line per force_login

    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from applications import services, steps
    from tests.applications.conftest import bpa_line, competence_line, complete_header, project
    from tests.tilskudd.factories import RoundFactory, UserFactory
    from tilskudd.models import Membership, MembershipRole, Organisation, OrganisationKind
    from tilskudd.seeding import load_reference_data

    # No setup_test_environment(): its instrumented template rendering is not what a
    # deployment runs (DJANGO_ALLOWED_HOSTS above lets the test client's "testserver" in).
    settings = "development" if args.debug else "production"
    print(f"database: {connection.vendor}; {settings} settings; drafts: {args.applications}; "
          f"competence lines each: {args.lines}; submitted with PDF: {args.submit}")
    print_table_header()

    t = Timer()
    with t:
        load_reference_data()
    print(t.line("load reference data (357 + 15 organisations)"))

    rnd = RoundFactory()
    orgs = list(Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY)
                .order_by("municipality_number")[: max(args.applications, args.submit + 2)])
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
    submitted = []
    for app, user in list(zip(drafts, signers, strict=True))[: args.submit]:
        with submit_timer:
            submitted.append(services.application_submit(application=app, user=user))
    print(submit_timer.line("submit incl. receipt PDF (eager WeasyPrint)"))

    # The pages, against the bare login page, in this process the same way.
    draft, drafter = drafts[-1], signers[-1]
    receipt, sender = submitted[0], signers[0]
    small, small_user = drafts[-2], signers[-2]  # its organisation: 10 applications
    past_applications(small.organisation, rnd.scheme, 9, small_user)
    past_applications(draft.organisation, rnd.scheme, 499, drafter)  # and this one 500
    client = Client()
    client.force_login(drafter)
    pages = [(f"form step {s.key}", steps.step_url(draft, s.key))
             for s in steps.application_steps(draft)]
    pages.append(("preview", reverse("applications:preview", args=[draft.pk])))
    rows = []
    for name, url in pages:
        rows.append((name, client, url))
    receipt_client = Client()
    receipt_client.force_login(sender)
    rows.append(("receipt page", receipt_client,
                 reverse("applications:receipt", args=[receipt.reference])))
    small_client = Client()
    small_client.force_login(small_user)
    rows.append(("Mine søknader, 10 applications", small_client, reverse("applications:archive")))
    rows.append(("Mine søknader, 500 applications", client, reverse("applications:archive")))

    if args.profile:
        profile_pages([row for row in rows if args.profile in row[0]], args.repeat)
        return

    # The login page is timed again before each page (load on a shared machine drifts);
    # each ratio is to the median of all its runs.
    anonymous = Client()
    measured, logins = [], []
    for name, who, url in rows:
        logins.append(timed_get(anonymous, reverse("login"), args.repeat))
        measured.append((name, *timed_get(who, url, args.repeat)))
    login_ms = statistics.median(ms for ms, _cpu, _q in logins)
    login_cpu = statistics.median(cpu for _ms, cpu, _q in logins)
    print(f"\n{'page (median of ' + str(args.repeat) + ')':40} {'ms':>7} {'× login':>8}"
          f" {'cpu ms':>7} {'× login':>8} {'queries':>8}")
    print(f"{'login page /logg-inn/ (anonymous)':40} {login_ms:>7.1f} {1:>8.1f}"
          f" {login_cpu:>7.1f} {1:>8.1f} {logins[0][2]:>8}")
    for name, ms, cpu, queries in measured:
        print(f"{name:40} {ms:>7.1f} {ms / login_ms:>8.1f} {cpu:>7.1f} {cpu / login_cpu:>8.1f}"
              f" {queries:>8}")
    if args.gunicorn:
        through_gunicorn(rows, args.repeat)


def profile_pages(rows, repeat: int) -> None:
    """cProfile's profile of `repeat` GETs of each page (after a warm one), timed by this
    process's CPU clock (not the wall clock, which others' load on a shared machine fills
    with waits): the functions by their own time and by their cumulative time, and the
    function calls a GET makes (a count that load does not change)."""
    import cProfile
    import pstats

    for name, who, url in rows:
        who.get(url)
        profiler = cProfile.Profile(time.process_time)
        profiler.enable()
        for _ in range(repeat):
            who.get(url)
        profiler.disable()
        stats = pstats.Stats(profiler).strip_dirs()
        print(f"\n== {name} ({url}), {repeat} GETs, {stats.total_calls / repeat:.0f} "
              "function calls a GET")
        stats.sort_stats("tottime").print_stats(35)
        stats.sort_stats("cumulative").print_stats(60)
        if os.environ.get("BENCH_PROFILE_DUMP"):
            profiler.dump_stats(os.environ["BENCH_PROFILE_DUMP"])


def through_gunicorn(rows, repeat: int) -> None:
    """The same pages served by gunicorn (one sync worker, the same database and
    settings) to a plain HTTP client carrying each test client's session cookie; the
    login page timed again before each page, as above."""
    import httpx
    from django.conf import settings
    from django.urls import reverse

    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "DJANGO_ALLOWED_HOSTS": "127.0.0.1"}
    command = [str(Path(sys.executable).with_name("gunicorn")), "tilskudd.wsgi:application",
               "--bind", f"127.0.0.1:{port}", "--workers", "1", "--log-level", "warning"]
    server = subprocess.Popen(command, env=env, cwd=ROOT)  # noqa: S603 - our own command
    proto = {"X-Forwarded-Proto": "https"}

    def median_get(http, url: str) -> float:
        http.get(base + url, headers=proto)
        samples = []
        for _ in range(repeat):
            start = time.perf_counter()
            response = http.get(base + url, headers=proto)
            samples.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        return statistics.median(samples)

    try:
        for _ in range(120):
            try:
                httpx.get(base + reverse("login"), headers=proto)
                break
            except httpx.TransportError:
                time.sleep(0.25)
        anonymous = httpx.Client()
        measured, logins = [], []
        for name, who, url in rows:
            cookie = who.cookies[settings.SESSION_COOKIE_NAME].value
            with httpx.Client(cookies={settings.SESSION_COOKIE_NAME: cookie}) as http:
                logins.append(median_get(anonymous, reverse("login")))
                measured.append((name, median_get(http, url)))
        login_ms = statistics.median(logins)
        print(f"\n{'through gunicorn (median of ' + str(repeat) + ')':40} {'ms':>7} {'× login':>8}")
        print(f"{'login page /logg-inn/ (anonymous)':40} {login_ms:>7.1f} {1:>8.1f}")
        for name, ms in measured:
            print(f"{name:40} {ms:>7.1f} {ms / login_ms:>8.1f}")
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
