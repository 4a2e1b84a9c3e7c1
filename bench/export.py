"""Benchmark of the office's Excel export (assessment.excel.round_workbook): one office with
1 000 and 4 000 submitted applications of 8 competence lines, a BPA line and a project each
(10 000 and 40 000 lines; half decided). Prints the time (median of --repeat) and, in a run
of its own so tracemalloc does not slow the timed ones, the peak memory, and the memory
each further line costs; asserts nothing.

Run with `make bench-export` (a throw-away SQLite database) or with DATABASE_URL set to a
PostgreSQL database you may fill and flush.

    python bench/export.py [--sizes 1000 4000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import time
import tracemalloc

from run import setup_django


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 4000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    setup_django()

    from django.db import connection

    from assessment.excel import round_workbook
    from tests.assessment.national_helpers import bulk_round
    from tests.tilskudd.factories import RoundFactory
    from tilskudd.models import County, OfficeBudget

    print(f"database: {connection.vendor}")
    print(f"{'applications':>12} {'lines':>7} {'s (median)':>11} {'peak MB':>8} {'KB':>7}")
    peaks = []
    for i, size in enumerate(args.sizes):
        rnd = RoundFactory(year=2100 + i)
        made = bulk_round(rnd, offices=1, applications=size, competence_lines=8,
                          prefix=f"x{i}")
        budget = OfficeBudget.objects.get(round=rnd, office=made.offices[0])
        County.objects.filter(office=made.offices[0]).update(number=f"{70 + i}")  # free "60"
        samples = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            data = round_workbook(budget)
            samples.append(time.perf_counter() - start)
        tracemalloc.start()
        round_workbook(budget)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        peaks.append((made.lines, peak))
        print(f"{size:>12} {made.lines:>7} {statistics.median(samples):>11.2f} "
              f"{peak / 2**20:>8.1f} {len(data) // 1024:>7}")
    if len(peaks) > 1:
        (lines_a, peak_a), (lines_b, peak_b) = peaks[0], peaks[-1]
        print(f"memory per further line: {(peak_b - peak_a) / (lines_b - lines_a):.0f} bytes")


if __name__ == "__main__":
    main()
