"""The report figures of a round per office, for the national view (registered with
tilskudd.figures in apps.py): reports received, approved, returned and overdue (a report not
sent by its deadline, and a grant whose report was never opened by the round's: the two the
overdue gate counts, reporting.gates); completed education by type and BPA training by role
from approved reports; unused funds to be transferred or repaid. Seven queries (six when
every grant's report is opened), whatever the number of reports."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from applications.models import BpaRole, EducationType
from tilskudd.figures import FigureGroup, FigureRow, FigureScope

from .choices import ReportStatus, UnusedChoice
from .models import Report, ReportBpaLine, ReportCompetenceLine
from .selectors import deadline_expression, overdue_condition, overdue_without_report

ZERO = Decimal(0)
OFFICE = "application__organisation__county__office_id"
UNUSED = ExpressionWrapper(
    F("granted_total") + F("transferred_in") - F("used_total"),
    output_field=DecimalField(max_digits=14, decimal_places=0),
)


def _reports(scope: FigureScope) -> QuerySet[Report]:
    qs = Report.objects.filter(application__round_id=scope.round_id)
    if scope.office_ids is not None:
        qs = qs.filter(**{f"{OFFICE}__in": scope.office_ids})
    if scope.organisation_kind:
        qs = qs.filter(application__organisation__kind=scope.organisation_kind)
    if scope.rural_district is not None:
        qs = qs.filter(application__organisation__is_rural_district=scope.rural_district)
    return qs


def _never_opened_overdue(scope: FigureScope) -> dict[int, int]:
    """{office id: grants in scope whose report was never opened by the deadline}, in three
    queries at most (selectors.overdue_without_report, the gate's rule)."""
    found: dict[int, int] = defaultdict(int)
    for application in overdue_without_report(scope.now, round_ids=[scope.round_id]):
        organisation = application.organisation
        office_id = organisation.county.office_id
        if ((scope.office_ids is None or office_id in scope.office_ids)
                and scope.organisation_kind in ("", organisation.kind)
                and scope.rural_district in (None, organisation.is_rural_district)):
            found[office_id] += 1
    return found


def _by_office(rows, key: str, value: str) -> dict[str, dict[int, Decimal | int]]:
    found: dict[str, dict[int, Decimal | int]] = defaultdict(dict)
    for row in rows:
        found[row[key]][row["office"]] = row[value] or 0
    return found


def report_figures(scope: FigureScope) -> list[FigureGroup]:
    reports = _reports(scope)
    counts = {
        row["office"]: row
        for row in reports.annotate(deadline_at=deadline_expression())
        .values(office=F(OFFICE))
        .annotate(
            # sent at least once (a returned report was received, and is overdue if it is
            # not sent again by the deadline: selectors.overdue_condition)
            received=Count("pk", filter=~Q(status=ReportStatus.DRAFT)),
            approved=Count("pk", filter=Q(status=ReportStatus.APPROVED)),
            returned=Count("pk", filter=Q(status=ReportStatus.RETURNED)),
            overdue=Count("pk", filter=overdue_condition(scope.now)),
        )
        .order_by()
    }
    by_key = {key: {office: row[key] for office, row in counts.items()}
              for key in ("received", "approved", "returned", "overdue")}
    for office, never_opened in _never_opened_overdue(scope).items():
        by_key["overdue"][office] = by_key["overdue"].get(office, 0) + never_opened
    status_rows = [
        FigureRow(key, label, by_key[key])
        for key, label in (
            ("received", _("Rapporter mottatt")), ("approved", _("Rapporter godkjent")),
            ("returned", _("Rapporter sendt tilbake")), ("overdue", _("Rapporter forsinket")),
        )
    ]
    approved = reports.filter(status=ReportStatus.APPROVED)
    education = _by_office(
        ReportCompetenceLine.objects.filter(report__in=approved)
        .values("source__education_type", office=F(f"report__{OFFICE}"))
        .annotate(n=Sum("completed")).order_by(),
        "source__education_type", "n",
    )
    training = _by_office(
        ReportBpaLine.objects.filter(report__in=approved)
        .values("source__role", office=F(f"report__{OFFICE}"))
        .annotate(n=Sum("trained")).order_by(),
        "source__role", "n",
    )
    unused = _by_office(
        approved.exclude(unused_choice="").values("unused_choice", office=F(OFFICE))
        .annotate(amount=Sum(UNUSED)).order_by(),
        "unused_choice", "amount",
    )
    return [
        FigureGroup("reports", _("Rapporter"), status_rows),
        FigureGroup("education", _("Fullført utdanning etter type (godkjente rapporter)"), [
            FigureRow(value, str(label), education.get(value, {}))
            for value, label in EducationType.choices
        ]),
        FigureGroup("bpa", _("BPA-opplæring etter målgruppe (godkjente rapporter)"), [
            FigureRow(value, str(label), training.get(value, {}))
            for value, label in BpaRole.choices
        ]),
        FigureGroup("unused", _("Ubrukte midler (godkjente rapporter)"), [
            FigureRow(value, str(label), unused.get(value, {}), money=True)
            for value, label in UnusedChoice.choices
        ]),
    ]
