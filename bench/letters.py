"""Allocation letters in bulk (issue 15): every municipality's decided case in one round,
and each office's caseworker makes the letters of all of them at once with the admin's
action «Lag tilskuddsbrev for valgte vedtak», served by one real Celery worker.

`make bench-letters` makes PostgreSQL database tilskudd_letters afresh (Redis db 14),
seeds one decided case per municipality (357) through the same services the portal and
the admin use (submit, open, assess, recommend, approve), starts one
`celery worker --concurrency 2 -Q celery,documents` (production settings), posts the
admin action once per office as its caseworker, and waits until every letter is ready.
It prints, from the rows' own timestamps, the time from the first letter made to the last
ready, letters a second, the worker's own time a letter (its log, median and p95), how
busy it was, and the CPU it used (from /proc: on a shared machine the wall time says how
much CPU the worker was given as much as what a letter costs); and checks that all are
ready, none failed, none made twice, one file each, each a PDF pypdf reads.

    python bench/letters.py [--municipalities 357] [--wait 600]
Needs PostgreSQL at PG (postgres://postgres@127.0.0.1:5432) and Redis at REDIS_URL.
"""

from __future__ import annotations

import argparse
import io
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
TASK = "assessment.tasks.render_allocation_letter"

import stack  # noqa: E402 - bench/stack.py, beside this script


def seed(count: int):
    """One decided case per municipality, the office's caseworker and approver taking it
    through the services: {office: (caseworker, [application ids])}."""
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command

    from applications import services as application_services
    from tests.applications.conftest import bpa_line, competence_line, complete_header, project
    from tests.assessment.helpers import decide
    from tests.tilskudd.factories import RoundFactory
    from tilskudd.models import (
        Membership,
        MembershipRole,
        OfficeBudget,
        OfficeMembership,
        OfficeRole,
        Organisation,
        OrganisationKind,
        User,
    )
    from tilskudd.seeding import load_reference_data

    call_command("migrate", verbosity=0)
    from django.db import connection

    with connection.cursor() as cursor:  # the seeding's own commits only: not the run's
        cursor.execute("SET synchronous_commit TO off")
    load_reference_data()
    rnd = RoundFactory()
    orgs = list(
        Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY)
        .select_related("county__office")
        .order_by("municipality_number")[:count]
    )
    hashed = make_password("Tilskudd-letters-2026")
    offices = {org.county.office for org in orgs}
    OfficeBudget.objects.bulk_create(
        [OfficeBudget(round=rnd, office=office, pot=Decimal("500000000")) for office in offices]
    )
    staff = {}
    for office in offices:
        caseworker, approver = User.objects.bulk_create(
            [
                User(
                    email=f"{role}-{office.code}@letters.example.no",
                    password=hashed,
                    full_name=f"{role.title()} {office.short_name}",
                    is_staff=True,
                )
                for role in ("saksbehandler", "godkjenner")
            ]
        )
        OfficeMembership.objects.bulk_create(
            [
                OfficeMembership(user=caseworker, office=office, role=OfficeRole.CASEWORKER),
                OfficeMembership(user=approver, office=office, role=OfficeRole.APPROVER),
            ]
        )
        staff[office.pk] = (caseworker, approver, [])
    signatories = User.objects.bulk_create(
        [
            User(
                email=f"sign-{org.pk}@letters.example.no",
                password=hashed,
                full_name=f"Signatar {org.pk}",
            )
            for org in orgs
        ]
    )
    Membership.objects.bulk_create(
        [
            Membership(user=user, organisation=org, role=MembershipRole.SIGNATORY)
            for org, user in zip(orgs, signatories, strict=True)
        ]
    )
    for org, user in zip(orgs, signatories, strict=True):
        app = application_services.application_start(organisation=org, round=rnd, user=user)
        application_services.application_update(
            application=app,
            user=user,
            header=complete_header(),
            competence=[competence_line() for _ in range(10)],
            bpa=[bpa_line()],
            projects=[project(title=f"P{i}") for i in range(3)],
        )
        application_services.application_submit(application=app, user=user)
        caseworker, approver, pks = staff[org.county.office_id]
        decide(app, caseworker, approver)
        pks.append(app.pk)
    return list(staff.values())


def start_worker(env, log: Path) -> subprocess.Popen:
    worker = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "tilskudd",
        "worker",
        "--concurrency",
        "2",
        "-Q",
        "celery,documents",
        "--loglevel",
        "INFO",
        "--without-gossip",
        "--without-mingle",
        "-n",
        f"letters-{os.getpid()}@%h",
    ]
    # Our own command, from this venv; its log gives each task's own run time.
    proc = subprocess.Popen(  # noqa: S603
        worker,
        env=env,
        cwd=ROOT,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    end = time.monotonic() + 60
    while " ready." not in log.read_text() and time.monotonic() < end:
        if proc.poll() is not None:
            raise SystemExit(f"the worker stopped:\n{log.read_text()}")
        time.sleep(0.2)
    return proc


def cpu_seconds(pid: int) -> tuple[float, float]:
    """CPU time (user + system) of the worker's main process and of its living pool
    processes, from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    main = pool = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        used = (int(fields[11]) + int(fields[12])) / tick
        if int(entry.name) == pid:
            main += used
        elif int(fields[1]) == pid:
            pool += used
    return main, pool


def click(staff) -> float:
    """Each office's caseworker selects all its decisions and runs the admin action (the
    test client in this process, through the admin's own view); seconds for all posts."""
    from django.test import Client
    from django.urls import reverse

    url = reverse("admin:assessment_submittedapplication_changelist")
    t0 = time.perf_counter()
    for caseworker, _approver, pks in staff:
        client = Client()
        client.force_login(caseworker)
        response = client.post(
            url, {"action": "generate_letters", "index": "0", "_selected_action": pks}, secure=True
        )
        assert response.status_code == 302, response.status_code
    return time.perf_counter() - t0


def wait_ready(expected: int, timeout: float) -> None:
    from assessment.models import AllocationLetter
    from tilskudd.documents.jobs import DocumentStatus

    end = time.monotonic() + timeout
    while time.monotonic() < end:
        done = AllocationLetter.objects.exclude(status=DocumentStatus.PENDING).count()
        if done >= expected:
            return
        time.sleep(0.25)


def task_seconds(log: str, task: str = TASK) -> list[float]:
    """The worker's own run time of each `task` (Celery's «succeeded in …s»)."""
    return [
        float(s)
        for s in re.findall(rf"Task {re.escape(task)}\[[^\]]+\] succeeded in ([0-9.]+)s", log)
    ]


def split_in_process(letters, count: int = 15) -> tuple[float, float]:
    """One letter made here, the worker idle: the median CPU ms (this process's, so other
    load does not count) of the whole render (the case's queries, the template and the
    PDF) and of WeasyPrint's part alone."""
    from django.template.loader import render_to_string
    from django.utils import translation

    from assessment.documents import letter_context, render_letter
    from tilskudd.documents.pdf import html_to_pdf

    whole, weasy = [], []
    for letter in letters[:count]:
        with translation.override(letter.document_language()):
            t0 = time.process_time()
            render_letter(letter)
            whole.append(time.process_time() - t0)
            html = render_to_string(
                "assessment/letter_pdf.html", letter_context(letter.assessment, letter)
            )
            t0 = time.process_time()
            html_to_pdf(html)
            weasy.append(time.process_time() - t0)
    return statistics.median(whole) * 1000, statistics.median(weasy) * 1000


def report(args, posts: float, log: str, cpu: tuple[float, float]) -> bool:
    from django.db.models import Count, Max, Min
    from pypdf import PdfReader

    from assessment.models import AllocationLetter
    from tilskudd.documents.jobs import DocumentStatus

    letters = AllocationLetter.objects.all()
    ready = letters.filter(status=DocumentStatus.READY)
    failed = letters.filter(status=DocumentStatus.FAILED).count()
    pending = letters.filter(status=DocumentStatus.PENDING).count()
    twice = letters.values("assessment").annotate(n=Count("pk")).filter(n__gt=1).count()
    runs = task_seconds(log)
    valid = 0
    for letter in ready:
        with letter.file.open("rb") as fh:
            data = fh.read()
        valid += data.startswith(b"%PDF") and len(PdfReader(io.BytesIO(data)).pages) >= 1
    times = letters.aggregate(
        first=Min("created_at"), enqueued=Min("enqueued_at"), last=Max("finished_at")
    )
    total = (times["last"] - times["first"]).total_seconds() if times["last"] else float("nan")
    from_enqueue = (
        (times["last"] - times["enqueued"]).total_seconds()
        if times["last"] and times["enqueued"]
        else float("nan")
    )
    n = ready.count()
    media = Path(os.environ["DJANGO_MEDIA_ROOT"])
    files = sum(1 for p in media.rglob("*.pdf") if p.name.startswith(("tilskuddsbrev-", "avslag-")))
    runs_sorted = sorted(runs)
    busy = sum(runs) + sum(task_seconds(log, "tilskudd.tasks.send_outbox_email"))
    whole, weasy = split_in_process(list(ready.order_by("pk")[:15]))
    rows = [
        ("letters ready / decisions", f"{n} / {args.municipalities}"),
        ("failed, still pending, made twice", f"{failed}, {pending}, {twice}"),
        ("valid PDFs (pypdf reads them)", f"{valid}"),
        ("letter files stored, letter tasks run", f"{files}, {len(runs)}"),
        ("the admin action's posts (all offices)", f"{posts:.1f} s"),
        ("first letter made → last letter ready", f"{total:.1f} s"),
        ("first letter enqueued → last letter ready", f"{from_enqueue:.1f} s"),
        ("letters a second", f"{n / total:.1f}" if total else "–"),
        (
            "worker's time a letter, median",
            f"{statistics.median(runs) * 1000:.0f} ms" if runs else "–",
        ),
        (
            "worker's time a letter, p95",
            f"{runs_sorted[min(len(runs) - 1, int(len(runs) * 0.95))] * 1000:.0f} ms"
            if runs
            else "–",
        ),
        (
            "worker busy (letters + their e-mails)",
            f"{busy / (2 * total):.0%}, e-mails {1 - sum(runs) / busy:.0%}" if busy else "–",
        ),
        (
            "worker's CPU a letter: pool / main process",
            f"{cpu[1] / n * 1000:.0f} / {cpu[0] / n * 1000:.0f} ms",
        ),
        ("the worker's share of two cores in the run", f"{sum(cpu) / (2 * total):.0%}"),
        ("that CPU alone, on two idle cores", f"{sum(cpu) / 2:.1f} s"),
        ("one letter here, CPU: whole / PDF", f"{whole:.0f} / {weasy:.0f} ms"),
        ("load average before / after", f"{args.load_before} / {os.getloadavg()[0]:.2f}"),
    ]
    print(
        f"\n{args.municipalities} allocation letters in bulk; PostgreSQL, Redis, one worker "
        f"(concurrency 2, celery + documents)\n"
    )
    print(f"| {'what':44} | {'figure':>16} |")
    print(f"|{'-' * 46}|{'-' * 18}|")
    for what, figure in rows:
        print(f"| {what:44} | {figure:>16} |")
    return n == valid == files == args.municipalities and not failed and not twice


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--municipalities", type=int, default=357)
    parser.add_argument(
        "--wait", type=float, default=600, help="seconds to wait for the last letters"
    )
    stack.add_options(parser, redis_db=14)
    args = parser.parse_args()
    env = stack.fresh_stack(args, name="letters", hosts="127.0.0.1,testserver")
    t0 = time.perf_counter()
    staff = seed(args.municipalities)
    args.municipalities = sum(len(pks) for _c, _a, pks in staff)
    print(f"seeded {args.municipalities} decided cases in {time.perf_counter() - t0:.0f} s")

    import redis
    from django.db import connections

    connections.close_all()
    # The seeding's receipts and e-mails were sent to the broker: not part of this bench.
    redis.Redis.from_url(args.redis).flushdb()
    log = Path(tempfile.mkdtemp(prefix="tilskudd-letters-log-")) / "worker.log"
    worker = start_worker(env, log)
    try:
        args.load_before = f"{os.getloadavg()[0]:.2f}"
        cpu = cpu_seconds(worker.pid)
        posts = click(staff)
        wait_ready(args.municipalities, args.wait)
        (main, pool), (main0, pool0) = cpu_seconds(worker.pid), cpu
        cpu = (main - main0, pool - pool0)
        ok = report(args, posts, log.read_text(), cpu)
    finally:
        stack.stop(worker)
    print(f"worker log: {log}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
