"""Reads for the applications app, with their joins named."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404

from tilskudd import access, submissions
from tilskudd.models import Membership, Round, User

from .models import (
    Application,
    BpaLine,
    CompetenceLine,
    Project,
    ReceiptDocument,
    Submission,
)
from .snapshot import application_snapshot


def with_content(qs: QuerySet[Application]) -> QuerySet[Application]:
    """Everything a form, preview or snapshot reads, in a fixed number of queries."""
    return qs.select_related(
        "organisation__county__office", "round__scheme"
    ).prefetch_related("competence_lines", "bpa_lines", "projects", "attachments")


def membership_for(user: User, application: Application) -> Membership | None:
    return access.membership_for(user, application.organisation_id)


def application_for_member(user: User, pk: int) -> Application:
    """The application if `user` is a member of its organisation, else 404 (never 403:
    nobody learns that someone else's application exists)."""
    return get_object_or_404(
        with_content(Application.objects.filter(organisation__memberships__user=user)), pk=pk)


def application_ref_for_member(user: User, pk: int) -> Application:
    """The application, without its lines, if `user` is a member of its organisation, else
    404: for a write whose service reads the lines itself (submit reads them once, under
    its lock)."""
    try:
        return Application.objects.filter(organisation__memberships__user=user).select_related(
            "organisation").get(pk=pk)
    except Application.DoesNotExist:
        raise Http404 from None


def submission_for_member(user: User, reference: str) -> Submission:
    return submissions.submission_for_member(Submission, user, reference,
                                             application_path="application")


def archive_applications(organisation_id: int) -> QuerySet[Application]:
    """One organisation's applications in "Mine søknader", newest first (a fixed order, so
    its pages neither skip nor repeat a row); the view pages it and reads the rest of each
    shown row with with_archive_rows."""
    return (
        Application.objects.filter(organisation_id=organisation_id)
        .select_related("organisation", "round__scheme")
        .order_by("-round__year", "-round__application_deadline", "-pk")
    )


def _amounts_only(model):
    return model.objects.only("id", "application_id", "amount")


def with_archive_rows(applications: list[Application]) -> list[Application]:
    """The submissions (with receipts) and the lines' amounts of the archive's rows shown,
    in four queries however many rows."""
    prefetch_related_objects(
        applications,
        submissions.submissions_with_receipts(Submission),
        Prefetch("competence_lines", queryset=_amounts_only(CompetenceLine)),
        Prefetch("bpa_lines", queryset=_amounts_only(BpaLine)),
        Prefetch("projects", queryset=_amounts_only(Project)),
    )
    return applications


def applications_in_rounds(organisation_ids: list[int],
                           rounds: list[Round]) -> dict[tuple[int, int], Application]:
    """The organisations' applications in `rounds` (the open ones, which the archive offers
    to continue whichever page shows them), by (organisation, round); one query."""
    if not organisation_ids or not rounds:
        return {}
    return {
        (a.organisation_id, a.round_id): a
        for a in Application.objects.filter(organisation_id__in=organisation_ids,
                                            round__in=rounds).only(
            "id", "organisation_id", "round_id", "status")
    }


def live_submission(application: Application) -> Submission | None:
    return application.submissions.filter(withdrawn_at__isnull=True).first()


def receipt_of(submission: Submission) -> ReceiptDocument | None:
    """The submission's receipt job, or None; no query when it was read with the
    submission (select_related or prefetch "receipt")."""
    try:
        return submission.receipt
    except ObjectDoesNotExist:
        return None


def application_content(application: Application) -> dict:
    """The application's content as a submission freezes it (pages outside this app that
    show the whole application, such as the office's case page)."""
    return application_snapshot(application)


def status_history(application: Application) -> QuerySet:
    """The application's status changes (StatusChange), oldest first, with who made them."""
    return application.status_changes.select_related("by").order_by("at", "pk")


def applications_with_ids(ids: list[int] | set[int]) -> QuerySet[Application]:
    """These applications with their organisation (county, office) and round (scheme),
    newest round first (for other apps holding ids, such as reporting's grants)."""
    return (
        Application.objects.filter(pk__in=list(ids))
        .select_related("organisation__county__office", "round__scheme")
        .order_by("-round__year", "organisation__name", "pk")
    )
