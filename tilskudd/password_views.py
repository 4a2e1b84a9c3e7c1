"""Changing one's password: only for people who sign in with one. Someone who signs in
with ID-porten has no password here, so the page would ask for an old password that does
not exist; they are sent to the start page with a word of why instead."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect
from django.utils.translation import gettext as _


class PasswordChangeView(auth_views.PasswordChangeView):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.has_usable_password():
            messages.info(
                request,
                _("Du logger inn med ID-porten og har ikke noe passord i portalen å endre."),
            )
            return redirect("home")
        return super().dispatch(request, *args, **kwargs)
