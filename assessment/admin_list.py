"""The caseworkers' list's rows as the columns read them (issue 15): a flat `ListRow` of
the values the seven columns show, read for a page by one `.values()` query instead of
eight model instances a row (the application, its organisation, county, round, scheme,
case, caseworker and acceptance), and the list's words translated once a page
(`ListTexts`) instead of in every cell.

A ListRow is made the same way from a model instance (`ListRow.of_instance`): Django's own
rendering of the list (tests/assessment/test_admin_rows.py compares the two) and the
withdrawn list, whose withdrawals are prefetched, read instances. The page's instances
are still what the ChangeList's result_list gives when iterated (an action's, a test's),
read only then (`PageRows`)."""

from __future__ import annotations

import datetime
import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from django.contrib.admin.views.main import ChangeList
from django.utils.translation import get_language, gettext

from applications.models import ApplicationStatus
from tilskudd.models import OrganisationKind
from tilskudd.money import nok_currency

from .cases import withdrawal_shown
from .choices import GRANT_OUTCOMES
from .models import AssessmentStatus, Outcome

#: Django's own text (and translation, in the admin's catalogue) for a row's checkbox
DJANGO_CHECKBOX_LABEL = "Select this object for an action - {}"


@dataclass(frozen=True, slots=True)
class ListTexts:
    """The words of the list's cells, in the active language."""

    amounts: tuple[str, str, str]  # «Søkt», «Innstilt», «Innvilget», escaped
    currency: str  # tilskudd.money.nok_currency()
    not_started: str
    withdrawn: str
    not_accepted: str
    accepted: str  # «Akseptert %(date)s»
    checkbox: str  # Django's label, «{}» for the row's name
    kinds: dict[str, str]
    statuses: dict[str, str]
    outcomes: dict[str, str]
    markers: tuple[str, str, str, str]  # rural district, mental health, decentralised, supported

    @classmethod
    def now(cls) -> ListTexts:
        """The texts in the active language, made once a language and kept (they are the
        catalogues' words and the currency's, which only the language changes)."""
        language = get_language()
        texts = _TEXTS.get(language)
        if texts is None:
            texts = _TEXTS[language] = cls.made()
        return texts

    @classmethod
    def made(cls) -> ListTexts:
        return cls(
            amounts=(html.escape(gettext("Søkt")), html.escape(gettext("Innstilt")),
                     html.escape(gettext("Innvilget"))),
            currency=nok_currency(), not_started=gettext("Ikke påbegynt"),
            withdrawn=gettext("Trukket"), not_accepted=gettext("Ikke akseptert"),
            accepted=gettext("Akseptert %(date)s"), checkbox=gettext(DJANGO_CHECKBOX_LABEL),
            kinds=_labels(OrganisationKind), statuses=_labels(AssessmentStatus),
            outcomes=_labels(Outcome),
            markers=(gettext("Distrikt"), gettext("Psykisk helse"), gettext("Desentralisert"),
                     gettext("Støttet utdanning")),
        )


#: the texts by language (ListTexts.now)
_TEXTS: dict[str | None, ListTexts] = {}


def _labels(choices) -> dict[str, str]:
    return {choice.value: str(choice.label) for choice in choices}


#: the ListRow's fields, by the path .values() reads them
VALUES = {
    "pk": "id", "reference": "reference", "status": "status",
    "organisation_name": "organisation__name", "organisation_kind": "organisation__kind",
    "county_name": "organisation__county__name",
    "is_rural_district": "organisation__is_rural_district",
    "scheme_code": "round__scheme__code", "round_year": "round__year",
    "assessment_key": "assessment__application_id", "assessment_status": "assessment__status",
    "outcome": "assessment__outcome", "assigned_full_name": "assessment__assigned_to__full_name",
    "assigned_email": "assessment__assigned_to__email",
    "accepted_at": "assessment__acceptance__accepted_at",
    "applied_total": "applied_total", "recommended_total": "recommended_total",
    "granted_total": "granted_total", "has_mental_health": "has_mental_health",
    "has_decentralised": "has_decentralised", "has_supported_programme": "has_supported_programme",
}


@dataclass(slots=True)
class ListRow:
    """An application as its row in the list shows it."""

    pk: int
    reference: str | None
    status: str
    organisation_name: str
    organisation_kind: str
    county_name: str
    is_rural_district: bool
    scheme_code: str
    round_year: int
    assessment_key: int | None  # None: no case yet
    assessment_status: str | None
    outcome: str | None
    assigned_full_name: str | None
    assigned_email: str | None
    accepted_at: datetime.datetime | None
    applied_total: Decimal
    recommended_total: Decimal
    granted_total: Decimal
    has_mental_health: bool
    has_decentralised: bool
    has_supported_programme: bool
    texts: ListTexts
    withdraw_reason: str | None = None

    @property
    def id(self) -> int:  # the admin's pk_attname, for the change link
        return self.pk

    def __str__(self) -> str:  # Application.__str__: the organisation and the round
        return f"{self.organisation_name} – {self.scheme_code.upper()} {self.round_year}"

    @property
    def has_assessment(self) -> bool:
        return self.assessment_key is not None

    @property
    def is_decided(self) -> bool:  # Assessment.is_decided
        return self.assessment_status == AssessmentStatus.DECIDED

    @property
    def is_grant(self) -> bool:  # Assessment.is_grant
        return self.outcome in GRANT_OUTCOMES

    @property
    def is_withdrawn(self) -> bool:
        return self.status == ApplicationStatus.WITHDRAWN

    @property
    def assigned_to(self) -> str | None:  # User.__str__
        if self.assigned_full_name is None and self.assigned_email is None:
            return None
        return self.assigned_full_name or self.assigned_email

    @classmethod
    def of_values(cls, values, texts: ListTexts) -> ListRow:
        """The row of the values VALUES names, in its order (as values_list reads them)."""
        return cls(*values, texts=texts)

    @classmethod
    def of_instance(cls, application, texts: ListTexts) -> ListRow:
        """The row of an application of submitted_applications or withdrawn_applications
        (the withdrawn one's reference and reason from its last withdrawal)."""
        organisation = application.organisation
        assessment = getattr(application, "assessment", None)
        assigned = assessment.assigned_to if assessment else None
        acceptance = getattr(assessment, "acceptance", None) if assessment else None
        withdrawal = withdrawal_shown(application)
        return cls(
            pk=application.pk,
            reference=application.reference or (withdrawal.reference if withdrawal else None),
            status=application.status, organisation_name=organisation.name,
            organisation_kind=organisation.kind, county_name=organisation.county.name,
            is_rural_district=organisation.is_rural_district,
            scheme_code=application.round.scheme.code, round_year=application.round.year,
            assessment_key=assessment.pk if assessment else None,
            assessment_status=assessment.status if assessment else None,
            outcome=assessment.outcome if assessment else None,
            assigned_full_name=assigned.full_name if assigned else None,
            assigned_email=assigned.email if assigned else None,
            accepted_at=acceptance.accepted_at if acceptance else None,
            applied_total=application.applied_total,
            recommended_total=application.recommended_total,
            granted_total=application.granted_total,
            has_mental_health=application.has_mental_health,
            has_decentralised=application.has_decentralised,
            has_supported_programme=application.has_supported_programme,
            texts=texts, withdraw_reason=(withdrawal.withdraw_reason if withdrawal else None),
        )


def list_row(obj) -> ListRow:
    """The ListRow of a row of the list: itself, or made once from an instance."""
    if isinstance(obj, ListRow):
        return obj
    made = obj.__dict__.get("_list_row")
    if made is None:
        made = obj.__dict__["_list_row"] = ListRow.of_instance(obj, ListTexts.now())
    return made


class PageRows(Sequence):
    """A page of the list: its ListRows for the row writer, read by `read` when first
    asked for; iterated or indexed, the page's model instances, read only then."""

    def __init__(self, queryset, read: Callable[[object], list[ListRow]]):
        self.queryset = queryset
        self._read = read

    @cached_property
    def rows(self) -> list[ListRow]:
        return self._read(self.queryset)

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, index):
        return list(self.queryset)[index]

    def __iter__(self):
        return iter(self.queryset)


class RowsChangeList(ChangeList):
    """Django's ChangeList, its page's rows read by the ModelAdmin's `list_rows` for a
    list as it is shown (not a popup's or an editable list's, whose forms want instances)."""

    def get_results(self, request):
        super().get_results(request)
        if request.method == "GET" and not self.is_popup and not self.list_editable:
            key = getattr(self.paginator, "sql_key", None)  # admin_sql's, with the count
            self.result_list = PageRows(self.result_list, lambda queryset: (
                self.model_admin.list_rows(
                    request, queryset, None if key is None else (*key, self.result_count))))
