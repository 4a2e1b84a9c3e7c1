"""Benchmark of the national view and the national export: 4 000 applications with
40 000 lines (8 competence lines, a BPA line and a project each) across ten offices, half
of them decided with an approved report. Prints the view's time (the figures, and the
whole page), the export's time and its peak memory (tracemalloc); asserts nothing.

Run with `make bench-national` (a throw-away SQLite database) or with DATABASE_URL set to
a PostgreSQL database you may fill and flush.

    python bench/national.py [--applications 4000] [--competence-lines 8] [--repeat 5]
"""

from __future__ import annotations

import time
import tracemalloc

from run import Timer, bulk_round_args, print_table_header


def main() -> None:
    args = bulk_round_args(repeat=5)

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from assessment.national.excel import national_workbook
    from assessment.national.selectors import Filters, national_view
    from tests.assessment.national_helpers import bulk_round
    from tests.tilskudd.factories import RoundFactory, UserFactory

    rnd = RoundFactory()
    RoundFactory(scheme=rnd.scheme, year=rnd.year - 1)  # so the year-on-year part runs
    start = time.perf_counter()
    made = bulk_round(rnd, offices=args.offices, applications=args.applications,
                      competence_lines=args.competence_lines)
    print(f"database: {connection.vendor}; offices: {len(made.offices)}; applications: "
          f"{made.applications}; lines: {made.lines}; "
          f"made in {time.perf_counter() - start:.1f} s")
    print_table_header()

    filters = Filters(round=rnd)
    timer = Timer()
    for _ in range(args.repeat):
        with CaptureQueriesContext(connection) as queries, timer:
            view = national_view(filters)
    print(timer.line("national_view (figures, incl. last year)", len(queries)))

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(UserFactory(email="les@helsedir.example.no", is_directorate=True))
    page = Timer()
    for _ in range(args.repeat):
        with CaptureQueriesContext(connection) as queries, page:
            response = client.get(reverse("national:view"))
        assert response.status_code == 200
    print(page.line("GET /nasjonalt/ (whole page)", len(queries)))

    export = Timer()
    view = national_view(filters, with_previous=False)
    for _ in range(args.repeat):
        with CaptureQueriesContext(connection) as queries, export:
            content = national_workbook(view)
    # Memory in a run of its own: tracemalloc slows Python down, so it is not timed.
    tracemalloc.start()
    national_workbook(view)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(export.line("national_workbook (4 sheets)", len(queries)))
    print(f"export: {len(content) / 1e6:.1f} MB of .xlsx; peak Python memory while writing "
          f"(tracemalloc, a run of its own): {peak / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
