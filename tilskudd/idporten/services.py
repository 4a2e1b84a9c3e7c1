"""What signing in with ID-porten changes: a new person, the name and e-mail they give,
the verified e-mail, and the sessions a front-channel logout ends."""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tilskudd.audit import AuditAction
from tilskudd.errors import ServiceError
from tilskudd.outbox import queue_email
from tilskudd.services import audit

from .models import IdportenSession

logger = logging.getLogger(__name__)

#: A new person's address until they give their own; `.invalid` can never receive e-mail.
PLACEHOLDER_DOMAIN = "idporten.invalid"
#: How long an e-mail verification link works.
VERIFY_MAX_AGE = timedelta(days=3)
VERIFY_SALT = "tilskudd.idporten.verify-email"


def needs_details(user) -> bool:
    """A person from ID-porten who has not yet given name and e-mail."""
    return bool(user.pid_hash) and user.email.endswith("@" + PLACEHOLDER_DOMAIN)


@transaction.atomic
def person_first_sign_in(*, pid_hash: str):
    """The person behind a pid seen for the first time: a user with no password and a
    placeholder address, who gives name and e-mail on the next page."""
    user = get_user_model()(
        email=f"{uuid.uuid4().hex}@{PLACEHOLDER_DOMAIN}",
        full_name=_("Ny bruker"),
        pid_hash=pid_hash,
    )
    user.set_unusable_password()
    user.full_clean()
    user.save()
    audit(actor=user, action=AuditAction.USER_CREATE, target=user, source="idporten")
    return user


def verification_token(user) -> str:
    return signing.dumps({"user": user.pk, "email": user.email}, salt=VERIFY_SALT)


@transaction.atomic
def person_give_details(*, user, full_name: str, email: str):
    """The name and e-mail a person from ID-porten gives. The e-mail is unverified until
    the link sent to it is opened, and nothing else is sent to it before then."""
    user_model = get_user_model()
    user = user_model.objects.select_for_update().get(pk=user.pk)
    email = user_model.objects.normalize_email(email.strip()).lower()
    if not user.pid_hash:
        raise ServiceError(_("Bare brukere fra ID-porten oppgir e-post her."))
    if user_model.objects.filter(email__iexact=email).exclude(pk=user.pk).exists():
        raise ServiceError(
            _("E-postadressen %(email)s er allerede i bruk. Bruk en annen adresse.")
            % {"email": email}
        )
    before = {"full_name": user.full_name, "email": user.email}
    changed_email = email != user.email
    user.full_name = full_name.strip()
    user.email = email
    if changed_email:
        user.email_verified_at = None
    user.full_clean()
    user.save(update_fields=["full_name", "email", "email_verified_at"])
    audit(
        actor=user, action=AuditAction.USER_CHANGE, target=user, before=before,
        after={"full_name": user.full_name, "email": user.email}, source="idporten",
    )
    if changed_email or user.email_verified_at is None:
        _send_verification(user)
    return user


def _send_verification(user) -> None:
    link = settings.SITE_URL.rstrip("/") + reverse(
        "idporten:verify_email", kwargs={"token": verification_token(user)}
    )
    queue_email(
        to=[user.email],
        subject=_("Bekreft e-postadressen din"),
        body=_(
            "Hei %(name)s,\n\nbekreft at denne adressen er din ved å åpne lenken under. "
            "Lenken virker i %(days)s dager og bare én gang.\n\n%(link)s\n\n"
            "Har du ikke bedt om dette, kan du se bort fra e-posten.\n"
        ) % {"name": user.full_name, "days": VERIFY_MAX_AGE.days, "link": link},
        kind="email_verify",
        unverified_ok=True,
    )


@transaction.atomic
def email_verify(*, user, token: str):
    """Mark the e-mail verified if `token` was made for this user and this address, is
    not too old and has not been used."""
    try:
        data = signing.loads(
            token, salt=VERIFY_SALT, max_age=VERIFY_MAX_AGE.total_seconds()
        )
    except signing.SignatureExpired as exc:
        raise ServiceError(
            _("Lenken er utløpt. Be om en ny ved å oppgi e-postadressen på nytt."),
            code="expired",
        ) from exc
    except signing.BadSignature as exc:
        raise ServiceError(_("Lenken er ugyldig."), code="invalid") from exc
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    if data.get("user") != user.pk:
        raise ServiceError(
            _("Lenken gjelder en annen konto enn den du er logget inn med."),
            code="other_account",
        )
    if data.get("email") != user.email or user.email_verified_at is not None:
        raise ServiceError(_("Lenken er allerede brukt eller gjelder ikke lenger."), code="used")
    user.email_verified_at = timezone.now()
    user.save(update_fields=["email_verified_at"])
    audit(
        actor=user, action=AuditAction.EMAIL_VERIFY, target=user,
        after={"email_verified_at": user.email_verified_at.isoformat()},
    )
    return user


@transaction.atomic
def session_record(*, user, sid: str, session_key: str) -> IdportenSession:
    IdportenSession.objects.filter(session_key=session_key).delete()
    link = IdportenSession(user=user, sid=sid, session_key=session_key)
    link.full_clean()
    link.save()
    return link


@transaction.atomic
def front_channel_logout(*, iss: str, sid: str, expected_issuer: str) -> int:
    """End every session of ours that belongs to ID-porten session `sid`; returns how many.
    A call naming another issuer ends nothing."""
    if not sid or iss.rstrip("/") != expected_issuer.rstrip("/"):
        return 0
    store = import_module(settings.SESSION_ENGINE).SessionStore
    links = list(IdportenSession.objects.filter(sid=sid).select_related("user"))
    for link in links:
        store(session_key=link.session_key).delete()
        audit(actor=link.user, action=AuditAction.USER_LOGOUT, target=link.user,
              source="idporten_front_channel")
    IdportenSession.objects.filter(pk__in=[link.pk for link in links]).delete()
    return len(links)
