"""The rules of the scheme that govern an application, each in one named place.

They are checked while the form is filled in (next to the field) and again, all of
them, when the application is submitted.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tilskudd.models import OrganisationKind
from tilskudd.money import format_nok

if TYPE_CHECKING:
    from tilskudd.carryover import Carryover

    from .models import Application

#: Service development projects per application (regelverket: "inntil fem").
MAX_PROJECTS = 5
#: Lines per part: far above any real application, low enough to stop a runaway form.
MAX_LINES_PER_PART = 50
#: Whole kroner. The largest single line we accept; above this it is surely a typo.
MAX_LINE_AMOUNT = Decimal("20000000")
#: Header amounts (own and other financing, transferred funds).
MAX_HEADER_AMOUNT = Decimal("500000000")
#: Persons on one competence or BPA line.
MAX_PERSONS = 10000
#: Reminders to organisations with an unsent application this many (calendar) days before
#: the application deadline (applications/reminders.py).
DEADLINE_REMINDER_DAYS = (7, 1)
#: Required length of each project criterion answer (characters).
MIN_CRITERION_LENGTH = 10
MAX_TEXT_LENGTH = 5000

#: The nine assessment criteria, answered in text for every project.
PROJECT_CRITERIA = [
    ("needs", gettext_lazy("Behov og utfordringer")),
    ("goals", gettext_lazy("Mål og målgrupper")),
    ("organisation", gettext_lazy("Organisering og samarbeidspartnere")),
    ("expected_gains", gettext_lazy("Forventede gevinster og effekter for praksis")),
    ("anchoring", gettext_lazy("Forankring hos leder med budsjettansvar")),
    ("participation", gettext_lazy("Bruker- og pårørendemedvirkning")),
    ("operation", gettext_lazy("Hvordan prosjektet blir en del av ordinær drift")),
    ("method", gettext_lazy("Metode")),
    ("evaluation", gettext_lazy("Plan for evaluering")),
]

#: Kinds that may apply only for competence measures in mental health and substance abuse.
MENTAL_HEALTH_ONLY_KINDS = {OrganisationKind.COUNTY_MUNICIPALITY}

#: Counties whose municipality carries the county municipality's tasks too: Oslo kommune
#: (0301) is Oslo's county municipality. It is one organisation with one application, as a
#: municipality (so it may apply for everything a municipality may, the county
#: municipalities' mental-health competence lines included); a county-municipality row
#: for such a county is refused (see `county_tasks_municipality`).
COUNTY_TASKS_IN_MUNICIPALITY = {"03": "0301"}

#: The attachment kind (applications.models.AttachmentKind) that documents the plan.
LEVE_HELE_LIVET_ATTACHMENT = "leve_hele_livet"
LEVE_HELE_LIVET_MISSING = gettext_lazy(
    "Du har krysset av for at kommunen har en plan for «Leve hele livet». Last opp planen "
    "som vedlegg av typen «Politisk vedtatt plan (Leve hele livet)»: en politisk vedtatt "
    "plan, et saksfremlegg eller et vedtak under politisk behandling."
)

#: What the mental-health-only rule says, wherever it is checked (form, Excel, submit).
MENTAL_HEALTH_ONLY_MESSAGES = {
    "competence": gettext_lazy(
        "Fylkeskommuner kan bare søke om kompetansetiltak innen psykisk helse og rus."
    ),
    "bpa": gettext_lazy("Fylkeskommuner kan ikke søke om BPA-opplæring."),
    "projects": gettext_lazy("Fylkeskommuner kan ikke søke om tjenesteutviklingsprosjekter."),
}


def too_many_projects_message() -> str:
    return _("En søknad kan ha høyst %(max)d prosjekter.") % {"max": MAX_PROJECTS}


@dataclass(frozen=True)
class RuleError:
    """A broken rule, with where it belongs: a section ("header", "competence", "bpa",
    "projects", "attachments"), a line index (0-based) or None, and a field or None."""

    section: str
    message: str
    index: int | None = None
    field: str | None = None


def mental_health_only(kind: str) -> bool:
    return kind in MENTAL_HEALTH_ONLY_KINDS


def county_tasks_municipality(organisation) -> str | None:
    """The municipality number that applies for this county municipality's tasks (Oslo
    kommune for Oslo), or None: a county municipality of such a county may not apply."""
    if organisation.kind != OrganisationKind.COUNTY_MUNICIPALITY or organisation.county_id is None:
        return None
    return COUNTY_TASKS_IN_MUNICIPALITY.get(organisation.county.number)


def amount_error(value: Decimal | None, maximum: Decimal = MAX_LINE_AMOUNT) -> str | None:
    if value is None:
        return _("Beløpet må fylles ut.")
    if value != value.to_integral_value():
        return _("Beløpet må være et helt antall kroner.")
    if value <= 0:
        return _("Beløpet må være større enn null.")
    if value > maximum:
        return _("Beløpet kan ikke være over kr %(max)s.") % {
            "max": f"{maximum:,.0f}".replace(",", " ")
        }
    return None


def transferred_funds_error(stated: Decimal | None, carryover: Carryover | None, *,
                            on_preview: bool = False) -> str | None:
    """Funds transferred from last year are what the office decided on the transfer the
    recipient asked for in last year's report (tilskudd.carryover; regelverket: unused funds
    «kan etter søknad overføres ett år»): approved, the amount; refused, kr 0. Undecided,
    what the application states. Why `stated` contradicts the decision, or None, and what
    to do: save the step (the draft's statement), or, `on_preview`, send again from the
    preview, which now shows the decided amount (a decision made after it was loaded)."""
    if carryover is None or stated == carryover.amount:
        return None
    values = {"date": date_format(timezone.localtime(carryover.decided_at), "DATE_FORMAT"),
              "requested": format_nok(carryover.requested or carryover.amount),
              "amount": format_nok(carryover.amount), "stated": format_nok(stated or 0),
              "round": carryover.from_round, "reference": carryover.reference}
    if carryover.refused:
        why = _("Statsforvalteren avslo %(date)s å overføre %(requested)s i ubrukte midler "
                "fra %(round)s (vedtak %(reference)s), så overførte midler er kr 0, ikke "
                "%(stated)s.") % values
    else:
        why = _("Statsforvalteren godkjente %(date)s at %(amount)s i ubrukte midler fra "
                "%(round)s overføres (vedtak %(reference)s), så overførte midler er "
                "%(amount)s, ikke %(stated)s.") % values
    if on_preview:
        return why + " " + _("Forhåndsvisningen viser nå beløpet som blir sendt. Se over og "
                             "send inn søknaden på nytt.")
    return why + " " + _("Lagre steget «Om søkeren og søknaden» på nytt, så blir beløpet "
                         "rettet.")


def check_application(application: Application, carryover: Carryover | None = None, *,
                      shown: Decimal | None = None) -> list[RuleError]:
    """Every rule, over the application as it is stored. Empty list: it may be submitted.
    `carryover`: the office's decision on last year's transfer (tilskudd.carryover_for),
    which the submit asks for; the stated amount must agree with it: the amount the preview
    showed (`shown`), else the stored one."""
    errors: list[RuleError] = []
    transferred = transferred_funds_error(
        application.transferred_funds if shown is None else shown, carryover,
        on_preview=shown is not None)
    if transferred:
        errors.append(RuleError("header", transferred, field="transferred_funds"))
    org = application.organisation
    scheme = application.round.scheme
    if not scheme.is_eligible(org):
        errors.append(
            RuleError(
                "header",
                _("%(kind)s kan ikke søke på denne ordningen.") % {"kind": org.get_kind_display()},
            )
        )

    if county_tasks_municipality(org):
        errors.append(RuleError("header", _(
            "%(county)s har ingen egen fylkeskommune: kommunen søker for hele fylket, også om "
            "kompetansetiltak innen psykisk helse og rus. Send søknaden som kommunen."
        ) % {"county": org.county.name}))

    for field, label in [
        ("contact_name", _("Kontaktperson")),
        ("contact_email", _("E-post til kontaktperson")),
        ("purpose", _("Formål med tilskuddet")),
        ("control_measures", _("Kontrolltiltak")),
    ]:
        if not (getattr(application, field) or "").strip():
            errors.append(
                RuleError("header", _("%(label)s må fylles ut.") % {"label": label}, field=field)
            )

    competence = list(application.competence_lines.all())
    bpa = list(application.bpa_lines.all())
    projects = list(application.projects.all())

    if not (competence or bpa or projects):
        errors.append(
            RuleError("header", _("Søknaden må ha minst ett tiltak, BPA-opplæring eller prosjekt."))
        )

    if mental_health_only(org.kind):
        messages = MENTAL_HEALTH_ONLY_MESSAGES
        for i, line in enumerate(competence):
            if not line.is_mental_health:
                errors.append(RuleError("competence", str(messages["competence"]), index=i,
                                        field="is_mental_health"))
        if bpa:
            errors.append(RuleError("bpa", str(messages["bpa"])))
        if projects:
            errors.append(RuleError("projects", str(messages["projects"])))

    if len(projects) > MAX_PROJECTS:
        errors.append(RuleError("projects", too_many_projects_message()))

    for section, lines in (("competence", competence), ("bpa", bpa), ("projects", projects)):
        for i, line in enumerate(lines):
            message = amount_error(line.amount)
            if message:
                errors.append(RuleError(section, message, index=i, field="amount"))

    if application.has_leve_hele_livet_plan and not any(
        a.kind == LEVE_HELE_LIVET_ATTACHMENT for a in application.attachments.all()
    ):
        errors.append(RuleError("attachments", str(LEVE_HELE_LIVET_MISSING)))

    for i, project in enumerate(projects):
        for field, label in PROJECT_CRITERIA:
            if len((getattr(project, field) or "").strip()) < MIN_CRITERION_LENGTH:
                errors.append(
                    RuleError(
                        "projects",
                        _("%(label)s: svaret må være minst %(min)d tegn.")
                        % {"label": label, "min": MIN_CRITERION_LENGTH},
                        index=i,
                        field=field,
                    )
                )
    return errors
