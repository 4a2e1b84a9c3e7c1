"""Counting what is compiled to SQL: tilskudd.compiled's queries compile once a connection."""

from __future__ import annotations

from contextlib import contextmanager
from unittest.mock import patch

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models.sql.compiler import SQLCompiler
from django.test.utils import CaptureQueriesContext


@contextmanager
def counted_compiles():
    """(the models whose queries were compiled to SQL inside, the queries run inside)."""
    compiled = []
    as_sql = SQLCompiler.as_sql

    def counted(self, *args, **kwargs):
        compiled.append(self.query.model)
        return as_sql(self, *args, **kwargs)

    with CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as queries, \
            patch.object(SQLCompiler, "as_sql", counted):
        yield compiled, queries
