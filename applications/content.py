"""The application a member's form step or preview shows, with its lines and attachments.

application_for_member reads the application (with its organisation, county, office,
round and scheme) if the user is a member of its organisation, by a query compiled to SQL
once (its five joined tables cost more to compile than to run); with_lines then reads its
competence lines, BPA lines, projects and attachments by four plain queries, each
compiled to SQL once, and puts them
where `application.competence_lines.all()` finds them, instead of through
prefetch_related: its machinery (related managers, `application__in` lookups, setting
the reverse relation) and compiling the four queries cost more than running them, about
a tenth of the 10-line step (issue 15; bench/run.py --profile). locked_with_lines reads
the same for the submit, under the application's row lock, and application_ref_for_member
the application with its organisation alone for a member, each compiled once too."""

from __future__ import annotations

from django.db import connection
from django.db.transaction import TransactionManagementError
from django.http import Http404

from tilskudd.compiled import Compiled

from .models import Application, Attachment, BpaLine, CompetenceLine, Project

#: Each related name of an application's content and its model.
CONTENT = {"competence_lines": CompetenceLine, "bpa_lines": BpaLine, "projects": Project,
           "attachments": Attachment}


def _of_application(model):
    return lambda application_id: model._default_manager.filter(application_id=application_id)


#: Each relation's query compiled to SQL once a connection (tilskudd.compiled.Compiled:
#: compiling cost more CPU than running it), then run with each application's id.
_COMPILED = {name: Compiled(_of_application(model)) for name, model in CONTENT.items()}


#: The application by its id and the id of a user who is a member of its organisation.
_APPLICATION = Compiled(lambda pk, user_id: Application.objects.filter(
    pk=pk, organisation__memberships__user_id=user_id,
).select_related("organisation__county__office", "round__scheme"), arity=2)


#: The application by its id under its row lock (FOR UPDATE of its own row only), with
#: what _APPLICATION reads beside it: what submitting reads, inside the service's transaction.
_LOCKED = Compiled(lambda pk: Application.objects.select_for_update(of=("self",)).filter(
    pk=pk).select_related("organisation__county__office", "round__scheme"))


def application_for_member(user, pk: int) -> Application:
    """The application with its content if `user` is a member of its organisation, else
    404 (as get_object_or_404 would answer)."""
    found = _APPLICATION(pk, user.pk)
    if not found:
        raise Http404
    if len(found) > 1:
        raise Application.MultipleObjectsReturned
    return with_lines(found[0])


#: The application with its organisation by its id and the id of a user who is a member.
_REFERENCE = Compiled(lambda pk, user_id: Application.objects.filter(
    pk=pk, organisation__memberships__user_id=user_id).select_related("organisation"),
    arity=2)


def application_ref_for_member(user, pk: int) -> Application:
    """The application with its organisation, not its lines, if `user` is a member of its
    organisation, else 404."""
    found = _REFERENCE(pk, user.pk)
    if not found:
        raise Http404
    if len(found) > 1:
        raise Application.MultipleObjectsReturned
    return found[0]


def locked_with_lines(pk: int) -> Application:
    """The application under its row lock with its content, as application_for_member
    reads it, inside a transaction (the lock lasts until it ends; the SQL is compiled
    once, so Django's own refusal outside one is repeated here)."""
    if connection.get_autocommit():
        raise TransactionManagementError("locked_with_lines needs a transaction.")
    found = _LOCKED(pk)
    if not found:
        raise Application.DoesNotExist
    return with_lines(found[0])


def with_lines(application: Application) -> Application:
    """`application` with its lines and attachments read, as prefetch_related would leave
    them: `.all()` of each relation answers from them, and each line's `application` is
    this one (no query)."""
    cache = application.__dict__.setdefault("_prefetched_objects_cache", {})
    for name, model in CONTENT.items():
        rows = _COMPILED[name](application.pk)
        field = model._meta.get_field("application")
        for row in rows:
            field.set_cached_value(row, application)
        # the relation's own queryset holding the rows, as a prefetch leaves it: its filter
        # is applied only should someone filter it further (as a related manager's is)
        queryset = model._default_manager.get_queryset()
        queryset._defer_next_filter = True
        queryset = queryset.filter(application_id=application.pk)
        queryset._result_cache = rows
        queryset._prefetch_done = True
        cache[name] = queryset
    return application
