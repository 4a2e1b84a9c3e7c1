"""Allocation letters in the applicant's archive ("Mine søknader"), registered in
AssessmentConfig.ready(): one query for all the applications on the page."""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse
from django.utils.translation import gettext as _

from tilskudd.archive import ArchiveDocument

from .models import AllocationLetter


def letter_documents(application_ids: list[int]) -> Iterable[ArchiveDocument]:
    letters = (
        AllocationLetter.objects.filter(assessment__application_id__in=application_ids)
        .select_related("assessment__acceptance")
        .order_by("assessment_id", "-version")
    )
    newest_seen: set[int] = set()
    for letter in letters:
        assessment = letter.assessment
        is_newest = assessment.pk not in newest_seen
        newest_seen.add(assessment.pk)
        decision_url = reverse("assessment:decision", args=[assessment.application_id])
        needs_acceptance = (
            is_newest and assessment.is_grant and letter.is_ready
            and getattr(assessment, "acceptance", None) is None
        )
        yield ArchiveDocument(
            application_id=assessment.application_id,
            title=_("%(kind)s, versjon %(version)d")
            % {"kind": letter.get_kind_display(), "version": letter.version},
            status=letter.get_status_display(),
            created_at=letter.created_at,
            url=reverse("assessment:letter", args=[letter.pk]) if letter.is_ready else "",
            sha256=letter.sha256,
            action_url=decision_url if needs_acceptance else "",
            action_label=_("Aksepter tilskuddet") if needs_acceptance else "",
        )
