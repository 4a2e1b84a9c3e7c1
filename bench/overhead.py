"""What every signed-in page pays around its own content (issue 15): the session, the user,
who they act for, the middleware and the base template (header, language form, session
warning), against Django's login page, in one process, production settings.

Each round GETs every page once, in turn (interleaved), timing this process's CPU; the
figure is each page's median over the rounds, with its queries. The pages:

- the login page (anonymous): the yardstick;
- «bare»: a view that returns a few bytes (the middleware, session and user only);
- «empty»: base.html with no content, anonymous and signed in (a member of one
  organisation, a caseworker at an office);
- small real pages: Mine søknader with no applications, /tilgang/<org>/, the start page;
- «before»: the member's empty page and Mine søknader as they were read before
  tilskudd.auth_backends (Django's ModelBackend: the user, then the memberships and the
  office membership), and with its two queries compiled by the ORM each time; with a
  SESSION_ENGINE other than db (cached_db on a shared cache, say) also with sessions in
  the database alone, in the same rounds.

    python bench/overhead.py [--rounds 60] [--profile NAME] [--only "NAME;NAME"]

--profile NAME runs cProfile over --rounds GETs of one page and prints its top functions.
DATABASE_URL as bench/run.py (a throw-away SQLite database by default).
"""

from __future__ import annotations

import argparse
import cProfile
import logging
import os
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.run import PRODUCTION, setup_django  # noqa: E402

urlpatterns: list = []  # filled in main(): the portal's, and the two bench pages
DJANGO_BACKEND = f"{__name__}.DjangoModelBackend"
ORM_BACKEND = f"{__name__}.UncompiledBackend"


class _NotPrepared(dict):
    def __contains__(self, key):
        return True

    def __getitem__(self, key):
        return None


def _bench_backends():
    from django.contrib.auth.backends import ModelBackend

    from tilskudd import auth_backends

    class DjangoModelBackend(ModelBackend):
        """Django's own, under a name tilskudd.middleware does not rename: as before."""

    class UncompiledBackend(auth_backends.PortalModelBackend):
        """The portal's, its two queries compiled by the ORM each time (auth_backends.Compiled
        told nothing is prepared)."""

        def get_user(self, user_id):
            held = auth_backends._memberships._prepared, auth_backends._user._prepared
            auth_backends._memberships._prepared = auth_backends._user._prepared = _NotPrepared()
            try:
                return super().get_user(user_id)
            finally:
                auth_backends._memberships._prepared, auth_backends._user._prepared = held

    globals().update(DjangoModelBackend=DjangoModelBackend, UncompiledBackend=UncompiledBackend)


def bench_urls() -> None:
    from django.http import HttpResponse
    from django.shortcuts import render
    from django.template import engines
    from django.urls import include, path

    empty = engines["django"].from_string('{% extends "base.html" %}')

    def bare(request):
        return HttpResponse(b"ok")

    def empty_page(request):
        return HttpResponse(empty.render({}, request))

    urlpatterns[:] = [
        path("bench/bare/", bare, name="bench_bare"),
        path("bench/empty/", empty_page, name="bench_empty"),
        path("", include("tilskudd.urls")),
    ]
    del render


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=60, help="GETs of each page (median)")
    parser.add_argument("--profile", default="", help="cProfile one page (its name)")
    parser.add_argument("--only", default="", help="page names to time, separated by semicolons")
    args = parser.parse_args()
    os.environ.update(PRODUCTION)
    os.environ["DJANGO_STATIC_ROOT"] = tempfile.mkdtemp(prefix="tilskudd-bench-static-")
    setup_django()
    from django.conf import settings
    from django.core.management import call_command

    call_command("collectstatic", verbosity=0, interactive=False)
    logging.getLogger("axes").setLevel(logging.WARNING)

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import clear_url_caches, reverse

    bench_urls()
    settings.ROOT_URLCONF = __name__
    clear_url_caches()
    _bench_backends()
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, DJANGO_BACKEND,
                                        ORM_BACKEND]
    from django.test import override_settings

    from tests.tilskudd.factories import OfficeFactory, OrganisationFactory, UserFactory
    from tilskudd.models import Membership, MembershipRole, OfficeMembership, OfficeRole

    org = OrganisationFactory()
    member = UserFactory(email="member@bench.example.no", full_name="Mona Medlem")
    Membership.objects.create(user=member, organisation=org, role=MembershipRole.SIGNATORY)
    worker = UserFactory(email="worker@bench.example.no", full_name="Sara Saksbehandler")
    OfficeMembership.objects.create(user=worker, office=OfficeFactory(),
                                    role=OfficeRole.CASEWORKER)
    anonymous, as_member, as_worker = Client(), Client(), Client()
    as_member.force_login(member)
    as_worker.force_login(worker)

    def client(engine: str, backend: str | None = None) -> Client:
        """A client whose handler keeps `engine` (SessionMiddleware reads it once)."""
        with override_settings(SESSION_ENGINE=engine):
            made = Client()
            made.force_login(member, backend=backend)
            made.get("/bench/bare/")
        return made

    engine, plain = settings.SESSION_ENGINE, "django.contrib.sessions.backends.db"
    before = [("Django's backend", client(engine, DJANGO_BACKEND)),
              ("SQL compiled each time", client(engine, ORM_BACKEND))]
    if engine != plain:
        before += [("db sessions", client(plain)),
                   ("db sessions, Django's backend", client(plain, DJANGO_BACKEND))]
    pages = [
        ("login page (anonymous)", anonymous, reverse("login")),
        ("bare view, anonymous", anonymous, "/bench/bare/"),
        ("bare view, member", as_member, "/bench/bare/"),
        ("empty base.html, anonymous", anonymous, "/bench/empty/"),
        ("empty base.html, member", as_member, "/bench/empty/"),
        ("empty base.html, caseworker", as_worker, "/bench/empty/"),
        ("Mine søknader, none", as_member, reverse("applications:archive")),
        ("/tilgang/<org>/", as_member, reverse("access:organisation", args=[org.pk])),
        ("start page, member", as_member, reverse("home")),
    ]
    for label, who in before:
        pages += [(f"empty base.html, member, {label}", who, "/bench/empty/"),
                  (f"Mine søknader, none, {label}", who, reverse("applications:archive"))]
    if args.only:
        wanted = {"login page (anonymous)", *args.only.split(";")}
        pages = [p for p in pages if p[0] in wanted]
    if args.profile:
        name, who, url = next(p for p in pages if p[0] == args.profile)
        for _ in range(20):
            who.get(url)
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.rounds):
            who.get(url)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(60)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(30)
        return

    queries = {}
    for name, who, url in pages:
        for _ in range(5):  # warm: templates, translations, the session
            assert who.get(url).status_code == 200, (name, url)
        with CaptureQueriesContext(connection) as captured:
            who.get(url)
        queries[name] = [q["sql"] for q in captured.captured_queries]
    cpu: dict[str, list[float]] = {name: [] for name, _who, _url in pages}
    for _ in range(args.rounds):
        for name, who, url in pages:
            start = time.process_time()
            who.get(url)
            cpu[name].append((time.process_time() - start) * 1000)
    login = statistics.median(cpu[pages[0][0]])
    with open("/proc/loadavg") as load:
        print(f"database: {connection.vendor}; production settings; {args.rounds} rounds; "
              f"session engine {settings.SESSION_ENGINE}; load {load.read().split()[:3]}")
    print(f"{'page (median CPU of ' + str(args.rounds) + ')':56} {'cpu ms':>7} {'× login':>8}"
          f" {'queries':>8}")
    for name, _who, _url in pages:
        ms = statistics.median(cpu[name])
        print(f"{name:56} {ms:>7.2f} {ms / login:>8.2f} {len(queries[name]):>8}")
    if os.environ.get("BENCH_SQL"):
        for name, sql in queries.items():
            print(f"\n{name}:")
            for q in sql:
                print("   ", q[:200])


if __name__ == "__main__":
    main()
