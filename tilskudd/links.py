"""Links that leave the portal (in e-mails) must be absolute."""

from django.conf import settings
from django.urls import reverse


def absolute_url(viewname: str, *args) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(viewname, args=args)
