"""The shared model every app builds on: offices, counties, organisations, users and
their roles, schemes, rounds with their deadlines. Each office's budget (pot) lives in
`tilskudd.budgets`, the audit trail in `tilskudd.audit` and the e-mail outbox in
`tilskudd.outbox`; all are importable from here."""

from __future__ import annotations

from datetime import UTC, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import deadlines
from .audit import AuditEvent
from .budgets import Earmark, OfficeBudget
from .languages import LetterLanguage, WrittenLanguage
from .validators import normalise_org_number, validate_municipality_number, validate_org_number


class Office(models.Model):
    """One of the ten regional Statsforvalter offices."""

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("navn"), max_length=120, unique=True)
    short_name = models.CharField(_("kortnavn"), max_length=80)
    email = models.EmailField(_("e-post"), blank=True)
    default_written_language = models.CharField(
        _("målform for nøytrale"), max_length=2, choices=LetterLanguage.choices,
        default=LetterLanguage.BOKMAL,
        help_text=_("Brev til organisasjoner som er språknøytrale eller ikke har valgt."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("statsforvalterembete")
        verbose_name_plural = _("statsforvalterembeter")

    def __str__(self) -> str:
        return self.name


class County(models.Model):
    """A county (fylke) of the 2024 structure, belonging to one office."""

    number = models.CharField(_("fylkesnummer"), max_length=2, unique=True)
    name = models.CharField(_("navn"), max_length=80)
    office = models.ForeignKey(
        Office, on_delete=models.PROTECT, related_name="counties", verbose_name=_("embete")
    )

    class Meta:
        ordering = ["number"]
        verbose_name = _("fylke")
        verbose_name_plural = _("fylker")

    def __str__(self) -> str:
        return f"{self.number} {self.name}"


class OrganisationKind(models.TextChoices):
    MUNICIPALITY = "municipality", _("Kommune")
    COUNTY_MUNICIPALITY = "county_municipality", _("Fylkeskommune")
    INTER_MUNICIPAL_COMPANY = "inter_municipal_company", _("Interkommunalt selskap")
    UNIVERSITY = "university", _("Universitet eller høgskole")


class Organisation(models.Model):
    kind = models.CharField(_("type"), max_length=32, choices=OrganisationKind.choices)
    name = models.CharField(_("navn"), max_length=200)
    org_number = models.CharField(
        _("organisasjonsnummer"),
        max_length=9,
        blank=True,
        validators=[validate_org_number],
        help_text=_("Ni siffer fra Enhetsregisteret."),
    )
    municipality_number = models.CharField(
        _("kommunenummer"),
        max_length=4,
        null=True,
        blank=True,
        unique=True,
        validators=[validate_municipality_number],
    )
    county = models.ForeignKey(
        County, on_delete=models.PROTECT, related_name="organisations", verbose_name=_("fylke")
    )
    is_rural_district = models.BooleanField(
        _("distriktskommune"),
        default=False,
        help_text=_("Søknader fra distriktskommuner prioriteres."),
    )
    #: Its språkvedtak (språklova §11): letters to it are in this form (tilskudd.languages).
    written_language = models.CharField(
        _("målform"), max_length=8, choices=WrittenLanguage.choices, blank=True,
        help_text=_("Tom: ikke kjent. Nøytral eller ikke kjent: embetets målform brukes."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisasjon")
        verbose_name_plural = _("organisasjoner")
        constraints = [
            models.UniqueConstraint(
                fields=["org_number"],
                condition=~Q(org_number=""),
                name="organisation_org_number_unique_when_given",
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind=OrganisationKind.MUNICIPALITY, municipality_number__isnull=False)
                    | (
                        ~Q(kind=OrganisationKind.MUNICIPALITY)
                        & Q(municipality_number__isnull=True)
                    )
                ),
                name="organisation_municipality_number_iff_municipality",
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "county"]),
            # the caseworkers' list is sorted by the name: PostgreSQL reads its first 50
            # rows by this index instead of sorting the office's thousands (issue 15)
            models.Index(fields=["name"], name="organisation_name_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def office(self) -> Office:
        return self.county.office

    def clean_fields(self, exclude=None) -> None:
        # Accept what people type ("942 110 464"); store the compact form.
        self.org_number = normalise_org_number(self.org_number)
        if self.municipality_number == "":
            self.municipality_number = None
        super().clean_fields(exclude=exclude)

    def clean(self) -> None:
        errors = {}
        if self.kind == OrganisationKind.MUNICIPALITY:
            if not self.municipality_number:
                errors["municipality_number"] = _("En kommune må ha kommunenummer.")
            elif self.county_id and not self.municipality_number.startswith(
                self.county.number
            ):
                errors["municipality_number"] = _(
                    "Kommunenummeret må begynne med fylkesnummeret %(county)s."
                ) % {"county": self.county.number}
        elif self.municipality_number:
            errors["municipality_number"] = _("Bare kommuner har kommunenummer.")
        if errors:
            raise ValidationError(errors)


class MembershipRole(models.TextChoices):
    EDITOR = "editor", _("Utfyller")
    SIGNATORY = "signatory", _("Signaturberettiget")


class Membership(models.Model):
    """A user acting for an organisation: an editor prepares, a signatory may submit and sign."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships",
        verbose_name=_("organisasjon"),
    )
    role = models.CharField(_("rolle"), max_length=16, choices=MembershipRole.choices)
    since = models.DateTimeField(_("tilgang siden"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("medlemskap")
        verbose_name_plural = _("medlemskap")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="membership_one_per_user_and_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation} ({self.get_role_display()})"

    @property
    def may_sign(self) -> bool:
        return self.role == MembershipRole.SIGNATORY


class OfficeRole(models.TextChoices):
    CASEWORKER = "caseworker", _("Saksbehandler")
    APPROVER = "approver", _("Godkjenner")
    # manages the office's caseworkers and approvers (tilskudd.access.may_manage_staff)
    ADMINISTRATOR = "administrator", _("Embetsadministrator")


class OfficeMembership(models.Model):
    """A user working at one Statsforvalter office. Approvers may also do casework."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="office_membership"
    )
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="staff")
    role = models.CharField(_("rolle"), max_length=16, choices=OfficeRole.choices)
    since = models.DateTimeField(_("tilgang siden"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("ansatt ved embete")
        verbose_name_plural = _("ansatte ved embeter")

    def __str__(self) -> str:
        return f"{self.user} – {self.office} ({self.get_role_display()})"

    @property
    def may_approve(self) -> bool:
        return self.role == OfficeRole.APPROVER


class Scheme(models.Model):
    code = models.SlugField(_("kode"), max_length=20, unique=True)
    name = models.CharField(_("navn"), max_length=200)
    budget_chapter = models.CharField(_("kapittel og post"), max_length=40, blank=True)
    rules_text = models.TextField(_("regelverk (sammendrag)"), blank=True)
    rules_url = models.URLField(_("lenke til regelverket"), blank=True)
    eligible_kinds = models.JSONField(
        _("organisasjonstyper som kan søke"),
        default=list,
        help_text=_("Liste over organisasjonstyper, f.eks. [\"municipality\"]."),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("tilskuddsordning")
        verbose_name_plural = _("tilskuddsordninger")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        valid = set(OrganisationKind.values)
        if not isinstance(self.eligible_kinds, list) or not set(self.eligible_kinds) <= valid:
            raise ValidationError(
                {"eligible_kinds": _("Ukjent organisasjonstype. Gyldige: %(kinds)s")
                 % {"kinds": ", ".join(sorted(valid))}}
            )

    def is_eligible(self, organisation: Organisation) -> bool:
        return organisation.kind in self.eligible_kinds


def open_round_moments(at: datetime) -> list[datetime]:
    """The moments the open-rounds rule reads of `at`, and nothing else: a round has opened
    by `at`, and its deadline is not before the start of at's minute (tilskudd.deadlines).
    RoundQuerySet.open_for_applications filters by these, and the query compiled from it
    (selectors.open_round_list) is run with these in their places."""
    return [at, deadlines.cutoff(at)]


class RoundQuerySet(models.QuerySet):
    def open_for_applications(self, at: datetime | None = None) -> RoundQuerySet:
        opened_by, cutoff = open_round_moments(at or timezone.now())
        return self.filter(opens_at__lte=opened_by, application_deadline__gte=cutoff)


class Round(models.Model):
    """One year's round of a scheme. Deadlines are moments (stored in UTC, meant in
    Europe/Oslo); an application is accepted through the deadline's minute (deadlines.py)."""

    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="rounds")
    year = models.PositiveSmallIntegerField(_("år"))
    opens_at = models.DateTimeField(_("åpner"))
    application_deadline = models.DateTimeField(_("søknadsfrist"))
    reporting_opens_at = models.DateTimeField(
        _("rapportering åpner"),
        null=True,
        blank=True,
        help_text=_("Tom: mottakere kan rapportere så snart tilskuddet er vedtatt."),
    )
    reporting_deadline = models.DateTimeField(_("rapporteringsfrist"))
    #: Empty: 1 October of the year at 23:59 Oslo time (deadlines.change_deadline).
    change_deadline = models.DateTimeField(_("frist for endringssøknad"), null=True, blank=True,
                                           help_text=_("Tom: 1. oktober kl. 23:59 i året."))

    objects = RoundQuerySet.as_manager()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("søknadsrunde")
        verbose_name_plural = _("søknadsrunder")
        constraints = [
            models.UniqueConstraint(fields=["scheme", "year"], name="round_one_per_scheme_year"),
            models.CheckConstraint(
                condition=Q(opens_at__lt=models.F("application_deadline"))
                & Q(application_deadline__lt=models.F("reporting_deadline")),
                name="round_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scheme.code.upper()} {self.year}"

    @property
    def title(self) -> str:
        """The scheme's name and the year, as the inbox and the Excel files name a round."""
        return f"{self.scheme.name} {self.year}"

    def clean(self) -> None:
        if self.opens_at and self.application_deadline and (
            self.opens_at >= self.application_deadline
        ):
            raise ValidationError(
                {"application_deadline": _("Søknadsfristen må være etter åpningstidspunktet.")}
            )
        if self.application_deadline and self.reporting_deadline and (
            self.application_deadline >= self.reporting_deadline
        ):
            raise ValidationError(
                {"reporting_deadline": _("Rapporteringsfristen må være etter søknadsfristen.")}
            )

    def accepts_applications_at(self, moment: datetime) -> bool:
        """Open from `opens_at` through the deadline's minute (tilskudd.deadlines).

        Compared in UTC: Python compares two datetimes that share a tzinfo by wall clock,
        which would get the repeated hour of the autumn DST change wrong."""
        return (self.opens_at.astimezone(UTC) <= moment.astimezone(UTC)
                and deadlines.is_open(self.application_deadline, moment))

    @property
    def is_open_for_applications(self) -> bool:
        return self.accepts_applications_at(timezone.now())

    def reporting_open_at(self, moment: datetime) -> bool:
        """Reports may be written from `reporting_opens_at` (if set); the deadline itself
        is enforced by the reporting app, which also knows about extensions."""
        return self.reporting_opens_at is None or moment >= self.reporting_opens_at


from .invitations import Invitation  # noqa: E402 (so does the invitation)
from .outbox import OutboundEmail  # noqa: E402 (the outbox model lives in its own module)
from .reminders import SentReminder  # noqa: E402 (so does the record of reminders sent)
from .users import User, UserManager  # noqa: E402, F401 (the user lives in its own module)

__all__ = [
    "AuditEvent", "County", "Earmark", "Invitation", "Membership", "MembershipRole", "Office",
    "OfficeBudget", "OfficeMembership", "OfficeRole", "Organisation", "OrganisationKind",
    "OutboundEmail", "Round", "Scheme", "SentReminder", "User", "UserManager",
]
