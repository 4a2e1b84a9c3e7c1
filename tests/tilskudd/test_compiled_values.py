"""tilskudd.compiled.CompiledValues: a values() or values_list() query of a list of ids,
compiled to SQL once a connection and number of ids, gives the ORM's rows (converted by
the backend's converters), compiles nothing again for other ids of the same number, and
falls back to the ORM when it cannot be compiled so."""

from __future__ import annotations

from unittest.mock import patch

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Count, F

from tests.tilskudd.compiles import counted_compiles
from tilskudd.compiled import CompiledValues
from tilskudd.models import Membership, User

from .factories import OrganisationFactory, member


def _as_dicts(user_ids):
    return (User.objects.filter(pk__in=user_ids).order_by("pk")
            .values("pk", "email", "date_joined", organisations=Count("memberships"),
                    office=F("memberships__organisation__county__office__name")))


def _as_tuples(user_ids):
    return (Membership.objects.filter(user_id__in=user_ids).order_by("user_id", "pk")
            .values_list("user_id", "role", "organisation__name"))


def _connection():
    return connections[DEFAULT_DB_ALIAS]


def test_rows_are_the_orms_dicts_and_tuples(trondheim):
    afjord = OrganisationFactory(name="Åfjord kommune", org_number="964982953",
                                 municipality_number="5058")
    first, second, third = member(trondheim), member(afjord), member(trondheim)
    Membership.objects.create(user=first, organisation=afjord)
    ids = [third.pk, first.pk]
    dicts, tuples = CompiledValues(_as_dicts), CompiledValues(_as_tuples)

    found_dicts, found_tuples = dicts(ids), tuples(ids)

    assert dicts.prepared(_connection(), 2) is not None
    assert tuples.prepared(_connection(), 2) is not None
    assert found_dicts == list(_as_dicts(ids)) and len(found_dicts) >= 2
    assert found_tuples == list(_as_tuples(ids)) and len(found_tuples) == 3
    assert found_dicts[0]["date_joined"].tzinfo is not None  # the backend's converters ran
    assert {row[0] for row in found_tuples} == {first.pk, third.pk}
    assert second.pk not in {row["pk"] for row in found_dicts}


def test_the_sql_is_made_once_a_number_of_ids_and_run_with_each_calls(trondheim):
    users = [member(trondheim) for _ in range(4)]
    compiled = CompiledValues(_as_tuples)
    compiled([users[0].pk, users[1].pk])
    prepared = compiled.prepared(_connection(), 2)

    with counted_compiles() as (compiles, queries):
        assert [row[0] for row in compiled([users[3].pk, users[2].pk])] == [
            users[2].pk, users[3].pk]
        assert compiled([users[2].pk, users[2].pk, -1]) == compiled([users[2].pk, -1])

    assert compiled.prepared(_connection(), 2) is prepared
    assert len(queries) == 3 and compiles == []  # three queries run, none compiled again
    assert compiled([]) == []


def test_what_cannot_be_compiled_so_is_run_by_the_orm(trondheim):
    users = [member(trondheim) for _ in range(3)]
    ids = [user.pk for user in users]
    models = CompiledValues(lambda user_ids: User.objects.filter(pk__in=user_ids))
    twice = CompiledValues(lambda user_ids: User.objects.filter(pk__in=user_ids).exclude(
        pk__in=user_ids[:1]).values_list("pk"))
    many = CompiledValues(_as_tuples)

    assert models.prepared(_connection(), 3) is None
    assert models(ids) == list(User.objects.filter(pk__in=ids))
    assert twice.prepared(_connection(), 3) is None
    assert sorted(twice(ids)) == sorted((pk,) for pk in ids[1:])
    with patch.object(CompiledValues, "MAX_IDS", 2):
        assert many(ids) == list(_as_tuples(ids))
    assert (many, 3) not in _connection().__dict__.get("tilskudd_compiled", {})
