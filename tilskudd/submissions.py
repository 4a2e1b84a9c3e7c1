"""A frozen submission, once for every app that sends something in (applications, reports,
and the flows after them): what was sent, exactly as the preview showed it, under a
reference people can read aloud.

Subclasses add the foreign key to what was sent, their own totals and the "no longer live"
field (withdrawn, returned), with `one_live(...)` in their Meta.constraints.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, models, transaction
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .errors import ServiceError
from .fields import acting_user
from .languages import active_language
from .models import Organisation, Round
from .references import new_reference

#: Random references clash rarely; draw again this many times before giving up.
REFERENCE_ATTEMPTS = 5


class FrozenSubmission(models.Model):
    reference = models.CharField(gettext_lazy("referansenummer"), max_length=40, unique=True)
    submitted_at = models.DateTimeField(gettext_lazy("sendt"))
    submitted_by = acting_user(gettext_lazy("sendt av"))
    #: What was sent, exactly as the preview showed it (each app's snapshot module).
    content = models.JSONField()
    #: The language the signatory used when submitting: the receipt (page, e-mail, PDF) is
    #: in it (tilskudd.languages.rendered_in).
    language = models.CharField(gettext_lazy("språk"), max_length=8,
                                default=active_language, editable=False)

    class Meta:
        abstract = True
        ordering = ["-submitted_at", "-pk"]

    def __str__(self) -> str:
        return self.reference

    @classmethod
    def create_with_reference(
        cls, *, prefix: str, year: int, organisation: Organisation, **fields: Any
    ):
        """Create the row under a fresh reference (PREFIX-YEAR-APPLICANT-XXXX), drawing again
        if another submission has it. Refuses with ServiceError("reference") if every draw
        clashes. Call inside the service's transaction."""
        for _attempt in range(REFERENCE_ATTEMPTS):
            try:
                with transaction.atomic():
                    return cls.objects.create(
                        reference=new_reference(prefix, year, organisation), **fields
                    )
            except IntegrityError:  # the reference was taken: draw again
                continue
        raise ServiceError(_("Kunne ikke lage referansenummer. Prøv igjen."), "reference")


def one_live(sent: str, ended: str, name: str) -> models.UniqueConstraint:
    """The database's half of "one sending at a time": at most one row per `sent` (the
    foreign key to what was sent) has `ended` (withdrawn_at, returned_at) empty."""
    return models.UniqueConstraint(
        fields=[sent], condition=Q(**{f"{ended}__isnull": True}), name=name
    )


def receipt_of(submission: type[FrozenSubmission]) -> models.OneToOneField:
    """A receipt's (the submission's PDF copy, a DocumentJob) one-to-one to the submission it
    copies, read back as `submission.receipt` (submissions_with_receipts,
    submission_for_member); a submission with a receipt is not deleted."""
    return models.OneToOneField(submission, on_delete=models.PROTECT, related_name="receipt")


def submissions_with_receipts(model: type[FrozenSubmission],
                              order: tuple[str, ...] = ("-submitted_at", "-pk")) -> Prefetch:
    """Prefetch a row's `submissions` (of `model`) with each one's receipt, in one query;
    newest first unless `order` says otherwise."""
    return Prefetch("submissions",
                    queryset=model.objects.select_related("receipt").order_by(*order))


def submission_for_member(model: type[FrozenSubmission], user, reference: str, *,
                          application_path: str) -> FrozenSubmission:
    """The `model` row under `reference` if `user` is a member of the organisation that sent
    it, else 404 (never 403), with what its receipt page reads (the sender, the round, who
    sent it and the PDF copy, `receipt`). `application_path` leads from the row to its
    application ("application", "report__application")."""
    return get_object_or_404(
        model.objects.select_related(
            f"{application_path}__organisation__county__office",
            f"{application_path}__round__scheme", "submitted_by", "receipt",
        ).filter(**{f"{application_path}__organisation__memberships__user": user}),
        reference=reference,
    )


def sender_content(organisation: Organisation, rnd: Round) -> dict[str, Any]:
    """What every frozen content starts with: the scheme and year, who sent it and to whom
    (the receipt page, its e-mail and the PDF copy read these keys). The scheme's name is
    kept as it reads in the active language, the one the submission is sent and its
    receipt written in (tilskudd/translation.py)."""
    return {
        "scheme": rnd.scheme.name,
        "round_year": rnd.year,
        "organisation": {
            "name": organisation.name,
            "org_number": organisation.org_number,
            "municipality_number": organisation.municipality_number or "",
        },
        "office": organisation.county.office.name,
    }
