"""The office's side of unused funds in the admin: on a report's page, the decision on a
transfer request (approve or refuse with a reason; four eyes over the threshold) and a
claim for misuse; and the list of repayment claims, where a claim is marked paid,
cancelled or corrected (the forms are FormActions, reporting/admin_actions.py)."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tilskudd.admin_scoping import OfficeScopedAdmin
from tilskudd.money import format_nok

from . import repayments, rules, transfers
from .admin_actions import FormAction, FormActionsAdmin, report_content
from .forms import UsedAmountField
from .models import Report
from .transfer_models import ClaimStatus, RepaymentClaim, TransferOutcome

CLAIM_OFFICE_PATH = "report__application__organisation__county__office"


class TransferDecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=gettext_lazy("Vedtak"), choices=TransferOutcome.choices, widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy(
            "Velg om overføringen skal godkjennes eller avslås.")},
    )
    reason = forms.CharField(
        label=gettext_lazy("Begrunnelse"), widget=forms.Textarea(attrs={"rows": 4}),
        max_length=rules.MAX_TEXT_LENGTH,
        help_text=gettext_lazy("Mottakeren får begrunnelsen i e-posten om vedtaket."),
        error_messages={"required": gettext_lazy("Skriv en begrunnelse for vedtaket.")},
    )


class ClaimForm(forms.Form):
    # typed the Norwegian way ("60 000", "kr 60 000", "20.000"); above 0 and at most what
    # is left to claim is the service's rule (repayments.claim_amount)
    amount = UsedAmountField(
        label=gettext_lazy("Beløp som kreves tilbake (kr)"),
        error_messages={"required": gettext_lazy("Skriv beløpet som kreves tilbake.")},
    )
    reason = forms.CharField(
        label=gettext_lazy("Begrunnelse"), widget=forms.Textarea(attrs={"rows": 4}),
        max_length=rules.MAX_TEXT_LENGTH,
        help_text=gettext_lazy("Hva i rapporten viser at midlene ikke er brukt etter "
                               "formålet? Står i brevet til mottakeren."),
        error_messages={"required": gettext_lazy("Skriv hvorfor midlene kreves tilbake.")},
    )


class PaidForm(forms.Form):
    paid_on = forms.DateField(
        label=gettext_lazy("Betalt dato"), widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": gettext_lazy("Skriv datoen beløpet ble betalt."),
                        "invalid": gettext_lazy("Skriv en gyldig dato, for eksempel 15.03.2027.")},
    )


class CancelClaimForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Begrunnelse"), widget=forms.Textarea(attrs={"rows": 4}),
        max_length=rules.MAX_TEXT_LENGTH,
        help_text=gettext_lazy("Mottakeren får begrunnelsen i e-posten om kanselleringen."),
        error_messages={"required": gettext_lazy("Skriv hvorfor kravet kanselleres.")},
    )
    new_amount = UsedAmountField(
        label=gettext_lazy("Riktig beløp (kr), om beløpet er feil"), required=False,
        help_text=gettext_lazy(
            "Et krav kan ikke endres. Er beløpet feil, skriv det riktige her: kravet "
            "kanselleres, og et nytt krav med dette beløpet, ny frist og nytt brev lages i "
            "stedet. La feltet stå tomt for bare å kansellere."),
        error_messages={"invalid": gettext_lazy("Skriv beløpet i hele kroner, større enn 0."),
                        "min_value": gettext_lazy("Skriv beløpet i hele kroner, større enn 0.")},
    )


def _decided(transfer) -> str:
    """The message after a transfer decision: with, on a refusal that could claim back
    less than the transfer or nothing, the note saying so (transfers._decide)."""
    note = getattr(transfer, "repayment_note", "")  # a proposal, a second opinion: none
    return " ".join(filter(None, (str(_("Vedtaket om overføring er lagret.")), note)))


#: ReportAdmin's actions on unused funds, from its page's unused-funds box.
FUNDS_ACTIONS = (
    FormAction("overforing/", "transfer", TransferDecisionForm, transfers.transfer_decide,
               title=gettext_lazy("Vedtak om overføring av ubrukte midler"),
               outcome=lambda report, transfer: (_decided(transfer), report),
               context=report_content),
    FormAction("tilbakebetaling/", "claim", ClaimForm, repayments.repayment_claim_create,
               title=gettext_lazy("Krev tilbakebetaling"), context=report_content,
               done=gettext_lazy("Tilbakebetalingskravet er laget. Brevet lages og sendes på "
                                 "e-post.")),
)

MARK_PAID = FormAction(
    "betalt/", "paid", PaidForm, repayments.repayment_mark_paid,
    title=gettext_lazy("Registrer betaling"), done=gettext_lazy("Kravet er registrert som betalt."),
    initial=lambda: {"paid_on": timezone.localdate()},
)


def _cancelled(claim: RepaymentClaim, replacement: RepaymentClaim | None):
    """The message after a cancellation, and the claim to show: the new one, if the amount
    was corrected."""
    if replacement is None:
        return _("Kravet er kansellert. Mottakeren får e-post."), claim
    return _("Kravet er kansellert, og det nye kravet %(ref)s på %(amount)s er laget. "
             "Brevet lages og sendes på e-post.") % {
        "ref": repayments.claim_reference(replacement),
        "amount": format_nok(replacement.amount)}, replacement


CANCEL = FormAction(
    "kanseller/", "cancel", CancelClaimForm, repayments.repayment_claim_cancel,
    title=gettext_lazy("Kanseller eller korriger kravet"), outcome=_cancelled,
)


class FundsAdminMixin:
    """For ReportAdmin: the unused-funds box on the report's page (its actions are
    FUNDS_ACTIONS)."""

    @admin.display(description=gettext_lazy("ubrukte midler"))
    def funds_display(self, obj: Report) -> str:
        transfer = transfers.transfer_of(obj)
        return render_to_string("admin/reporting/report/funds.html", {
            "report": obj, "transfer": transfer,
            "letter": getattr(transfer, "letter", None) if transfer else None,
            "events": list(transfer.events.select_related("by")) if transfer else [],
            "requested": transfers.requested_submission(obj),
            "claims": list(obj.repayment_claims.select_related("letter")),
            "threshold": transfers.four_eyes_threshold(obj.application.round),
        })


@admin.register(RepaymentClaim)
class RepaymentClaimAdmin(FormActionsAdmin, OfficeScopedAdmin):
    office_path = CLAIM_OFFICE_PATH
    form_actions = (MARK_PAID, CANCEL)
    action_subject = "claim"
    list_display = ["reference_display", "organisation", "round_display", "amount_display",
                    "due_date", "status", "cause"]
    list_select_related = ["report__application__organisation__county__office",
                           "report__application__round__scheme"]
    list_filter = ["status", "cause"]
    search_fields = ["report__application__organisation__name",
                     "report__application__organisation__org_number"]
    fields = ["reference_display", "organisation", "round_display", "amount_display", "cause",
              "reason", "due_date", "status", "paid_on", "paid_by", "cancelled_at",
              "cancelled_by", "cancel_reason", "replaces_display", "replaced_by_display",
              "created_by", "created_at", "letter_display", "history"]
    readonly_fields = fields
    change_form_template = "admin/reporting/repaymentclaim/change_form.html"

    @admin.display(description=gettext_lazy("referanse"))
    def reference_display(self, obj: RepaymentClaim) -> str:
        return repayments.claim_reference(obj)

    @admin.display(description=gettext_lazy("tilskuddsmottaker"),
                   ordering="report__application__organisation__name")
    def organisation(self, obj: RepaymentClaim) -> str:
        return obj.report.application.organisation.name

    @admin.display(description=gettext_lazy("runde"))
    def round_display(self, obj: RepaymentClaim) -> str:
        return str(obj.report.application.round)

    @admin.display(description=gettext_lazy("beløp"), ordering="amount")
    def amount_display(self, obj: RepaymentClaim) -> str:
        return format_nok(obj.amount)

    def _claim_link(self, claim: RepaymentClaim | None) -> str:
        if claim is None:
            return "–"
        return format_html('<a href="{}">{} ({})</a>', self.change_url(claim),
                           repayments.claim_reference(claim), format_nok(claim.amount))

    @admin.display(description=gettext_lazy("erstatter kravet"))
    def replaces_display(self, obj: RepaymentClaim) -> str:
        return self._claim_link(obj.replaces)

    @admin.display(description=gettext_lazy("erstattet av"))
    def replaced_by_display(self, obj: RepaymentClaim) -> str:
        return self._claim_link(getattr(obj, "replaced_by", None))

    @admin.display(description=gettext_lazy("brev"))
    def letter_display(self, obj: RepaymentClaim) -> str:
        letter = getattr(obj, "letter", None)
        if letter is None or letter.status not in ("ready", "pending"):
            return letter.get_status_display() if letter else "–"
        link = repayments.letter_url(obj)  # a cancelled claim's: the letter as it was sent
        text = (_("Det opprinnelige brevet (kansellert)") if obj.status == ClaimStatus.CANCELLED
                else _("Last ned brevet"))
        if not letter.is_ready:  # made on the spot if clicked before the worker has
            return format_html('<a href="{}">{}</a> ({})', link, text,
                               letter.get_status_display().lower())
        return format_html('<a href="{}">{}</a> (SHA-256 {})', link, text, letter.sha256)

    @admin.display(description=gettext_lazy("historikk"))
    def history(self, obj: RepaymentClaim) -> str:
        events = [(e.at, str(e), e.by) for e in obj.events.select_related("by")]
        if not events:
            return "–"
        return format_html("<ul>{}</ul>", format_html(
            "".join("<li>{} – {} {}</li>" for _event in events),
            *[part for at, what, by in events
              for part in (date_format(timezone.localtime(at), "SHORT_DATETIME_FORMAT"),
                           what, by)]))

    def has_add_permission(self, request):
        return False  # a claim is made from a report (the report's page)

    def has_delete_permission(self, request, obj=None):
        return False  # a claim is kept, like the report it comes from

    def save_model(self, request, obj, form, change):  # pragma: no cover - nothing editable
        raise PermissionDenied

    def _cancelled_mark(self, claim: RepaymentClaim) -> dict:
        """For the mark at the top of a cancelled claim's page (claim_cancelled.html)."""
        replacement = getattr(claim, "replaced_by", None)
        return {"reference": repayments.claim_reference(claim), "replacement": replacement,
                "replacement_reference": repayments.claim_reference(replacement)
                if replacement else "",
                "replacement_url": self.change_url(replacement) if replacement else ""}

    def change_view(self, request, object_id, form_url="", extra_context=None):
        claim = self.get_object(request, object_id)
        extra = {"show_save": False, "show_save_and_continue": False,
                 "show_save_and_add_another": False, "show_delete": False,
                 "may_mark_paid": claim is not None and claim.status == ClaimStatus.OPEN
                 and self._is_staff_member(request)}
        extra["may_cancel"] = extra["may_mark_paid"]
        if claim is not None and claim.status == ClaimStatus.CANCELLED:
            extra["cancelled"] = self._cancelled_mark(claim)
        return super().change_view(request, object_id, form_url, {**extra,
                                                                   **(extra_context or {})})
