"""Signing in: what a person sees when django-axes has locked their sign-in."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import render


def lockout_response(request, credentials=None, *args, **kwargs):
    """The login page again, with a Norwegian message that says when to try again."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(
        request, "registration/locked_out.html", {"minutes": minutes}, status=429
    )
