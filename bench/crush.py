"""The deadline crush: every organisation submits once within a minute while its browser
polls the receipt page's PDF status as portal.js does, against the production stack.

`make bench-crush` starts gunicorn (4 sync workers, production settings), one Celery worker
(concurrency 2, queues celery and documents) on Redis, and PostgreSQL database
tilskudd_crush (dropped and made again), fills one complete draft per organisation, then
lets an asyncio client (httpx) play 372 people: sign in (CSRF and all), open the preview,
submit, open the receipt, poll its status URL on the page's back-off schedule. It prints the
figures of issue 15 with each time's ratio to Django's login page served by the same
gunicorn in the same run (median of interleaved GETs before, during and after), then where
the CPU went: by process (bench/cpu.py) and by kind of web request (tilskudd.request_cpu).

    python bench/crush.py [--organisations 372] [--seconds 60]
Needs PostgreSQL at PG (postgres://postgres@127.0.0.1:5432) and Redis at REDIS_URL.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PASSWORD = "Tilskudd-crush-2026"  # noqa: S105 - the bench's throw-away users

import cpu  # noqa: E402 - bench/cpu.py and bench/stack.py, beside this script
import stack  # noqa: E402


def seed(count: int) -> list[tuple[str, int]]:
    """One signatory and one complete draft per organisation: (e-mail, application id)."""
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command

    from applications import services
    from tests.applications.conftest import bpa_line, competence_line, complete_header, project
    from tests.tilskudd.factories import RoundFactory
    from tilskudd.models import Membership, MembershipRole, Organisation, OrganisationKind, User
    from tilskudd.seeding import load_reference_data

    call_command("migrate", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)
    load_reference_data()
    rnd = RoundFactory()
    orgs = list(Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY)
                .order_by("municipality_number"))
    county = orgs[0].county
    orgs += [Organisation.objects.create(kind=OrganisationKind.INTER_MUNICIPAL_COMPANY,
                                         name=f"Crush IKS {i}", county=county)
             for i in range(max(0, count - len(orgs)))]
    hashed = make_password(PASSWORD)
    people = []
    for org in orgs[:count]:
        user = User.objects.create(email=f"sign-{org.pk}@crush.example.no", password=hashed,
                                   full_name=f"Signatar {org.pk}")
        Membership.objects.create(user=user, organisation=org, role=MembershipRole.SIGNATORY)
        app = services.application_start(organisation=org, round=rnd, user=user)
        services.application_update(
            application=app, user=user, header=complete_header(),
            competence=[competence_line() for _ in range(10)], bpa=[bpa_line()],
            projects=[project(title=f"P{i}") for i in range(3)],
        )
        people.append((user.email, app.pk))
    return people


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Figures:
    submit_ms: list[float] = field(default_factory=list)
    poll_ms: list[float] = field(default_factory=list)
    bare_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    submitted: set[int] = field(default_factory=set)
    seen_ready: int = 0


class Browser:
    """One person's browser: cookies kept by hand (the production cookies are Secure and
    the bench speaks plain HTTP behind a pretended TLS proxy), CSRF from the form."""

    def __init__(self, client, base: str):
        self.client, self.base, self.cookies = client, base, {}

    async def request(self, method: str, path: str, **kwargs):
        headers = {"X-Forwarded-Proto": "https", "Origin": self.base.replace("http:", "https:"),
                   **kwargs.pop("headers", {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        response = await self.client.request(method, self.base + path, headers=headers, **kwargs)
        for cookie in response.headers.get_list("set-cookie"):
            name, _, rest = cookie.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response

    @staticmethod
    def csrf(html: str) -> str:
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


async def person(client, base, email, app_pk, start, figures: Figures, urls) -> None:
    await asyncio.sleep(start)
    browser = Browser(client, base)
    try:
        page = await browser.request("GET", urls["login"])
        r = await browser.request("POST", urls["login"], data={
            "username": email, "password": PASSWORD,
            "csrfmiddlewaretoken": browser.csrf(page.text)})
        assert r.status_code == 302, f"sign-in {r.status_code}"
        page = await browser.request("GET", urls["preview"].format(pk=app_pk))
        assert page.status_code == 200, f"preview {page.status_code}"
        t0 = time.perf_counter()
        r = await browser.request("POST", urls["submit"].format(pk=app_pk),
                                  data={"csrfmiddlewaretoken": browser.csrf(page.text)})
        figures.submit_ms.append((time.perf_counter() - t0) * 1000)
        assert r.status_code == 302 and "/kvittering/" in r.headers["location"], \
            f"submit {r.status_code}"
        figures.submitted.add(app_pk)
        receipt = await browser.request("GET", r.headers["location"])
        assert receipt.status_code == 200, f"receipt {receipt.status_code}"
        status_url = re.search(r'data-status-url="([^"]+)"', receipt.text).group(1)
        status = re.search(r'data-status="(\w+)"', receipt.text).group(1)
        schedule = [int(s) for s in re.search(r'data-poll-schedule="([^"]*)"',
                                              receipt.text).group(1).split(",")]
        for wait in schedule if status == "pending" else []:
            await asyncio.sleep(wait)
            t0 = time.perf_counter()
            r = await browser.request("GET", status_url.replace("&amp;", "&"),
                                      headers={"X-Requested-With": "fetch"})
            figures.poll_ms.append((time.perf_counter() - t0) * 1000)
            status = r.json()["status"]
            if status != "pending":
                break
        figures.seen_ready += status == "ready"
    except Exception as exc:  # noqa: BLE001 - counted and shown
        figures.errors.append(f"{email}: {type(exc).__name__}: {exc}"[:200])


async def bare_pages(client, base, urls, figures: Figures, rounds: int, every: float) -> None:
    """Django's login page, GET, interleaved with the crush (the yardstick)."""
    browser = Browser(client, base)
    for _ in range(rounds):
        t0 = time.perf_counter()
        await browser.request("GET", urls["login"])
        figures.bare_ms.append((time.perf_counter() - t0) * 1000)
        await asyncio.sleep(every)


async def crush(base, people, seconds, urls) -> Figures:
    import httpx

    figures = Figures()
    limits = httpx.Limits(max_connections=None, max_keepalive_connections=50)
    async with httpx.AsyncClient(timeout=120, limits=limits) as client:
        quiet = Figures()
        await bare_pages(client, base, urls, quiet, 30, 0.05)
        rng = random.Random(15)  # one generator: a new one per person gave every start alike
        starts = sorted(rng.uniform(0, seconds) for _ in people)
        await asyncio.gather(
            bare_pages(client, base, urls, figures, 30, seconds / 30),
            *(person(client, base, email, pk, start, figures, urls)
              for (email, pk), start in zip(people, starts, strict=True)))
        figures.bare_ms += quiet.bare_ms
    return figures


def wait_ready(expected: int, timeout: float) -> tuple[int, float]:
    """How many receipts are ready (waiting up to `timeout` for all), and how many seconds
    the last was finished after the last submission (the rows' own timestamps)."""
    from django.db.models import Max
    from django.utils import timezone

    from applications.models import ReceiptDocument, Submission
    from tilskudd.documents.jobs import DocumentStatus

    end = time.perf_counter() + timeout
    while True:
        ready = ReceiptDocument.objects.filter(status=DocumentStatus.READY).count()
        if ready >= expected or time.perf_counter() > end:
            break
        time.sleep(0.5)
    last_pdf = ReceiptDocument.objects.aggregate(at=Max("finished_at"))["at"]
    last_submit = Submission.objects.aggregate(at=Max("submitted_at"))["at"]
    if ready < expected or not last_pdf:  # not all within the timeout: say how long so far
        return ready, (timezone.now() - last_submit).total_seconds() if last_submit else 0.0
    return ready, (last_pdf - last_submit).total_seconds()


def p95(samples: list[float]) -> float:
    s = sorted(samples)
    return s[min(len(s) - 1, int(len(s) * 0.95))] if s else float("nan")


def report(args, figures: Figures, ready: int, after: float) -> None:
    from django.db.models import Count

    from applications.models import ReceiptDocument, Submission
    from tilskudd.documents.jobs import DocumentStatus
    from tilskudd.outbox import OutboundEmail

    bare = statistics.median(figures.bare_ms)
    stored = set(Submission.objects.values_list("application_id", flat=True))
    lost = len(figures.submitted - stored)
    failed = ReceiptDocument.objects.filter(status=DocumentStatus.FAILED).count()
    subs = Submission.objects.count()
    dup_subs = Submission.objects.values("application").annotate(n=Count("pk")).filter(n__gt=1)
    dup_mail = OutboundEmail.objects.values("reference").annotate(n=Count("pk")).filter(n__gt=1)
    rows = [
        ("Django's login page (median, same run)", f"{bare:.1f} ms", "1.0×"),
        ("submit p95", f"{p95(figures.submit_ms):.0f} ms", f"{p95(figures.submit_ms) / bare:.1f}×"),
        ("submit median", f"{statistics.median(figures.submit_ms):.0f} ms",
         f"{statistics.median(figures.submit_ms) / bare:.1f}×"),
        ("all receipt PDFs ready after the last submit",
         f"{after:.1f} s" if ready >= subs else f"> {after:.0f} s", ""),
        ("receipt PDFs ready / submitted", f"{ready} / {subs}", ""),
        ("status polls made (browsers polling as the page does)", f"{len(figures.poll_ms)}", ""),
        ("status poll p95", f"{p95(figures.poll_ms):.1f} ms",
         f"{p95(figures.poll_ms) / bare:.1f}×"),
        ("browsers that saw the PDF link appear", f"{figures.seen_ready}", ""),
        ("errors", f"{len(figures.errors)}", ""),
        ("lost (answered as sent, but no submission; PDF failed)", f"{lost}, {failed}", ""),
        ("duplicates (submissions, receipt e-mails)",
         f"{dup_subs.count()}, {dup_mail.count()}", ""),
    ]
    threads = f", {args.threads} threads each" if args.threads > 1 else " sync"
    nice = f", nice {args.nice}"
    print(f"\n{args.organisations} organisations submitting within {args.seconds} s; gunicorn "
          f"{args.web_workers} workers{threads}, PostgreSQL, Redis, one worker (concurrency 2, "
          f"celery + documents{nice})\n")
    print(f"| {'what':54} | {'figure':>13} | {'× login':>7} |")
    print(f"|{'-' * 56}|{'-' * 15}|{'-' * 9}|")
    for what, figure, ratio in rows:
        print(f"| {what:54} | {figure:>13} | {ratio:>7} |")
    for error in figures.errors[:10]:
        print("error:", error)


def request_kinds(urls: dict[str, str]) -> dict[str, tuple[str, re.Pattern]]:
    """The crush's requests by method and path, as bench/cpu.py groups the meter's lines."""
    def path(url: str) -> re.Pattern:
        return re.compile(re.escape(url).replace(re.escape("{pk}"), r"\d+"))

    return {
        "login page GET": ("GET", path(urls["login"])),
        "sign-in POST (Argon2 check)": ("POST", path(urls["login"])),
        "preview GET": ("GET", path(urls["preview"])),
        "submit POST": ("POST", path(urls["submit"])),
        "receipt page GET": ("GET", re.compile(r".*/kvittering/[^/]+/")),
        "status poll GET": ("GET", re.compile(r".*/status/")),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--organisations", type=int, default=372)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--wait", type=float, default=180,
                        help="seconds to wait for the last receipts after the crush")
    parser.add_argument("--web-workers", type=int, default=4, help="gunicorn's --workers")
    parser.add_argument("--threads", type=int, default=1,
                        help="gunicorn's --threads (more than 1: the gthread worker)")
    parser.add_argument("--nice", type=int, default=10,
                        help="run the Celery worker at this niceness, so that on one host the "
                             "PDFs take the cores the web leaves (docker-compose's cpu_shares "
                             "for documents-worker; 0: as the web)")
    stack.add_options(parser, redis_db=13)
    args = parser.parse_args()
    env = stack.fresh_stack(args, name="crush")
    meter_folder = Path(tempfile.mkdtemp(prefix="tilskudd-crush-cpu-"))
    env["TILSKUDD_REQUEST_CPU"] = str(meter_folder)  # read by tilskudd.request_cpu: gunicorn's
    t0 = time.perf_counter()
    people = seed(args.organisations)
    print(f"seeded {len(people)} drafts in {time.perf_counter() - t0:.0f} s")

    from django.db import connections
    from django.urls import reverse

    connections.close_all()
    urls = {"login": reverse("login"), "preview": reverse("applications:preview", args=[0]),
            "submit": reverse("applications:submit", args=[0])}
    urls = {k: v.replace("/0/", "/{pk}/") for k, v in urls.items()}
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    gunicorn = [str(Path(sys.executable).with_name("gunicorn")), "tilskudd.request_cpu:application",
                "--bind", f"127.0.0.1:{port}", "--workers", str(args.web_workers),
                "--threads", str(args.threads), "--log-level", "warning"]
    worker = [sys.executable, "-m", "celery", "-A", "tilskudd", "worker", "--concurrency", "2",
              "-Q", "celery,documents", "--loglevel", "WARNING", "--without-gossip",
              "--without-mingle", "-n", f"crush-{port}@%h"]
    if args.nice:
        worker = ["nice", "-n", str(args.nice), *worker]
    # Our own commands, from this venv.
    procs = [subprocess.Popen(cmd, env=env, cwd=ROOT) for cmd in (gunicorn, worker)]  # noqa: S603
    try:
        import httpx

        for _ in range(120):
            try:
                if httpx.get(base + urls["login"], headers={"X-Forwarded-Proto": "https"}
                             ).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.25)
        meter = cpu.Meter({"gunicorn (web)": procs[0].pid, "Celery worker": procs[1].pid,
                           "PostgreSQL (all its databases)": cpu.postmaster()})
        meter.mark("before")
        figures = asyncio.run(crush(base, people, args.seconds, urls))
        meter.mark("crush")
        ready, after = wait_ready(len(figures.submitted), timeout=args.wait)
        meter.mark("until all ready")
        report(args, figures, ready, after)
        meter.print()
        cpu.requests_table(meter_folder, request_kinds(urls))
    finally:
        stack.stop(*procs)
        shutil.rmtree(meter_folder, ignore_errors=True)


if __name__ == "__main__":
    main()
