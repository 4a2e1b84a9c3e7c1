"""The caseworkers' list's count and rows queries compiled to SQL once a connection for
each kind of page (issue 15).

Django compiles the list's queries afresh on every request: the count, and the page's
21 columns through eight joins with the keys' subquery, about a tenth of the list's
function calls, where the SQL is the same for every caseworker of the office who opens
the page with the same parameters. Here each is compiled the first time and kept on the
database connection (each thread's own, as tilskudd.compiled keeps its queries), by what
the SQL is made from: the list's scope (every office, or the office's key, as
tilskudd.admin_scoping filters by), the request's parameters, the ordering Django made
of them (list_key), and, for the rows, the count (it decides whether the page is sliced
and where the last page ends). The queryset is still built by Django on every request
(its filters, ordering and search), only its compiling is kept: a list with a search
term (unbounded in kind) or a parameter given twice is compiled as Django does, every
time.

The kept SQL is run with the parameters it was compiled with, its columns through the
backend's converters as the ORM reads them (tests/assessment/test_admin_sql.py holds the
rows and the count to the ORM's, sorted, filtered and paged, on SQLite and PostgreSQL)."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from django.contrib.admin.views.main import SEARCH_VAR
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet

from tilskudd.admin_scoping import admin_office, is_national_reader

#: queries kept a connection (a kind of page keeps two: its count and its rows), the
#: least recently used forgotten first
KEPT_PAGES = 256
_CONNECTION_KEY = "tilskudd_list_sql"


def list_key(request, queryset: QuerySet) -> tuple | None:
    """What the list's SQL is made from, for this request and the ChangeList's
    `queryset`, or None where it is not kept: not a GET, a search, or a parameter given
    more than once. The ordering is Django's, not `o`: `o` numbers the columns shown,
    and a superuser's list shows the actions' checkbox column the directorate's does
    not, so the same `o` sorts the two by different columns."""
    if request.method != "GET":
        return None
    params = request.GET
    if SEARCH_VAR in params or any(len(values) != 1 for _, values in params.lists()):
        return None
    if is_national_reader(request):
        scope: object = "national"
    else:
        office = admin_office(request)
        scope = office.pk if office is not None else None
    return scope, tuple(sorted(params.items())), tuple(queryset.query.order_by)


def _kept(connection) -> OrderedDict:
    kept = connection.__dict__.get(_CONNECTION_KEY)
    if kept is None:
        kept = connection.__dict__[_CONNECTION_KEY] = OrderedDict()
    return kept


def _remembered(connection, key, prepare: Callable[[], Any]) -> Any:
    kept = _kept(connection)
    if key in kept:
        kept.move_to_end(key)
        return kept[key]
    return _keep(kept, key, prepare())


def _keep(kept: OrderedDict, key, prepared):
    kept[key] = prepared
    if len(kept) > KEPT_PAGES:
        kept.popitem(last=False)
    return prepared


def count(counted: Callable[[], QuerySet], key: tuple | None) -> int:
    """`counted().count()`, its SQL kept for `key` (as Django's count runs it the first
    time), so the queryset is not even made again."""
    if key is None:
        return counted().count()
    connection = connections[DEFAULT_DB_ALIAS]
    kept = _kept(connection)
    key = ("count", *key)
    if key not in kept:
        ran, found = _count_sql(counted())
        _keep(kept, key, ran)
        return found
    kept.move_to_end(key)
    if kept[key] is None:
        return counted().count()
    sql, params = kept[key]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def _count_sql(queryset: QuerySet) -> tuple[tuple[str, Any] | None, int]:
    """`queryset.count()`, and the SQL and parameters of the one query it ran (None if
    it ran another number of queries or on another database)."""
    ran: list[tuple[str, Any]] = []

    def remember(execute, sql, params, many, context):
        ran.append((sql, params))
        return execute(sql, params, many, context)

    with connections[DEFAULT_DB_ALIAS].execute_wrapper(remember):
        found = queryset.count()
    kept = ran[0] if len(ran) == 1 and queryset.db == DEFAULT_DB_ALIAS else None
    return kept, found


def values(queryset: QuerySet, fields: list[str], key: tuple | None) -> list[tuple]:
    """`list(queryset.values_list(*fields))`, its SQL and the columns' converters kept for
    `key`, so the values queryset is made only the first time."""
    if key is None:
        return list(queryset.values_list(*fields))
    connection = connections[DEFAULT_DB_ALIAS]

    def prepare() -> tuple | None:
        selected = queryset.values_list(*fields)
        query = selected.query
        compiler = query.get_compiler(using=selected.db)
        sql, params = compiler.as_sql()
        names = list(query.selected) if query.selected else None
        if selected.db != DEFAULT_DB_ALIAS or compiler.has_extra_select or names != fields:
            return None
        columns = [column[0] for column in compiler.select[0:compiler.col_count]]
        return compiler, sql, params, compiler.get_converters(columns)

    prepared = _remembered(connection, ("values", *fields, *key), prepare)
    if prepared is None:
        return list(queryset.values_list(*fields))
    compiler, sql, params, converters = prepared
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows: Any = cursor.fetchall()
    return list(compiler.apply_converters(rows, converters)) if converters else rows
