"""The signed-in user of a request, read with who they act for (issue 15).

Every page of the portal shows in its header whom the user acts for and the office they
work for, and its permission checks ask the same (tilskudd.access). Django's backends
read the user alone, and the header then read the memberships and the office membership
in two more queries. Here one query reads the user's memberships with their organisation,
county and office *and* the user with their office membership (a join from the
memberships); only a user who acts for no organisation (a caseworker, say) costs a
second query, the user with the office membership. What is read is held on this
request's user object (tilskudd.access.hold_acting) and on nothing else: the next
request reads it afresh, so a membership revoked is gone on the next page.

Both queries are compiled to SQL once a process (tilskudd.compiled): compiling the joined
query cost more CPU than running it, on every page.

With another ACCESS_SOURCE (Altinn) only the user is read here, as Django does.

PortalModelBackend replaces Django's ModelBackend (sign-in by password is the same);
tilskudd.idporten.backend.IdportenBackend reads its user with `load_user` too."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.auth.backends import ModelBackend

from . import access
from .compiled import Compiled
from .models import Membership, User

#: The backend a session signed in by password before this one named (see
#: tilskudd.middleware.AuthenticationMiddleware, which renames it).
DJANGO_MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
PORTAL_MODEL_BACKEND = "tilskudd.auth_backends.PortalModelBackend"


def _local_source() -> bool:
    return getattr(settings, "ACCESS_SOURCE", access.DEFAULT_SOURCE) == access.DEFAULT_SOURCE


_memberships = Compiled(lambda user_id: (
    access.LocalAccessSource.memberships_query(user_id)
    .select_related("user__office_membership__office")
))
_user = Compiled(lambda user_id: (
    User._default_manager.select_related("office_membership__office").filter(pk=user_id)
))


def load_user(user_id) -> User | None:
    """The user with this id, with their memberships (by the organisation's name, each
    with its organisation, county and office) and their office membership, or None."""
    if not _local_source():
        return User._default_manager.filter(pk=user_id).first()
    memberships = _memberships(user_id)
    if memberships:
        user = memberships[0].user
        for membership in memberships[1:]:
            Membership.user.field.set_cached_value(membership, user)
    else:
        found = _user(user_id)
        if not found:
            return None
        user = found[0]
    # memberships_for reads none for an inactive user; so does this
    access.hold_acting(user, memberships if user.is_active else [])
    return user


class PortalModelBackend(ModelBackend):
    """Django's ModelBackend, whose get_user reads who the user acts for too."""

    def get_user(self, user_id):
        user = load_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


def rename_session_backend(session) -> None:
    """A session signed in by password before PortalModelBackend named Django's
    ModelBackend: it is the same sign-in, so it names this one (and stays signed in)."""
    if session.get(BACKEND_SESSION_KEY) == DJANGO_MODEL_BACKEND:
        session[BACKEND_SESSION_KEY] = PORTAL_MODEL_BACKEND
