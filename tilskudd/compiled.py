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
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model, QuerySet
from django.db.models.query import ValuesIterable, ValuesListIterable, get_related_populators

#: a value no row has, to find the id's parameter in the compiled SQL
PROBE = -7_340_017
#: a moment no query asks about, to find a moment's parameters (CompiledAt)
PROBE_MOMENT = datetime(1901, 2, 3, 4, 5, 6, 789012, tzinfo=UTC)
#: how far from PROBE_MOMENT CompiledAt compiles its query again (1902-03-10 07:05:13 is
#: another year, month, day and hour)
SHIFTS = (timedelta(days=1, seconds=1), timedelta(days=400, hours=3, seconds=7))


def _run(connection, compiler, sql, params, values, converters) -> Any:
    """The compiled SQL run with its probes' places filled by `values` ((place, value)
    pairs): its rows, through the backend's converters as the ORM reads them."""
    params = [*params]
    for index, value in values:
        params[index] = value
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows: Any = cursor.fetchall()
    return compiler.apply_converters(rows, converters) if converters else rows


class Compiled:
    """`build(id)`'s queryset compiled once a connection and run with each id; with
    `arity=2`, `build(id, other_id)`'s, run with each call's two ids (each probed by a
    value of its own)."""

    def __init__(self, build: Callable[..., QuerySet], arity: int = 1):
        self.build = build
        self.probes = [PROBE - i for i in range(arity)]

    def _prepare(self, connection) -> tuple | None:
        queryset = self.build(*self.probes)
        if queryset._prefetch_related_lookups:
            return None  # rows are made here, and nothing would prefetch for them
        compiler = queryset.query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()  # also sets compiler.select and klass_info
        params = list(params)
        info = compiler.klass_info
        pk = queryset.model._meta.pk
        probes = self._held(self.probes, connection, pk)
        if (any(params.count(probe) != 1 for probe in probes)
                or compiler.has_extra_select or info is None):
            return None
        start, end = info["select_fields"][0], info["select_fields"][-1] + 1
        init_list = [column[0].target.attname for column in compiler.select[start:end]]
        return (
            compiler, sql, params, [params.index(probe) for probe in probes], pk,
            compiler.get_converters([column[0] for column in compiler.select]),
            info["model"], init_list, start, end,
            get_related_populators(info, compiler.select, connection.alias),
            tuple(compiler.annotation_col_map.items()),
        )

    def _held(self, values, connection, pk) -> list[Any]:
        """The parameters the SQL holds for these values, in the order of self.probes."""
        return [pk.get_db_prep_value(value, connection) for value in values]

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
        rows = _run(connection, compiler, sql, params,
                    zip(indexes, self._held(values, connection, pk), strict=True), converters)
        found = []
        for row in rows:
            obj = model.from_db(connection.alias, init_list, row[start:end])
            for populator in populators:
                populator.populate(row, obj)
            for name, position in annotations:
                setattr(obj, name, row[position])
            found.append(obj)
        return found


class CompiledAt(Compiled):
    """`build(moment)`'s queryset compiled once a connection and run at each call's moment:
    `held(moment)` names every moment its SQL holds (the moment itself and, say, the start
    of its minute), each one parameter. A query whose parameters change with the moment
    anywhere else is run as Django runs it (found by compiling it at a second moment).
    With `arity=1`, `build(moment, key)`'s, run with each call's moment and key (the
    model's primary key, as Compiled's)."""

    def __init__(self, build: Callable[..., QuerySet],
                 held: Callable[[datetime], list[datetime]], arity: int = 0):
        super().__init__(build, arity)
        self.probes = [PROBE_MOMENT, *self.probes[:arity]]
        self.held = held

    def _held(self, values, connection, pk) -> list[Any]:
        moment, *keys = values
        return [*(connection.ops.adapt_datetimefield_value(m) for m in self.held(moment)),
                *super()._held(keys, connection, pk)]

    def _prepare(self, connection) -> tuple | None:
        prepared = super()._prepare(connection)
        if prepared is None:
            return None
        params, moments = prepared[2], prepared[3][:len(self.held(PROBE_MOMENT))]
        # Compiled again at other moments: a day and a second later, and in another year,
        # month and hour, so that a value taken from the moment's day, year or month
        # anywhere else in the query shows as a parameter that changes.
        for shift in SHIFTS:
            later = self.build(PROBE_MOMENT + shift, *self.probes[1:])
            _sql, other = later.query.get_compiler(connection=connection).as_sql()
            if len(other) != len(params):
                return None
            changed = [i for i, (one, two) in enumerate(zip(params, other, strict=True))
                       if one != two]
            if changed != sorted(moments):
                return None
        return prepared


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
        rows = _run(connection, compiler, sql, params, zip(positions, ids, strict=True),
                    converters)
        if names is None:
            return [tuple(row) for row in rows]
        return [dict(zip(names, row, strict=True)) for row in rows]
