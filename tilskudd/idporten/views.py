"""The pages of signing in with ID-porten: start, callback, the first sign-in's details
and e-mail verification, the front-channel logout ID-porten calls, and our own logout."""

from __future__ import annotations

import logging
from urllib.parse import urlencode

import requests
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_exempt
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from tilskudd.errors import ServiceError, form_acted

from . import provider, services
from .backend import SESSION_SID
from .forms import DetailsForm, VerifyEmailForm
from .models import IdportenSession

logger = logging.getLogger(__name__)

#: mozilla-django-oidc keeps the ID token here (OIDC_STORE_ID_TOKEN) for the logout hint.
SESSION_ID_TOKEN = "oidc_id_token"  # noqa: S105 (a session key, not a secret)


def _refused(request, message: str, *, status: int = 400) -> HttpResponse:
    return render(request, "refused.html", {
        "title": _("Innloggingen ble ikke fullført"), "message": message,
        "back_url": reverse("login"), "back_text": _("Til innloggingen"),
    }, status=status)


def _safe_next(request) -> str:
    """Where the person was going before signing in (the login's `next`), if it is ours."""
    next_url = request.GET.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return ""


def _with_next(url: str, next_url: str) -> HttpResponseRedirect:
    if next_url and next_url != reverse("home"):
        url = f"{url}?{urlencode({'next': next_url})}"
    return HttpResponseRedirect(url)


def _unavailable(request) -> HttpResponse:
    return render(request, "idporten/unavailable.html", status=503)


class IdportenLoginView(OIDCAuthenticationRequestView):
    """Send the browser to ID-porten: code flow with PKCE, nonce and state in the session,
    level of assurance «substantial» and the page's language."""

    def __init__(self, *args, **kwargs) -> None:
        super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)

    def get(self, request):
        if not provider.enabled():
            raise Http404
        try:
            endpoints = provider.endpoints()
        except provider.ProviderUnavailable:
            return _unavailable(request)
        self.OIDC_OP_AUTH_ENDPOINT = endpoints.authorization
        self.OIDC_RP_CLIENT_ID = settings.IDPORTEN_CLIENT_ID
        return super().get(request)

    def get_extra_params(self, request):
        return {"acr_values": provider.ACCEPTED_ACR[0], "ui_locales": provider.ui_locale()}


class IdportenCallbackView(OIDCAuthenticationCallbackView):
    """ID-porten's answer. Every way it can go wrong gets a Norwegian page and changes
    nothing: a state we did not send (or already used), a wrong nonce or issuer, a code
    the provider refuses (a replay), a cancelled sign-in, a provider that is down."""

    def get(self, request):
        if not provider.enabled():
            raise Http404
        if request.GET.get("error"):
            super().get(request)  # forgets the state and signs out, as mozilla-django-oidc does
            return _refused(request, _("Innloggingen med ID-porten ble avbrutt."))
        try:
            return super().get(request)
        except SuspiciousOperation as exc:
            logger.warning("ID-porten callback refused: %s", exc)
            return _refused(request, _(
                "Innloggingen kunne ikke bekreftes. Lenken kan være brukt før eller "
                "komme fra en annen innlogging. Prøv å logge inn på nytt."
            ))
        except requests.HTTPError as exc:
            status = exc.response.status_code if exc.response is not None else None
            logger.warning("ID-porten token endpoint answered %s", status)
            if status is not None and status < 500:
                return _refused(request, _(
                    "ID-porten godtok ikke innloggingen (koden kan være brukt før). "
                    "Prøv å logge inn på nytt."
                ))
            return _unavailable(request)
        except (provider.ProviderUnavailable, requests.RequestException):
            return _unavailable(request)

    def login_failure(self):
        return _refused(self.request, _(
            "Innloggingen kunne ikke fullføres. Prøv å logge inn på nytt."
        ))

    def login_success(self):
        response = super().login_success()
        sid = self.request.session.pop(SESSION_SID, None)
        if sid:
            self.request.session.save()
            services.session_record(
                user=self.user, sid=sid, session_key=self.request.session.session_key
            )
        if services.needs_details(self.user):
            return _with_next(reverse("idporten:details"), self.success_url)
        return response


@login_required
def details(request):
    """The first sign-in: who are you, and where do we write to you."""
    if not request.user.pid_hash:
        return redirect("home")
    initial = {} if services.needs_details(request.user) else {
        "full_name": request.user.full_name, "email": request.user.email,
    }
    form = DetailsForm(request.POST or None, initial=initial)
    if form_acted(request, form,
                  lambda: services.person_give_details(user=request.user, **form.cleaned_data)):
        return _with_next(reverse("idporten:details_sent"), _safe_next(request))
    return render(request, "idporten/details.html", {"form": form})


@login_required
def details_sent(request):
    return render(request, "idporten/details_sent.html", {"next": _safe_next(request)})


@login_required
def verify_email(request, token: str):
    form = VerifyEmailForm(request.POST or None)
    if request.method == "POST":
        try:
            services.email_verify(user=request.user, token=token)
        except ServiceError as error:
            return _refused(request, error.message)
        return render(request, "idporten/email_verified.html")
    return render(request, "idporten/verify_email.html", {"form": form})


@never_cache
@xframe_options_exempt
def front_channel_logout(request):
    """ID-porten calls this in a hidden frame with `iss` and `sid` (without our cookie):
    end our sessions that belong to that ID-porten session."""
    services.front_channel_logout(
        iss=request.GET.get("iss", ""), sid=request.GET.get("sid", ""),
        expected_issuer=settings.IDPORTEN_ISSUER or "",
    )
    response = HttpResponse("", content_type="text/plain")
    if provider.enabled():
        response._csp_replace = {"frame-ancestors": provider.login_origins()}
    return response


class LogoutView(auth_views.LogoutView):
    """Sign out here; signed in with ID-porten, sign out there too (end_session_endpoint,
    with the ID token as hint and the front page as where to come back)."""

    def post(self, request, *args, **kwargs):
        id_token = request.session.get(SESSION_ID_TOKEN)
        session_key = request.session.session_key
        response = super().post(request, *args, **kwargs)
        if not id_token or not provider.enabled():
            return response
        IdportenSession.objects.filter(session_key=session_key).delete()
        try:
            end_session = provider.endpoints().end_session
        except provider.ProviderUnavailable:
            return response
        if not end_session:
            return response
        query = urlencode({
            "id_token_hint": id_token,
            "post_logout_redirect_uri": settings.SITE_URL.rstrip("/") + reverse("home"),
        })
        # A page that forwards at once, not a redirect: the sign-out form's CSP
        # (form-action 'self') would refuse a redirect to ID-porten's login domain.
        return render(request, "idporten/signing_out.html",
                      {"end_session_url": f"{end_session}?{query}"})
