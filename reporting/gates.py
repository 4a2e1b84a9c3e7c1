"""The gate reporting puts on new applications: an organisation with an overdue report
from an earlier round may not submit a new application (or, if the round says so, is only
warned). Registered with tilskudd.gates in ReportingConfig.ready()."""

from __future__ import annotations

from datetime import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tilskudd.gates import Gate
from tilskudd.models import Organisation, Round

from . import grants, selectors
from .models import OverdueRule, ReportingSettings

DATE_TIME = "DATETIME_FORMAT"  # tilskudd/formats/: «1. mars 2027 kl. 23:59»


def overdue_rule(rnd: Round | None) -> str:
    """The round's rule for overdue reports (block, unless the round says warn)."""
    if rnd is None:
        return OverdueRule.BLOCK
    rule = ReportingSettings.objects.filter(round=rnd).values_list("overdue_rule", flat=True)
    return rule.first() or OverdueRule.BLOCK


def overdue_report_gate(organisation: Organisation, rnd: Round | None, now: datetime) -> list[Gate]:
    """One gate per overdue report of the organisation from a round before `rnd`: a report
    never sent by its deadline (extensions honoured), or a grant whose report was never
    even opened although the round's deadline has passed."""
    # Only a grant is reported on: an organisation granted nothing yet (most of those
    # submitting at a deadline) is let through after one query.
    if not grants.granted_application_ids(organisation_ids=[organisation.pk]):
        return []
    late = [
        (report.application.round, report.deadline_at, reverse("reporting:edit",
                                                                args=[report.pk]))
        for report in selectors.overdue_reports_of(organisation, now)
        if rnd is None or report.application.round.year < rnd.year
    ]
    late += [
        (a.round, a.round.reporting_deadline, reverse("reporting:list"))
        for a in selectors.overdue_without_report(now, organisation_ids=[organisation.pk])
        if rnd is None or a.round.year < rnd.year
    ]
    if not late:
        return []
    block = overdue_rule(rnd) == OverdueRule.BLOCK
    gates = []
    for late_round, deadline, url in sorted(late, key=lambda row: row[0].year):
        message = _(
            "%(org)s har ikke sendt inn rapporten om tilskuddet for %(round)s. Fristen var "
            "%(deadline)s."
        ) % {"org": organisation.name, "round": late_round,
             "deadline": date_format(timezone.localtime(deadline), DATE_TIME)}
        if block:
            message += " " + _("En ny søknad kan ikke sendes inn før rapporten er sendt.")
        else:
            message += " " + _("Send rapporten så snart som mulig.")
        gates.append(Gate(message=message, blocking=block, url=url))
    return gates
