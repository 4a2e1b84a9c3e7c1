"""A decision made by four eyes, declared once for the case's decision (Assessment) and
a change request's (ChangeRequest): one caseworker recommends (innstilling), another
approves the recommendation, which makes it the decision (vedtak), and who recommended may
not approve. (A transfer's decision above its threshold, proposed by one and confirmed by
another, has fields of its own in reporting.TransferDecision, and the same rule.) The check
before the approval is tilskudd.access.require_approver; the database holds it too, by
`four_eyes(name)`."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .fields import acting_user


class FourEyesDecision(models.Model):
    """Abstract: who recommended and when, who approved (decided) and when. A case
    (assessment.Assessment) and a change request (reporting.ChangeRequest) are decided so;
    each adds `four_eyes(name)` to its Meta.constraints."""

    recommended_by = acting_user(_("innstilt av"), optional=True)
    recommended_at = models.DateTimeField(_("innstilt"), null=True, blank=True)
    decided_by = acting_user(_("godkjent av"), optional=True)
    decided_at = models.DateTimeField(_("vedtatt"), null=True, blank=True)

    class Meta:
        abstract = True


def four_eyes(name: str, *, first: str = "recommended_by") -> models.CheckConstraint:
    """The database's half of the rule: whoever decided is not who went `first` (who
    recommended; a transfer's `proposed_by`)."""
    return models.CheckConstraint(
        condition=Q(decided_by__isnull=True) | ~Q(decided_by=F(first)), name=name,
    )
