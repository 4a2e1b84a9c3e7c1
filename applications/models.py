"""An organisation's application for one round: header, three parts of lines,
attachments, and the frozen submissions with their receipts."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from tilskudd import money
from tilskudd.attachments import PdfAttachment, pdf_attachment_path
from tilskudd.documents.jobs import DocumentJob
from tilskudd.fields import acting_user
from tilskudd.models import Organisation, Round
from tilskudd.submissions import FrozenSubmission, one_live, receipt_of
from tilskudd.workflow import EditableByStatus, HistoryEntry, status_fields

from . import rules
from .rules import PROJECT_CRITERIA

AMOUNT_VALIDATORS = [MinValueValidator(1), MaxValueValidator(rules.MAX_LINE_AMOUNT)]
HEADER_AMOUNT_VALIDATORS = [MinValueValidator(0), MaxValueValidator(rules.MAX_HEADER_AMOUNT)]
PERSON_VALIDATORS = [MinValueValidator(0), MaxValueValidator(rules.MAX_PERSONS)]


def money_field(verbose_name, validators=AMOUNT_VALIDATORS, **kwargs):
    """An amount an applicant types: within AMOUNT_VALIDATORS unless told otherwise."""
    return money.money_field(verbose_name, validators=validators, **kwargs)


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Under arbeid")
    TO_SIGN = "to_sign", _("Til signering")
    SUBMITTED = "submitted", _("Sendt inn")
    WITHDRAWN = "withdrawn", _("Trukket")


#: Which status may follow which; see services.APPLICATION_WORKFLOW.
ALLOWED_TRANSITIONS = {
    ApplicationStatus.DRAFT: {ApplicationStatus.SUBMITTED, ApplicationStatus.TO_SIGN},
    ApplicationStatus.TO_SIGN: {ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED},
    ApplicationStatus.SUBMITTED: {ApplicationStatus.WITHDRAWN},
    ApplicationStatus.WITHDRAWN: {ApplicationStatus.SUBMITTED, ApplicationStatus.TO_SIGN},
}
#: What may be changed. "Til signering" is not: the signatory signs what was sent.
EDITABLE_STATUSES = {ApplicationStatus.DRAFT, ApplicationStatus.WITHDRAWN}
#: What a signatory may send in.
SUBMITTABLE_STATUSES = EDITABLE_STATUSES | {ApplicationStatus.TO_SIGN}


class Application(EditableByStatus, models.Model):
    editable_statuses = EDITABLE_STATUSES

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="applications",
        verbose_name=_("søker"),
    )
    round = models.ForeignKey(
        Round, on_delete=models.PROTECT, related_name="applications", verbose_name=_("runde")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ApplicationStatus.choices,
        default=ApplicationStatus.DRAFT,
    )
    contact_name = models.CharField(_("kontaktperson"), max_length=150, blank=True)
    contact_email = models.EmailField(_("e-post til kontaktperson"), blank=True)
    contact_phone = models.CharField(_("telefon til kontaktperson"), max_length=30, blank=True)
    signatory_name = models.CharField(
        _("navn på den som signerer"), max_length=150, blank=True,
        help_text=_("Kommunedirektør/rådmann eller den som har fått delegert myndighet."),
    )
    signatory_title = models.CharField(_("stilling"), max_length=150, blank=True)
    purpose = models.TextField(_("formål med tilskuddet"), blank=True,
                               max_length=rules.MAX_TEXT_LENGTH)
    own_financing = money_field(_("egenfinansiering (kr)"), HEADER_AMOUNT_VALIDATORS,
                                default=Decimal(0))
    other_financing = money_field(_("annen finansiering (kr)"), HEADER_AMOUNT_VALIDATORS,
                                  default=Decimal(0))
    other_financing_source = models.CharField(
        _("kilde for annen finansiering"), max_length=300, blank=True
    )
    control_measures = models.TextField(
        _("interne og eksterne kontrolltiltak"), blank=True, max_length=rules.MAX_TEXT_LENGTH,
        help_text=_("Tiltak som sikrer korrekt rapportering på bruken av midlene."),
    )
    transferred_funds = money_field(
        _("overførte midler fra i fjor (kr)"), HEADER_AMOUNT_VALIDATORS, default=Decimal(0),
        help_text=_("Ubrukte midler fra fjorårets tilskudd som er overført til i år."),
    )
    has_leve_hele_livet_plan = models.BooleanField(
        _("kommunen har en politisk vedtatt plan for Leve hele livet"), default=False
    )
    #: Raw input of sections that did not validate, kept so nothing typed is lost.
    draft_input = models.JSONField(default=dict, blank=True)
    #: What the caseworkers' list shows and sorts by, stored when the application is sent
    #: (list_fields.set_list_fields), so the list reads columns, not a subquery a row.
    #: Never in a form (so no label of their own to translate).
    applied_total = models.DecimalField(max_digits=14, decimal_places=0, default=Decimal(0),
                                        editable=False)
    has_mental_health = models.BooleanField(default=False, editable=False)
    has_decentralised = models.BooleanField(default=False, editable=False)
    has_supported_programme = models.BooleanField(default=False, editable=False)
    has_projects = models.BooleanField(default=False, editable=False)
    signature_requested_at = models.DateTimeField(null=True, blank=True)
    signature_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-round__year", "organisation__name"]
        verbose_name = _("søknad")
        verbose_name_plural = _("søknader")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "round"], name="application_one_per_organisation_round"
            ),
            models.CheckConstraint(
                condition=Q(own_financing__gte=0) & Q(other_financing__gte=0)
                & Q(transferred_funds__gte=0),
                name="application_header_amounts_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.round}"

    @property
    def is_to_sign(self) -> bool:
        return self.status == ApplicationStatus.TO_SIGN


class EducationType(models.TextChoices):
    UPPER_SECONDARY = "upper_secondary", _(
        "Videregående opplæring / fagbrev (f.eks. helsefagarbeider)"
    )
    VOCATIONAL_COLLEGE = "vocational_college", _("Fagskole")
    BACHELOR = "bachelor", _("Bachelor i helse- og sosialfag")
    FURTHER_MASTER = "further_master", _("Videreutdanning / master")
    ABC = "abc", _("ABC-opplæring")
    CONTINUING = "continuing", _("Etterutdanning, internopplæring og kurs")
    OTHER = "other", _("Annet")


class ApplicationLine(models.Model):
    """Abstract: one line of a part of the application (a competence measure, a BPA
    training, a project), with the amount applied for, kept in the order entered. The
    subclass adds its foreign key to the application and `line_amount_positive(name)`."""

    amount = money_field(_("søknadsbeløp (kr)"))

    class Meta:
        abstract = True
        ordering = ["pk"]


def line_amount_positive(name: str) -> models.CheckConstraint:
    """A line asks for more than nothing: the database's half of what the forms and
    AMOUNT_VALIDATORS refuse."""
    return models.CheckConstraint(condition=Q(amount__gt=0), name=name)


class CompetenceLine(ApplicationLine):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="competence_lines"
    )
    education_type = models.CharField(
        _("utdanningstype"), max_length=24, choices=EducationType.choices
    )
    description = models.CharField(_("beskrivelse"), max_length=300, blank=True)
    employees = models.PositiveIntegerField(_("antall ansatte"), validators=PERSON_VALIDATORS)
    is_mental_health = models.BooleanField(_("psykisk helse og rus"), default=False)
    is_decentralised = models.BooleanField(_("desentralisert studium"), default=False)
    in_supported_programme = models.BooleanField(
        _("allerede i utdanning støttet av ordningen"), default=False
    )

    class Meta(ApplicationLine.Meta):
        verbose_name = _("kompetansetiltak")
        verbose_name_plural = pgettext_lazy("plural", "kompetansetiltak")
        constraints = [line_amount_positive("competence_amount_positive")]

    def __str__(self) -> str:
        return ngettext("%(type)s: %(n)d ansatt", "%(type)s: %(n)d ansatte", self.employees) % {
            "type": self.get_education_type_display(), "n": self.employees}


class BpaRole(models.TextChoices):
    """In the priority order of the rules."""

    WORK_LEADER = "work_leader", _("Arbeidsledere (brukere)")
    CASEWORKER = "caseworker", _("Kommunens saksbehandlere")
    ASSISTANT = "assistant", _("Assistenter")


BPA_PRIORITY = {role: i + 1 for i, role in enumerate(BpaRole.values)}


def bpa_persons(role: str, persons: int) -> str:
    """A BPA line's count with its unit: «4 arbeidsledere (brukere)», «1 assistent»."""
    if role == BpaRole.WORK_LEADER:
        text = ngettext("%(n)d arbeidsleder (bruker)", "%(n)d arbeidsledere (brukere)", persons)
    elif role == BpaRole.CASEWORKER:
        text = ngettext("%(n)d saksbehandler i kommunen", "%(n)d saksbehandlere i kommunen",
                        persons)
    else:
        text = ngettext("%(n)d assistent", "%(n)d assistenter", persons)
    return text % {"n": persons}


class BpaLine(ApplicationLine):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="bpa_lines")
    role = models.CharField(_("målgruppe"), max_length=16, choices=BpaRole.choices)
    persons = models.PositiveIntegerField(_("antall personer"), validators=PERSON_VALIDATORS)

    class Meta(ApplicationLine.Meta):
        verbose_name = _("BPA-opplæring")
        verbose_name_plural = _("BPA-opplæring")
        constraints = [line_amount_positive("bpa_amount_positive")]

    def __str__(self) -> str:
        return self.persons_text

    @property
    def persons_text(self) -> str:
        return bpa_persons(self.role, self.persons)

    @property
    def priority(self) -> int:
        return BPA_PRIORITY[self.role]


class ProjectTopic(models.TextChoices):
    PREVENTION = "prevention", _("Forebygging og tidlig innsats")
    SELF_MANAGEMENT = "self_management", _("Mestring")
    LEISURE = "leisure", _("Aktivitet med assistanse i fritiden")
    CULTURE = "culture", _("Kultur")
    NUTRITION = "nutrition", _("Ernæring")
    MEDICATION = "medication", _("Legemiddelhåndtering")
    REHABILITATION = "rehabilitation", _("Rehabilitering")
    RELATIVES = "relatives", _("Samarbeid med pårørende og frivillige (særlig demensomsorg)")
    RESPITE = "respite", _("Fleksible avlastningsmodeller for pårørende")
    OTHER = "other", _("Annet")


def _criterion(label):
    return models.TextField(label, blank=True, max_length=rules.MAX_TEXT_LENGTH)


class Project(ApplicationLine):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="projects")
    title = models.CharField(_("prosjektnavn"), max_length=200)
    is_continuation = models.BooleanField(_("videreføring av tidligere prosjekt"), default=False)
    topic = models.CharField(_("tema"), max_length=24, choices=ProjectTopic.choices)
    needs = _criterion(PROJECT_CRITERIA[0][1])
    goals = _criterion(PROJECT_CRITERIA[1][1])
    organisation = _criterion(PROJECT_CRITERIA[2][1])
    expected_gains = _criterion(PROJECT_CRITERIA[3][1])
    anchoring = _criterion(PROJECT_CRITERIA[4][1])
    participation = _criterion(PROJECT_CRITERIA[5][1])
    operation = _criterion(PROJECT_CRITERIA[6][1])
    method = _criterion(PROJECT_CRITERIA[7][1])
    evaluation = _criterion(PROJECT_CRITERIA[8][1])

    class Meta(ApplicationLine.Meta):
        verbose_name = _("tjenesteutviklingsprosjekt")
        verbose_name_plural = _("tjenesteutviklingsprosjekter")
        constraints = [line_amount_positive("project_amount_positive")]

    def __str__(self) -> str:
        return self.title


def attachment_path(instance: Attachment, filename: str) -> str:
    """Named by migration 0001; files are now named by tilskudd.attachments."""
    return pdf_attachment_path(instance, filename)


class AttachmentKind(models.TextChoices):
    LEVE_HELE_LIVET = "leve_hele_livet", _("Politisk vedtatt plan (Leve hele livet)")
    OTHER = "other", _("Annet vedlegg")


class Attachment(PdfAttachment):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="attachments"
    )
    kind = models.CharField(_("type"), max_length=20, choices=AttachmentKind.choices)

    class Meta(PdfAttachment.Meta):
        verbose_name = _("vedlegg")
        verbose_name_plural = pgettext_lazy("plural", "vedlegg")

    @property
    def folder(self) -> str:
        return f"attachments/{self.application_id}"


class Submission(FrozenSubmission):
    """One sending of an application: the frozen content (snapshot.application_snapshot),
    the reference, the receipt."""

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="submissions"
    )
    total_applied = money_field(_("sum søkt (kr)"), validators=[MinValueValidator(0)])
    withdrawn_at = models.DateTimeField(_("trukket"), null=True, blank=True)
    withdrawn_by = acting_user(_("trukket av"), optional=True)
    withdraw_reason = models.TextField(_("begrunnelse for å trekke"), blank=True)

    class Meta(FrozenSubmission.Meta):
        verbose_name = _("innsending")
        verbose_name_plural = _("innsendinger")
        constraints = [
            one_live("application", "withdrawn_at", "submission_one_live_per_application")
        ]


class ReceiptDocument(DocumentJob):
    """The PDF copy of a submission."""

    task_name = "applications.tasks.render_receipt_pdf"
    renderer = "applications.documents.render_receipt"  # made on the spot if clicked first

    submission = receipt_of(Submission)

    class Meta:
        verbose_name = _("kvittering (PDF)")
        verbose_name_plural = _("kvitteringer (PDF)")


class StatusChange(HistoryEntry):
    """One step in an application's life (services.APPLICATION_WORKFLOW writes it)."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status, to_status = status_fields(ApplicationStatus)

    class Meta(HistoryEntry.Meta):
        verbose_name = _("statusendring")
        verbose_name_plural = _("statusendringer")
