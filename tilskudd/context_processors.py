from django.utils.functional import SimpleLazyObject

from .selectors import memberships_for_user, office_for_user


def acting_for(request):
    """Who the signed-in user acts for, shown in the header of every page.

    Read lazily and once per request (tilskudd.access caches both on the request's user):
    a view that read the user's memberships already costs the header nothing more, and
    the office with its membership is one query."""
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {}
    return {
        "acting_memberships": SimpleLazyObject(lambda: memberships_for_user(user)),
        "acting_office": SimpleLazyObject(lambda: office_for_user(user)),
    }
