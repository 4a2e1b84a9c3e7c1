"""{% session_warning %}: the dialog that warns before the signed-in session ends
(tilskudd.session_views), on every page of the portal and the admin."""

from django import template

from tilskudd.session_views import seconds_left, warning_seconds

register = template.Library()


@register.inclusion_tag("includes/session_warning.html", takes_context=True)
def session_warning(context):
    request = context.get("request")
    left = seconds_left(request) if request is not None else None
    user = getattr(request, "user", None)
    return {"expires_in": left, "lead": warning_seconds(),
            "csrf_token": context.get("csrf_token"),
            # whom the page was made for: a renewed token is only for them (portal.js)
            "user_id": user.pk if user is not None and user.is_authenticated else "",
            "next_path": request.get_full_path() if request is not None else ""}
