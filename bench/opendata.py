"""Benchmark of the open data: 4 000 decided applications with 40 000 lines across ten
offices, every letter sent, so every office is published. Prints the public page's time,
and the time and peak memory of building the round's 360Giving package, writing it as
JSON and as CSV, and validating it against the schemas; asserts nothing.

    python bench/opendata.py [--applications 4000] [--competence-lines 8] [--repeat 3]
"""

from __future__ import annotations

import json
import time
import tracemalloc
from datetime import timedelta

from run import Timer, bulk_round_args, print_table_header


def _decide_the_rest_and_send_letters(prefix: str = "b") -> int:
    """bulk_round leaves every other case recommended: decide those too and give every
    decision a sent (ready) letter, in bulk, as the services would leave them."""
    from django.db.models import F
    from django.utils import timezone

    from assessment.models import (
        AllocationLetter,
        Assessment,
        AssessmentStatus,
        LetterKind,
        LineAssessment,
        Outcome,
    )
    from tilskudd.documents.jobs import DocumentStatus
    from tilskudd.models import User

    approver = User.objects.get(email=f"{prefix}-godkjenner@bench.example.no")
    Assessment.objects.filter(status=AssessmentStatus.RECOMMENDED).update(
        status=AssessmentStatus.DECIDED, decided_by=approver, decided_at=timezone.now(),
        outcome=Outcome.PARTLY_GRANTED)
    LineAssessment.objects.filter(granted__isnull=True).update(granted=F("recommended"))
    letters = AllocationLetter.objects.bulk_create([
        AllocationLetter(assessment_id=pk, version=1, kind=LetterKind.GRANT,
                         created_by=approver, status=DocumentStatus.READY)
        for pk in Assessment.objects.values_list("pk", flat=True)
    ], batch_size=2000)
    return len(letters)


def _measured(timer: Timer, fn, *args, **kwargs):
    tracemalloc.start()
    with timer:
        result = fn(*args, **kwargs)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return result, peak


def main() -> None:
    args = bulk_round_args(repeat=3)

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from assessment.opendata.flat import grants_csv
    from assessment.opendata.grants import package_for
    from assessment.opendata.publication import published_rounds
    from assessment.opendata.schema import package_errors
    from tests.assessment.national_helpers import bulk_round
    from tests.tilskudd.factories import RoundFactory

    # Its application deadline has passed, so its offices publish (publication.py).
    now = timezone.now()
    rnd = RoundFactory(opens_at=now - timedelta(days=60),
                       application_deadline=now - timedelta(days=1))
    start = time.perf_counter()
    made = bulk_round(rnd, offices=args.offices, applications=args.applications,
                      competence_lines=args.competence_lines)
    letters = _decide_the_rest_and_send_letters()
    print(f"database: {connection.vendor}; offices: {len(made.offices)}; applications: "
          f"{made.applications}; lines: {made.lines}; letters: {letters}; "
          f"made in {time.perf_counter() - start:.1f} s")
    print_table_header()

    client = Client(HTTP_HOST="127.0.0.1")
    page = Timer()
    for _ in range(args.repeat):
        with CaptureQueriesContext(connection) as queries, page:
            assert client.get("/apne-data/").status_code == 200
    print(page.line("GET /apne-data/ (the page)", len(queries)))

    [published] = published_rounds()
    build, as_json, as_csv, check = Timer(), Timer(), Timer(), Timer()
    peaks: dict[str, int] = {}
    for _ in range(args.repeat):
        with CaptureQueriesContext(connection) as queries:
            package, peaks["build"] = _measured(build, package_for, published)
        text, peaks["json"] = _measured(as_json, json.dumps, package, ensure_ascii=False,
                                        indent=2)
        table, peaks["csv"] = _measured(as_csv, grants_csv, package["grants"])
        errors, peaks["validate"] = _measured(check, package_errors, package)
    print(build.line(f"package_for ({len(package['grants'])} grants)", len(queries)))
    print(as_json.line("json.dumps (the .json file)"))
    print(as_csv.line("grants_csv (the .csv file)"))
    print(check.line("package_errors (360Giving schema)"))
    print(f"files: {len(text.encode()) / 1e6:.1f} MB JSON, {len(table.encode()) / 1e6:.1f} MB "
          f"CSV; schema errors: {len(errors)}; peak Python memory (tracemalloc, last run): "
          + ", ".join(f"{name} {peak / 1e6:.1f} MB" for name, peak in peaks.items()))


if __name__ == "__main__":
    main()
