"""tilskudd.compiled.Compiled: a query compiled to SQL once a connection gives the ORM's
rows (fields, select_related objects, annotations, converted values), runs its own SQL
rather than the ORM's once prepared, and falls back to the ORM when it cannot be."""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Count, Value

from tests.tilskudd.compiles import counted_compiles
from tilskudd.compiled import Compiled
from tilskudd.models import Membership, User

from .factories import OrganisationFactory, member


def _memberships(user_id):
    return (Membership.objects.filter(user_id=user_id)
            .select_related("user", "organisation__county__office")
            .annotate(others=Count("organisation__memberships"))
            .order_by("organisation__name"))


def _facts(membership):
    return (membership.pk, membership.role, membership.user.email, membership.user.date_joined,
            membership.organisation.name, membership.organisation.county.office.name,
            membership.others)


def test_rows_are_the_orms_with_related_objects_and_annotations(trondheim):
    editor = member(trondheim)
    afjord = OrganisationFactory(name="Åfjord kommune", org_number="964982953",
                                 municipality_number="5058")
    Membership.objects.create(user=editor, organisation=afjord)
    member(trondheim)  # a second member of Trondheim: `others` counts two there
    compiled = Compiled(_memberships)

    found = compiled(editor.pk)

    assert compiled.prepared(connections[DEFAULT_DB_ALIAS]) is not None
    assert [_facts(m) for m in found] == [_facts(m) for m in _memberships(editor.pk)]
    assert [(m.organisation.name, m.others) for m in found] == [
        ("Trondheim - Tråante kommune", 2), ("Åfjord kommune", 1)]
    assert found[0].user.date_joined.tzinfo is not None  # the backend's converters ran


def test_the_sql_is_made_once_and_run_with_each_id(trondheim):
    first, second = member(trondheim), member(trondheim)
    compiled = Compiled(lambda user_id: User.objects.filter(pk=user_id))
    compiled(first.pk)
    prepared = compiled.prepared(connections[DEFAULT_DB_ALIAS])

    with counted_compiles() as (compiles, queries):
        assert [u.email for u in compiled(second.pk)] == [second.email]
        assert compiled(-1) == []

    assert compiled.prepared(connections[DEFAULT_DB_ALIAS]) is prepared
    assert len(queries) == 2 and compiles == []  # two queries run, none compiled again


def test_a_query_holding_the_id_twice_is_run_by_the_orm(trondheim):
    editor = member(trondheim)
    compiled = Compiled(lambda user_id: User.objects.filter(pk=user_id).annotate(
        again=Value(user_id)))

    assert compiled.prepared(connections[DEFAULT_DB_ALIAS]) is None
    assert [(u.pk, u.again) for u in compiled(editor.pk)] == [(editor.pk, editor.pk)]
