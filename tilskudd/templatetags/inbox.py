"""`{% office_inbox as items %}`: what waits for the signed-in office staff member
(tilskudd.inbox.office_inbox_for), for the admin's index page."""

from django import template

from tilskudd.inbox import office_inbox_for

register = template.Library()


@register.simple_tag(takes_context=True)
def office_inbox(context):
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return []
    return office_inbox_for(request.user)
