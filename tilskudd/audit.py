"""What the audit trail can say, as one list (Zulip's typed RealmAuditLog): every service
that changes state, every sign-in and every download writes one of these actions, with
the changed fields' values before and after."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .fields import acting_user


class AuditAction(models.TextChoices):
    # signing in (tilskudd.auth)
    USER_LOGIN = "user_login", _("Logget inn")
    USER_LOGOUT = "user_logout", _("Logget ut")
    USER_LOGIN_FAILED = "user_login_failed", _("Mislykket innlogging")
    USER_LOCKED_OUT = "user_locked_out", _("Innlogging stengt")
    EMAIL_VERIFY = "email_verify", _("E-post bekreftet")
    # the shared model (tilskudd.services)
    USER_CREATE = "user_create", _("Bruker opprettet")
    USER_CHANGE = "user_change", _("Bruker endret")
    REFERENCE_CHANGE = "reference_change", _("Grunndata endret")
    ORGANISATION_CHANGE = "organisation_change", _("Organisasjon endret")
    BUDGET_CHANGE = "budget_change", _("Ramme endret")
    EARMARK_CHANGE = "earmark_change", _("Øremerking endret")
    MEMBERSHIP_GRANT = "membership_grant", _("Tilgang gitt")
    MEMBERSHIP_REVOKE = "membership_revoke", _("Tilgang fjernet")
    OFFICE_MEMBERSHIP_GRANT = "office_membership_grant", _("Tilgang til embetet gitt")
    OFFICE_MEMBERSHIP_REVOKE = "office_membership_revoke", _("Tilgang til embetet fjernet")
    OUTBOX_RESEND = "outbox_resend", _("E-post sendt på nytt")
    # invitations (tilskudd.access_services)
    INVITATION_CREATE = "invitation_create", _("Invitasjon sendt")
    INVITATION_ACCEPT = "invitation_accept", _("Invitasjon akseptert")
    INVITATION_REVOKE = "invitation_revoke", _("Invitasjon trukket tilbake")
    DOCUMENT_DOWNLOAD = "document_download", _("Dokument lastet ned")
    ATTACHMENT_DOWNLOAD = "attachment_download", _("Vedlegg lastet ned")
    # applications
    APPLICATION_START = "application_start", _("Søknad påbegynt")
    APPLICATION_UPDATE = "application_update", _("Søknad lagret")
    APPLICATION_STATUS = "application_status", _("Søknadens status endret")
    APPLICATION_REQUEST_SIGNATURE = "application_request_signature", _("Sendt til signering")
    APPLICATION_SUBMIT = "application_submit", _("Søknad sendt inn")
    APPLICATION_WITHDRAW = "application_withdraw", _("Søknad trukket")
    ATTACHMENT_ADD = "attachment_add", _("Vedlegg lagt til")
    ATTACHMENT_REMOVE = "attachment_remove", _("Vedlegg fjernet")
    # assessment
    ASSESSMENT_OPEN = "assessment_open", _("Sak opprettet")
    ASSESSMENT_SAVE = "assessment_save", _("Vurdering lagret")
    ASSESSMENT_STATUS = "assessment_status", _("Sakens status endret")
    ASSESSMENT_ASSIGN = "assessment_assign", _("Saksbehandler tildelt")
    ASSESSMENT_RECOMMEND = "assessment_recommend", _("Innstilling sendt til godkjenning")
    ASSESSMENT_RETURN = "assessment_return", _("Innstilling sendt tilbake")
    ASSESSMENT_APPROVE = "assessment_approve", _("Vedtak fattet")
    LETTER_GENERATE = "letter_generate", _("Brev laget")
    GRANT_ACCEPT = "grant_accept", _("Tilskudd akseptert")
    # reporting
    REPORT_OPEN = "report_open", _("Rapport åpnet")
    REPORT_UPDATE = "report_update", _("Rapport lagret")
    REPORT_STATUS = "report_status", _("Rapportens status endret")
    REPORT_SUBMIT = "report_submit", _("Rapport sendt inn")
    REPORT_APPROVE = "report_approve", _("Rapport godkjent")
    REPORT_RETURN = "report_return", _("Rapport sendt tilbake")
    REPORT_EXTEND_DEADLINE = "report_extend_deadline", _("Rapportfrist utsatt")
    REPORT_ATTACHMENT_ADD = "report_attachment_add", _("Vedlegg til rapport lagt til")
    REPORT_ATTACHMENT_REMOVE = "report_attachment_remove", _("Vedlegg til rapport fjernet")
    # change requests (reporting.changes)
    CHANGE_REQUEST_SUBMIT = "change_request_submit", _("Endringssøknad sendt inn")
    CHANGE_REQUEST_STATUS = "change_request_status", _("Endringssøknadens status endret")
    CHANGE_LETTER_GENERATE = "change_letter_generate", _("Brev om endring laget")
    # unused funds: transfers and repayment claims (reporting/transfers.py, repayments.py)
    TRANSFER_STATUS = "transfer_status", _("Vedtak om overføring endret")
    REPAYMENT_CLAIM_CREATE = "repayment_claim_create", _("Tilbakebetalingskrav opprettet")
    REPAYMENT_STATUS = "repayment_status", _("Tilbakebetalingskrav endret")


class AuditEvent(models.Model):
    """Who did what to which object, written by every service that changes state
    (through `tilskudd.services.audit`, which refuses an action not in AuditAction).

    The column holds the action's value without database choices, so adding an action
    needs no migration; `action_label` and the admin show its name."""

    at = models.DateTimeField(_("tidspunkt"), default=timezone.now, db_index=True)
    actor = acting_user(_("utført av"), optional=True)
    action = models.CharField(_("handling"), max_length=80)
    target_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    target_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("target_type", "target_id")
    #: the changed fields' values before and after the change
    before = models.JSONField(_("før"), default=dict, blank=True)
    after = models.JSONField(_("etter"), default=dict, blank=True)
    data = models.JSONField(_("detaljer"), default=dict, blank=True)

    class Meta:
        app_label = "tilskudd"
        ordering = ["-at"]
        verbose_name = _("logghendelse")
        verbose_name_plural = _("logghendelser")
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"

    @property
    def action_label(self) -> str:
        return str(AuditAction(self.action).label) if self.action in AuditAction.values else (
            self.action)


def snapshot(obj: models.Model, fields: list[str]) -> dict[str, Any]:
    """The values of `fields` on `obj`, as the audit trail stores them (JSON-safe text)."""
    return {name: _plain(getattr(obj, name)) for name in fields}


def changes(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict, dict]:
    """Only the fields that changed: (before, after). A field missing from `before` (a new
    object has no before) is only in after."""
    changed = [k for k in after if before.get(k) != after.get(k)]
    return {k: before[k] for k in changed if k in before}, {k: after[k] for k in changed}


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, datetime):
        # one moment is one text, whichever zone it was read in
        return value.astimezone(UTC).isoformat() if value.tzinfo else value.isoformat()
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value)
