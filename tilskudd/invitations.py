"""An invitation to act for an organisation (as editor or signatory) or to work at an
office (as caseworker, approver or administrator). The link carries a random token; only
its SHA-256 is stored. It is single-use, expires after INVITATION_VALID_DAYS and binds to
whoever accepts it after signing in (tilskudd.access_services)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

INVITATION_VALID_DAYS = 7


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def default_expiry():
    return timezone.now() + timedelta(days=INVITATION_VALID_DAYS)


class InvitationQuerySet(models.QuerySet):
    def pending(self) -> InvitationQuerySet:
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )


class Invitation(models.Model):
    organisation = models.ForeignKey(
        "tilskudd.Organisation", on_delete=models.CASCADE, null=True, blank=True,
        related_name="invitations", verbose_name=_("organisasjon"),
    )
    office = models.ForeignKey(
        "tilskudd.Office", on_delete=models.CASCADE, null=True, blank=True,
        related_name="invitations", verbose_name=_("embete"),
    )
    email = models.EmailField(_("e-post"))
    role = models.CharField(_("rolle"), max_length=16)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("invitert av"),
    )
    created_at = models.DateTimeField(_("sendt"), default=timezone.now)
    expires_at = models.DateTimeField(_("gyldig til"), default=default_expiry)
    accepted_at = models.DateTimeField(_("akseptert"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("akseptert av"),
    )
    revoked_at = models.DateTimeField(_("trukket tilbake"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitasjon")
        verbose_name_plural = _("invitasjoner")
        constraints = [
            models.CheckConstraint(
                condition=(Q(organisation__isnull=False, office__isnull=True)
                           | Q(organisation__isnull=True, office__isnull=False)),
                name="invitation_to_organisation_or_office",
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} – {self.organisation or self.office} ({self.role_label})"

    @property
    def role_label(self) -> str:
        from .models import MembershipRole, OfficeRole

        choices = dict(MembershipRole.choices if self.organisation_id else OfficeRole.choices)
        return str(choices.get(self.role, self.role))

    @property
    def is_pending(self) -> bool:
        return (self.accepted_at is None and self.revoked_at is None
                and self.expires_at > timezone.now())

    @property
    def status_label(self) -> str:
        if self.accepted_at:
            return str(_("Akseptert"))
        if self.revoked_at:
            return str(_("Trukket tilbake"))
        if self.expires_at <= timezone.now():
            return str(_("Utløpt"))
        return str(_("Venter"))
