from .selectors import memberships_for_user, office_for_user


def acting_for(request):
    """Who the signed-in user acts for, shown in the header of every page.

    Two queries per page for a signed-in user, whatever the page."""
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {}
    return {
        "acting_memberships": list(memberships_for_user(user)),
        "acting_office": office_for_user(user),
    }
