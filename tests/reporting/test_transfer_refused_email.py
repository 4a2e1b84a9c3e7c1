"""The recipient's e-mail on a refused transfer says what is claimed back: a refusal whose
claim asks what is left (reporting.repayments.capped_to_left) promises no letter when
nothing is left to claim, and names the amount when only a part is."""

from decimal import Decimal

from reporting import repayments, transfers
from reporting.transfer_models import ClaimCause
from tilskudd.languages import WrittenLanguage
from tilskudd.outbox import OutboundEmail

from .test_repayments import MISUSE_REASON
from .test_transfers import REFUSE, sent

REASON = "Midlene var ikke bundet."
LETTER_FOLLOWS = "brevet om tilbakebetaling kommer i egen e-post"


def asking(report, signatory):
    """Sent, asking to transfer kr 30 000 of the kr 260 000 the recipient had."""
    return sent(report, signatory, 10_000)


def misuse(report, user, amount):
    repayments.repayment_claim_create(report=report, user=user, amount=str(amount),
                                      reason=MISUSE_REASON)


def refuse(report, user):
    transfers.transfer_decide(report=report, user=user, outcome=REFUSE, reason=REASON)
    return OutboundEmail.objects.get(kind="transfer_decision")


def test_a_refusal_with_nothing_left_to_claim_promises_no_letter(report, signatory,
                                                                  caseworker):
    # given: all the recipient had is claimed back for misuse already
    report = asking(report, signatory)
    misuse(report, caseworker, report.available)
    # when
    email = refuse(report, caseworker)
    # then: no claim, and the e-mail says so instead of promising a letter
    assert not report.repayment_claims.filter(cause=ClaimCause.TRANSFER_REFUSED).exists()
    assert LETTER_FOLLOWS not in email.body.lower()
    assert email.body.endswith(
        "Det blir ikke laget noe krav om tilbakebetaling, fordi tilskuddet og overførte "
        "midler allerede er krevd tilbake i tidligere krav. Det kommer ikke noe brev om "
        "tilbakebetaling.")


def test_a_refusal_with_part_left_to_claim_names_the_amount_claimed(report, signatory,
                                                                     caseworker):
    report = asking(report, signatory)
    misuse(report, caseworker, 250_000)

    email = refuse(report, caseworker)

    claim = report.repayment_claims.get(cause=ClaimCause.TRANSFER_REFUSED)
    assert claim.amount == Decimal(10_000)
    assert email.body.endswith(
        "Det kreves tilbake kr\u00a010\u00a0000, ikke kr\u00a030\u00a0000, fordi resten "
        "allerede er krevd tilbake i tidligere krav. Brevet om tilbakebetaling kommer i "
        "egen e-post.")


def test_a_refusal_claimed_in_full_still_promises_the_letter(report, signatory, caseworker):
    report = asking(report, signatory)

    email = refuse(report, caseworker)

    assert report.repayment_claims.get(cause=ClaimCause.TRANSFER_REFUSED).amount == 30_000
    assert email.body.endswith(
        "Midlene skal betales tilbake; brevet om tilbakebetaling kommer i egen e-post.")


def test_the_no_claim_text_is_in_the_organisations_language(report, signatory, caseworker):
    organisation = report.application.organisation
    organisation.written_language = WrittenLanguage.NYNORSK
    organisation.save(update_fields=["written_language"])
    report = asking(report, signatory)
    misuse(report, caseworker, report.available)

    email = refuse(report, caseworker)

    assert email.body.endswith("Det kjem ikkje noko brev om tilbakebetaling.")
