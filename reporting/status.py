"""Reporting's part of the grant's status line (tilskudd.status): the report under
work, sent, returned for correction or approved. Registered in ReportingConfig.ready();
one query for all the applications."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from tilskudd.status import Stage, StageFound

from .models import Report, ReportStatus

REPORT_STAGES = {
    ReportStatus.DRAFT: Stage.REPORT_DRAFT,
    ReportStatus.RETURNED: Stage.REPORT_RETURNED,
    ReportStatus.SUBMITTED: Stage.REPORT_SUBMITTED,
    ReportStatus.APPROVED: Stage.REPORT_APPROVED,
}


def report_stages(applications: Sequence) -> Mapping[int, StageFound]:
    rows = Report.objects.filter(
        application_id__in=[a.pk for a in applications]
    ).values_list("application_id", "status")
    return {application_id: StageFound(REPORT_STAGES[status]) for application_id, status in rows}
