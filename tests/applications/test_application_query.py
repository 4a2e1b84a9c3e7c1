"""The application a step or the preview shows is read by a query compiled once a
connection (applications.content.application_for_member, tilskudd.compiled.Compiled with
two ids): the ORM's row with its organisation, county, office, round and scheme, for a
member only, without compiling SQL again; and the submit's two reads, the application
with its organisation for a member and then under its row lock with its content."""

from unittest.mock import patch

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models.sql.compiler import SQLCompiler
from django.db.transaction import TransactionManagementError
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from applications import content
from applications.models import Application
from tests.applications.factories import complete_application
from tests.tilskudd.factories import OrganisationFactory, member
from tilskudd.models import MembershipRole


def _facts(application):
    return (application.pk, application.status, application.updated_at,
            application.organisation.name, application.organisation.county.name,
            application.organisation.county.office.name, application.round.year,
            application.round.application_deadline, application.round.scheme.name,
            [line.pk for line in application.competence_lines.all()])


def test_the_member_gets_the_orms_application_with_its_relations(trondheim, open_round,
                                                                  editor):
    application = complete_application(organisation=trondheim, round=open_round)
    orm = (Application.objects.filter(organisation__memberships__user=editor)
           .select_related("organisation__county__office", "round__scheme").get(pk=application.pk))

    found = content.application_for_member(editor, application.pk)

    assert content._APPLICATION.prepared(connections[DEFAULT_DB_ALIAS]) is not None
    assert _facts(found) == _facts(content.with_lines(orm))
    assert found.updated_at.tzinfo is not None  # the backend's converters ran


def test_someone_elses_application_or_none_is_404(trondheim, open_round, editor):
    other = OrganisationFactory(name="Åfjord kommune", org_number="964982953",
                                municipality_number="5058")
    member(other, MembershipRole.SIGNATORY)
    theirs = complete_application(organisation=other, round=open_round)

    with pytest.raises(Http404):
        content.application_for_member(editor, theirs.pk)
    with pytest.raises(Http404):
        content.application_for_member(editor, theirs.pk + 1000)


def test_the_sql_is_compiled_once_and_run_with_each_application_and_user(
        trondheim, open_round, editor, signatory):
    first = complete_application(organisation=trondheim, round=open_round)
    other = OrganisationFactory(name="Åfjord kommune", org_number="964982953",
                                municipality_number="5058")
    afjord_editor = member(other)
    second = complete_application(organisation=other, round=open_round)
    content.application_for_member(editor, first.pk)

    compiles = []
    as_sql = SQLCompiler.as_sql

    def counted(self, *args, **kwargs):
        if self.query.model is Application:
            compiles.append(self)
        return as_sql(self, *args, **kwargs)

    with patch.object(SQLCompiler, "as_sql", counted):
        found = [content.application_for_member(user, application.pk).pk
                 for user, application in [(signatory, first), (afjord_editor, second)]]
        with pytest.raises(Http404):
            content.application_for_member(afjord_editor, first.pk)

    assert found == [first.pk, second.pk]
    assert compiles == []


def test_a_relation_filtered_further_is_still_the_applications(trondheim, open_round, editor):
    application = complete_application(organisation=trondheim, round=open_round)
    complete_application(organisation=OrganisationFactory(
        name="Åfjord kommune", org_number="964982953", municipality_number="5058"),
        round=open_round)

    found = content.application_for_member(editor, application.pk)

    assert [line.pk for line in found.competence_lines.filter(amount__gt=0)] == [
        line.pk for line in application.competence_lines.all()]
    assert found.projects.count() == 1
    assert found.attachments.exists() is False


def test_the_submits_locked_read_is_the_orms_application_under_its_lock(
        trondheim, open_round, editor):
    application = complete_application(organisation=trondheim, round=open_round)
    orm = (Application.objects.select_for_update(of=("self",))
           .select_related("organisation__county__office", "round__scheme").get(pk=application.pk))

    with CaptureQueriesContext(connection) as ctx:
        found = content.locked_with_lines(application.pk)

    assert _facts(found) == _facts(content.with_lines(orm))
    locking = ctx.captured_queries[0]["sql"]
    if connection.features.has_select_for_update_of:
        assert locking.endswith('FOR UPDATE OF "applications_application"')
    else:  # SQLite locks the whole database for the transaction's write, not a row
        assert "FOR UPDATE" not in locking
    with pytest.raises(Application.DoesNotExist):
        content.locked_with_lines(application.pk + 1000)


def test_the_locked_read_is_refused_outside_a_transaction(trondheim, open_round):
    application = complete_application(organisation=trondheim, round=open_round)
    content.locked_with_lines(application.pk)  # compiled inside one

    with patch.object(connection, "get_autocommit", return_value=True), \
            pytest.raises(TransactionManagementError):
        content.locked_with_lines(application.pk)


def test_the_submits_first_read_is_the_members_application_with_its_organisation_only(
        trondheim, open_round, editor):
    application = complete_application(organisation=trondheim, round=open_round)
    other = OrganisationFactory(name="Åfjord kommune", org_number="964982953",
                                municipality_number="5058")
    afjord_editor = member(other)

    found = content.application_ref_for_member(editor, application.pk)

    assert (found.pk, found.organisation.name) == (application.pk, trondheim.name)
    assert content._REFERENCE.prepared(connections[DEFAULT_DB_ALIAS]) is not None
    for user, pk in [(afjord_editor, application.pk), (editor, application.pk + 1000)]:
        with pytest.raises(Http404):
            content.application_ref_for_member(user, pk)
