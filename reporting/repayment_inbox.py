"""Where unused funds, decided, show (registered in ReportingConfig.ready()): open
repayment claims in the organisation's inbox and the office's admin index, transfers
waiting for a decision or a second approver on the admin index, the letters in the
archive, and transfers and claims per office in the national view. A fixed number of
queries each."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, time

from django.db.models import Count, F, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tilskudd.archive import ArchiveDocument
from tilskudd.figures import FigureGroup, FigureRow, FigureScope
from tilskudd.inbox import InboxItem, due_text
from tilskudd.models import Membership, OfficeMembership, User
from tilskudd.money import format_nok

from .figures import OFFICE, _reports
from .repayments import claim_reference, letter_url
from .transfer_models import ClaimStatus, RepaymentClaim, TransferDecision, TransferStatus
from .transfers import DECIDABLE_REPORT_STATUSES

#: What an item is about (tilskudd.inbox kinds).
REPAYMENT = "repayment_claim"
TRANSFER_DECISION = "transfer_decision"
#: A claim is due at the end of its due date, in Oslo.
END_OF_DAY = time(23, 59)


def _due(claim: RepaymentClaim) -> datetime:
    return timezone.make_aware(datetime.combine(claim.due_date, END_OF_DAY))


def _open_claims():
    return (RepaymentClaim.objects.filter(status=ClaimStatus.OPEN)
            .select_related("report__application__organisation",
                            "report__application__round__scheme")
            .order_by("due_date", "pk"))


def claim_items(
    user: User, memberships: Sequence[Membership], now: datetime
) -> Iterable[InboxItem]:
    """The organisation's open repayment claims, with amount, due date and the letter."""
    organisation_ids = [m.organisation_id for m in memberships]
    claims = _open_claims().filter(report__application__organisation_id__in=organisation_ids)
    for claim in claims:
        application = claim.report.application
        yield InboxItem(
            kind=REPAYMENT,
            title=_("Betal tilbake %(amount)s av tilskuddet for %(round)s") % {
                "amount": format_nok(claim.amount), "round": application.round},
            detail=" ".join([
                _("Krav %(ref)s: %(reason)s") % {"ref": claim_reference(claim),
                                                 "reason": claim.reason},
                due_text(_due(claim), now)]),
            url=reverse("reporting:repayment_letter", args=[claim.pk]),
            link_text=_("Les brevet om tilbakebetaling"),
            organisation=application.organisation.name, due=_due(claim),
        )


def office_items(
    user: User, membership: OfficeMembership, now: datetime
) -> Iterable[InboxItem]:
    """The office's open claims, and transfers waiting for a decision or a second
    approver (not the proposer's own). Two queries."""
    office = membership.office
    claims = _open_claims().filter(report__application__organisation__county__office=office)
    for claim in claims:
        application = claim.report.application
        yield InboxItem(
            kind=REPAYMENT,
            title=_("Tilbakebetalingskrav fra %(org)s: %(amount)s, ikke betalt") % {
                "org": application.organisation.name, "amount": format_nok(claim.amount)},
            detail=_("Krav %(ref)s, frist %(due)s.") % {
                "ref": claim_reference(claim), "due": date_format(claim.due_date, "DATE_FORMAT")},
            url=reverse("admin:reporting_repaymentclaim_change", args=[claim.pk]),
            link_text=_("Se kravet"), organisation=office.name, due=_due(claim),
        )
    transfers = (
        TransferDecision.objects.filter(
            report__application__organisation__county__office=office,
            status=TransferStatus.PROPOSED)
        .exclude(proposed_by=user)
        .select_related("report__application__organisation", "proposed_by")
        .order_by("proposed_at", "pk")
    )
    for transfer in transfers:
        yield InboxItem(
            kind=TRANSFER_DECISION,
            title=_("Overføring av %(amount)s for %(org)s venter på din godkjenning") % {
                "amount": format_nok(transfer.amount),
                "org": transfer.report.application.organisation.name},
            detail=_("Foreslått av %(who)s: %(outcome)s.") % {
                "who": transfer.proposed_by, "outcome": transfer.get_proposed_outcome_display()},
            url=reverse("admin:reporting_report_change", args=[transfer.report_id]),
            link_text=_("Fatt vedtak"), organisation=office.name, due=transfer.proposed_at,
        )


def letter_documents(application_ids: list[int]) -> Iterable[ArchiveDocument]:
    """Every repayment letter, with its checksum, in the archive. One query."""
    claims = (RepaymentClaim.objects
              .filter(report__application_id__in=application_ids)
              .select_related("letter", "report__application__round")
              .order_by("created_at", "pk"))
    for claim in claims:
        letter = getattr(claim, "letter", None)
        ready = letter is not None and letter.is_ready
        yield ArchiveDocument(
            application_id=claim.report.application_id,
            title=_("Krav om tilbakebetaling %(ref)s (%(amount)s, %(status)s)") % {
                "ref": claim_reference(claim), "amount": format_nok(claim.amount),
                "status": claim.get_status_display().lower()},
            status=letter.get_status_display() if letter else "",
            created_at=claim.created_at,
            url=letter_url(claim) if ready else "",
            sha256=letter.sha256 if ready else "",
            # the letter is the one sent; its claim's page says it is cancelled, and why
            **({"action_url": reverse("reporting:repayment_claim", args=[claim.pk]),
                "action_label": _("Kravet er kansellert: se hvorfor")}
               if claim.status == ClaimStatus.CANCELLED else {}),
        )


def funds_figures(scope: FigureScope) -> list[FigureGroup]:
    """Transfers decided and repayment claims per office, for the round's reports. Two
    queries. An approved transfer counts whatever its report's status: it stands while the
    report is sent back for correction (next year's carryover, tilskudd.carryover, still
    comes from it); a transfer waits for a decision only on a report the office may decide
    on (transfers.DECIDABLE_REPORT_STATUSES)."""
    reports = _reports(scope)
    transfers = {
        row["office"]: row for row in
        TransferDecision.objects.filter(report__in=reports)
        .values(office=F(f"report__{OFFICE}"))
        .annotate(approved=Sum("amount", filter=Q(status=TransferStatus.APPROVED)),
                  waiting=Count("pk", filter=Q(
                      status__in=[TransferStatus.PENDING, TransferStatus.PROPOSED],
                      report__status__in=list(DECIDABLE_REPORT_STATUSES))))
        .order_by()
    }
    claims = {
        row["office"]: row for row in
        RepaymentClaim.objects.filter(report__in=reports)
        .values(office=F(f"report__{OFFICE}"))
        .annotate(open_count=Count("pk", filter=Q(status=ClaimStatus.OPEN)),
                  open_amount=Sum("amount", filter=Q(status=ClaimStatus.OPEN)),
                  paid_amount=Sum("amount", filter=Q(status=ClaimStatus.PAID)))
        .order_by()
    }

    def row(found, key, label, money=False):
        return FigureRow(key, label, {office: values[key] or 0
                                      for office, values in found.items()}, money=money)

    return [FigureGroup("repayments", _("Overføringer og tilbakebetalingskrav"), [
        row(transfers, "approved", _("Overføring godkjent (kr)"), money=True),
        row(transfers, "waiting", _("Overføringer som venter på vedtak")),
        row(claims, "open_count", _("Tilbakebetalingskrav, ikke betalt")),
        row(claims, "open_amount", _("Ikke betalt (kr)"), money=True),
        row(claims, "paid_amount", _("Betalt tilbake (kr)"), money=True),
    ])]
