"""The reference data (offices, counties, municipalities) made once a test process.

load_reference_data() saves each of its some 400 rows after full_clean(), about 2.3 s of CPU
a test (3.1 s in a browser test). It runs for real in the first test of a process that asks
for the data; the next ones get the rows it made written back row for row (the same fields
and keys) into their emptied or rolled-back database, and the counts it returned. So the
loader's output is what every such test checks, and the loader itself still runs (and
again, on these rows, in tests/tilskudd/test_reference_data.py's and test_org_numbers.py's
tests of loading twice)."""

from __future__ import annotations

import copy

#: The rows load_reference_data() made in this process's first test that asked, and its counts.
_loaded: dict = {}


def reference_data_as_loaded():
    """What load_reference_data() makes, into the database as the test has it: the loader's
    counts (tilskudd.seeding.ReferenceCounts)."""
    from django.core.management.color import no_style
    from django.db import connection, transaction

    from tilskudd.models import County, Office, Organisation
    from tilskudd.seeding import load_reference_data

    models = (Office, County, Organisation)
    if not _loaded:
        counts = load_reference_data()
        _loaded["rows"] = [(model, list(model.objects.order_by("pk"))) for model in models]
        _loaded["counts"] = counts
        return counts
    with transaction.atomic():
        for model, rows in _loaded["rows"]:
            model.objects.bulk_create(copy.copy(row) for row in rows)
        with connection.cursor() as cursor:  # the keys given: PostgreSQL's sequences after them
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)
    return _loaded["counts"]
