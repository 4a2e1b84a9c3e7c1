"""Benchmark of the caseworkers' list in the admin (assessment.admin, issue 15): one office
with 4 000 submitted applications for its caseworker, and 10 000 in all (that office and
another with 6 000) for a superuser, each with 2 competence lines, a BPA line and a project
and half of them decided. Renders the list as it opens, sorted by the amounts and sorted
by the reference, interleaved with Django's admin login page (anonymous), the portal's
login page and Django's own changelist of a trivial model (50 groups, one column, signed in
as the same caseworker: what the admin itself costs around any list) in the same process,
with production settings (DJANGO_DEBUG=0: cached templates, as gunicorn serves them;
--debug for the development ones); prints the median ms, the ratios to the login pages and
to Django's list, and the queries; asserts nothing.

Run with `make bench-changelist` (a throw-away SQLite database) or with DATABASE_URL set
to a PostgreSQL database you may fill and flush.

    python bench/changelist.py [--office 4000] [--other 6000] [--repeat 15] [--debug]
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path

from run import setup_django

ROOT = Path(__file__).resolve().parents[1]
VIEWS = [("opens", {}), ("sorted by amounts", {"o": "5"}), ("sorted by reference", {"o": "-1"})]


def fill(args, sender):
    """The two offices in bulk (tests.assessment.national_helpers), a live submission
    each, and the stored list fields filled by the data migrations' own arithmetic."""
    from django.apps import apps
    from django.db import connection
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
    with connection.cursor() as cursor:  # the planner's statistics, as autovacuum keeps them
        cursor.execute("ANALYZE")
    return offices[0]


#: Django's own changelist of a trivial model, the floor under any list of the admin's
FLOOR_ROWS = 50


def register_floor(fill: bool = True) -> str:
    """A ModelAdmin of Django's defaults (one column, the delete action, the full count)
    over a proxy of auth's Group, filled with FLOOR_ROWS groups, that office staff may
    see; registered on the project's admin site before its URLs are read, so it has the
    same sidebar and middleware as the caseworkers' list (gunicorn's process registers it
    too, through bench/floor_wsgi.py). Returns its changelist's name."""
    from django.contrib import admin
    from django.contrib.auth.models import Group

    class FloorGroup(Group):
        class Meta:
            proxy = True
            app_label = "auth"
            verbose_name = "bench group"

    class FloorAdmin(admin.ModelAdmin):
        list_display = ["name"]
        ordering = ["name"]

        def has_module_permission(self, request):
            return request.user.is_active and request.user.is_staff

        has_view_permission = has_change_permission = has_delete_permission = (
            lambda self, request, obj=None: self.has_module_permission(request))

    admin.site.register(FloorGroup, FloorAdmin)
    if fill:
        Group.objects.bulk_create([Group(name=f"Benkgruppe {i:03d}")
                                   for i in range(FLOOR_ROWS)])
    return "admin:auth_floorgroup_changelist"


def timed(pages, repeat, clock=time.perf_counter) -> list[tuple[float, int]]:
    """The median ms and the queries of each (client, url, params) in `pages`, taking
    their samples in turn, so that a machine busy for a while slows them all alike."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    samples: list[list[float]] = [[] for _ in pages]
    for client, url, params in pages:
        client.get(url, params)  # warm: templates, translations, the session
    for _ in range(repeat):
        for taken, (client, url, params) in zip(samples, pages, strict=True):
            start = clock()
            response = client.get(url, params)
            taken.append((clock() - start) * 1000)
            assert response.status_code == 200, response.status_code
    counted = []
    for client, url, params in pages:
        with CaptureQueriesContext(connection) as queries:
            client.get(url, params)
        counted.append(len(queries) if not isinstance(client, Served) else None)
    return [(statistics.median(taken), n) for taken, n in zip(samples, counted, strict=True)]


class _Forgetful(dict):
    def __setitem__(self, key, value):
        pass


class RenderedEachTime:
    """A client whose GETs render the sidebar's app list afresh every time, as before it
    was kept (tilskudd/templatetags/admin_sidebar.py): --before, in this process."""

    def __init__(self, client):
        self.client = client

    def get(self, url, params):
        from unittest import mock

        from tilskudd.templatetags import admin_sidebar

        with mock.patch.object(admin_sidebar, "_RENDERED", _Forgetful()):
            return self.client.get(url, params)


class Served:
    """GETs through gunicorn (one sync worker, the same database), as a browser behind
    the TLS proxy makes them, with the session cookie of a signed-in Django test client."""

    def __init__(self, base: str, cookies: dict[str, str]):
        import httpx

        self.http = httpx.Client(base_url=base, headers={
            "X-Forwarded-Proto": "https",
            "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())})

    def get(self, url, params):
        return self.http.get(url, params=params)


@contextmanager
def gunicorn():
    """gunicorn serving this database with these settings, until the block ends."""
    import httpx
    from django.db import connections

    connections.close_all()  # SQLite: what was filled is on disk for the other process
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "DJANGO_ALLOWED_HOSTS": "127.0.0.1,testserver"}
    command = [str(Path(sys.executable).with_name("gunicorn")), "floor_wsgi:application",
               "--pythonpath", f"{ROOT},{ROOT / 'bench'}", "--bind", f"127.0.0.1:{port}",
               "--workers", "1", "--log-level", "warning"]
    server = subprocess.Popen(command, env=env, cwd=ROOT)  # noqa: S603 (our own venv's)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                httpx.get(base + "/logg-inn/", headers={"X-Forwarded-Proto": "https"})
                break
            except httpx.TransportError:
                time.sleep(0.25)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def profile(user, url, repeat, show_all) -> None:
    """pyinstrument's profile of `repeat` requests for the list as it opens (after a warm
    one); cProfile's, by cumulative time, where pyinstrument is not installed (it is not
    among the project's dependencies)."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    client.get(url)
    try:
        from pyinstrument import Profiler
    except ImportError:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(repeat):
            client.get(url)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(120 if show_all else 60)
        return
    profiler = Profiler(interval=0.0005)
    with profiler:
        for _ in range(repeat):
            client.get(url)
    print(profiler.output_text(unicode=True, color=False, show_all=show_all))


#: the switches, with what each does
FLAGS = [
    ("--cpu", "this process's CPU time instead of the wall clock (a busy machine; SQLite "
              "only, as PostgreSQL works in its own process)"),
    ("--gunicorn", "GET the pages through gunicorn (one sync worker), as issue 15's 5.9 ms "
                   "login page was measured; no query counts then"),
    ("--before", "also each list with the sidebar's app list rendered every time (as before "
                 "it was kept), sampled in turn; not with --gunicorn"),
    ("--profile", "print pyinstrument's profile of the caseworker's list as it opens "
                  "(cProfile's where pyinstrument is not installed)"),
    ("--all-frames", "with --profile: Django's frames too"),
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--office", type=int, default=4000)
    parser.add_argument("--other", type=int, default=6000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--debug", action="store_true", help="development settings")
    for flag, help_text in FLAGS:
        parser.add_argument(flag, action="store_true", help=help_text)
    args = parser.parse_args()
    if args.before and args.gunicorn:
        parser.error("--before patches this process, not gunicorn's")
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

    from django.conf import settings
    from django.db import connection
    from django.urls import reverse

    from tests.tilskudd.factories import UserFactory, office_staff

    # the test client's host, but not setup_test_environment(): its instrumented template
    # rendering copies the context at every template (each widget's too), which gunicorn
    # does not, and which costs the list with its 50 rows more than the login page
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    logging.getLogger("axes").setLevel(logging.WARNING)  # a line per force_login
    floor = register_floor()  # before the URLs are read
    superuser = UserFactory(email="admin@bench.example.no", is_staff=True, is_superuser=True)
    office = fill(args, superuser)
    caseworker = office_staff(office, email="saksbehandler@bench.example.no")
    changelist = reverse("admin:assessment_submittedapplication_changelist")
    if args.profile:
        profile(caseworker, changelist, args.repeat, args.all_frames)
        return
    with ExitStack() as stack:
        base = stack.enter_context(gunicorn()) if args.gunicorn else None
        measure(args, connection.vendor, changelist, [
            ("caseworker", caseworker, args.office),
            ("superuser", superuser, args.office + args.other)], base, reverse(floor))


def measure(args, vendor, changelist, users, base, floor) -> None:
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse

    def client_for(user):
        client = Client()
        if user is not None:
            client.force_login(user)
        if base is None:
            return client
        return Served(base, {k: v.value for k, v in client.cookies.items()})

    anonymous = client_for(None)
    yardsticks = [(anonymous, reverse("admin:login"), {}), (anonymous, reverse("login"), {}),
                  (client_for(users[0][1]), floor, {})]
    kind = "development" if args.debug else "production"
    clock = "CPU ms of this process" if args.cpu else "ms"
    served = "through gunicorn (1 sync worker)" if base else "in this process"
    print(f"database: {vendor}; {kind} settings, {served}; {clock}, median of {args.repeat}, "
          f"each list's samples taken in turn with the two login pages' and Django's own "
          f"list of {FLOOR_ROWS} groups' (session cookie {settings.SESSION_COOKIE_NAME})")
    print(f"{'page':58} {'ms':>7} {'× admin login':>14} {'× portal login':>15} "
          f"{'× Django list':>14} {'queries':>8}")
    yardstick_samples = []
    for who, user, rows in users:
        client = client_for(user)
        for name, params in VIEWS:
            before = [(RenderedEachTime(client), changelist, params)] if args.before else []
            *measured, (ms, queries) = timed(
                [*yardsticks, *before, (client, changelist, params)], args.repeat,
                time.process_time if args.cpu else time.perf_counter)
            if before:
                before_ms = measured.pop()[0]
                label = f"list, {rows} for the {who}, {name} (before)"
                print(f"{label:58} {before_ms:>7.1f} {before_ms / measured[0][0]:>14.1f} "
                      f"{before_ms / measured[1][0]:>15.1f} {before_ms / measured[2][0]:>14.1f}")
            yardstick_samples.append(measured)
            (admin_ms, _), (portal_ms, _), (floor_ms, _) = measured
            label = f"list, {rows} for the {who}, {name}"
            print(f"{label:58} {ms:>7.1f} {ms / admin_ms:>14.1f} {ms / portal_ms:>15.1f} "
                  f"{ms / floor_ms:>14.1f} {'–' if queries is None else queries:>8}")
    admin_login = statistics.median(each[0][0] for each in yardstick_samples)
    for i, label in enumerate(["Django admin login page", "portal login page (/logg-inn/)",
                               f"Django's list of {FLOOR_ROWS} groups (caseworker)"]):
        ms = statistics.median(each[i][0] for each in yardstick_samples)
        queries = yardstick_samples[0][i][1]
        ratio = f"{ms / admin_login:>14.1f}" if i else f"{'':>14}"
        print(f"{label + ', median of the above':58} {ms:>7.1f} {ratio} {'':>15} {'':>14} "
              f"{'–' if queries is None else queries:>8}")

if __name__ == "__main__":
    main()
