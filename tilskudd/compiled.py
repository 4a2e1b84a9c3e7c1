"""A query the portal runs on every page, compiled to SQL once (issue 15).

Django compiles a queryset to SQL every time it runs it. For the few small queries every
page makes (the signed-in user with who they act for, an application's lines, a page of
Mine søknader) compiling them cost more CPU than running them (bench/overhead.py,
bench/run.py --profile). `Compiled(build)` takes a function of one value (an id) that
builds the queryset, compiles it once for each database connection with a probe value in
the id's place, and then runs that SQL with each call's id, making the rows into model
instances as Django's ModelIterable does: the model's fields, the select_related
objects, the annotations, each column through the backend's converters.

A queryset whose SQL does not hold the probe exactly once (or has extra select) is run as
Django runs it, every time: the result is the same, only slower. The tests hold each
compiled query's rows to the ORM's (tests/tilskudd/test_compiled.py and the users')."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model, QuerySet
from django.db.models.query import ValuesIterable, ValuesListIterable, get_related_populators

#: a value no row has, to find the id's parameter in the compiled SQL
PROBE = -7_340_017


class Compiled:
    """`build(id)`'s queryset compiled once a connection and run with each id; with
    `arity=2`, `build(id, other_id)`'s, run with each call's two ids (each probed by a
    value of its own)."""

    def __init__(self, build: Callable[..., QuerySet], arity: int = 1):
        self.build = build
        self.probes = [PROBE - i for i in range(arity)]

    def _prepare(self, connection) -> tuple | None:
        queryset = self.build(*self.probes)
        compiler = queryset.query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()  # also sets compiler.select and klass_info
        params = list(params)
        info = compiler.klass_info
        if (any(params.count(probe) != 1 for probe in self.probes)
                or compiler.has_extra_select or info is None):
            return None
        start, end = info["select_fields"][0], info["select_fields"][-1] + 1
        init_list = [column[0].target.attname for column in compiler.select[start:end]]
        return (
            compiler, sql, params, [params.index(probe) for probe in self.probes],
            queryset.model._meta.pk,
            compiler.get_converters([column[0] for column in compiler.select]),
            info["model"], init_list, start, end,
            get_related_populators(info, compiler.select, connection.alias),
            tuple(compiler.annotation_col_map.items()),
        )

    def prepared(self, connection) -> tuple | None:
        # kept on the connection (each thread's own), so it goes with it
        kept = connection.__dict__.setdefault("tilskudd_compiled", {})
        if self not in kept:
            kept[self] = self._prepare(connection)
        return kept[self]

    def __call__(self, *values: int) -> list[Model]:
        connection = connections[DEFAULT_DB_ALIAS]
        prepared = self.prepared(connection)
        if prepared is None:
            return list(self.build(*values))
        (compiler, sql, params, indexes, pk, converters, model, init_list, start, end,
         populators, annotations) = prepared
        params = [*params]
        for index, value in zip(indexes, values, strict=True):
            params[index] = pk.get_db_prep_value(value, connection)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows: Any = cursor.fetchall()
        if converters:
            rows = compiler.apply_converters(rows, converters)
        found = []
        for row in rows:
            obj = model.from_db(connection.alias, init_list, row[start:end])
            for populator in populators:
                populator.populate(row, obj)
            for name, position in annotations:
                setattr(obj, name, row[position])
            found.append(obj)
        return found


class CompiledValues:
    """`build(ids)`'s values() or values_list() queryset compiled once a connection and
    number of ids (up to MAX_IDS; a longer list is run as Django runs it), run with each
    call's ids: a list of the queryset's rows."""

    MAX_IDS = 100

    def __init__(self, build: Callable[[list[int]], QuerySet]):
        self.build = build

    def _prepare(self, connection, count: int) -> tuple | None:
        probes = [PROBE - i for i in range(count)]
        queryset = self.build(probes)
        query = queryset.query
        if queryset._iterable_class not in (ValuesIterable, ValuesListIterable):
            return None
        compiler = query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        params = list(params)
        if compiler.has_extra_select or any(params.count(p) != 1 for p in probes):
            return None
        names = None
        if queryset._iterable_class is ValuesIterable:
            names = (list(query.selected) if query.selected else
                     [*query.extra_select, *query.values_select, *query.annotation_select])
        columns = [column[0] for column in compiler.select[0:compiler.col_count]]
        return (compiler, sql, params, [params.index(p) for p in probes],
                compiler.get_converters(columns), names)

    def prepared(self, connection, count: int) -> tuple | None:
        kept = connection.__dict__.setdefault("tilskudd_compiled", {})
        key = (self, count)
        if key not in kept:
            kept[key] = self._prepare(connection, count)
        return kept[key]

    def __call__(self, ids: list[int]) -> list[Any]:
        ids = list(dict.fromkeys(ids))  # as `__in` reads them: each once
        if not ids:
            return []
        connection = connections[DEFAULT_DB_ALIAS]
        prepared = self.prepared(connection, len(ids)) if len(ids) <= self.MAX_IDS else None
        if prepared is None:
            return list(self.build(ids))
        compiler, sql, params, positions, converters, names = prepared
        params = [*params]
        for position, value in zip(positions, ids, strict=True):
            params[position] = value
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows: Any = cursor.fetchall()
        if converters:
            rows = compiler.apply_converters(rows, converters)
        if names is None:
            return [tuple(row) for row in rows]
        return [dict(zip(names, row, strict=True)) for row in rows]
