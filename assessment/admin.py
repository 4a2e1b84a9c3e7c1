"""The caseworker's tool in the Django admin: the list of submitted applications of the
office, the assessment page of one application (admin_views.case_view), and the pot.

Everything goes through the office scoping of tilskudd.admin_scoping: a row of another
office is not found, whether asked for by URL, by search or by an action."""

from __future__ import annotations

import html
from collections.abc import Callable

from django.contrib import admin, messages
from django.urls import path
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from tilskudd.admin_scoping import (
    NoWritesAdmin,
    OfficeScopedAdmin,
)
from tilskudd.documents.jobs import DocumentStatus
from tilskudd.errors import ServiceError
from tilskudd.money import format_nok

from . import admin_cells as cells
from . import admin_sql, admin_views, services
from .admin_list import DJANGO_CHECKBOX_LABEL, VALUES, ListRow, ListTexts, RowsChangeList, list_row
from .admin_paging import KeysFirstPaginator
from .cases import submitted_applications, withdrawn_applications
from .list_filters import (
    AcceptanceFilter,
    CaseStatusFilter,
    CountyFilter,
    MentalHealthFilter,
    OutcomeFilter,
    ProjectsFilter,
    RoundFilter,
    WithdrawnFilter,
)
from .models import Pot, SubmittedApplication
from .pot import pots
from .selectors import letter_statuses


def cell_column(cell: Callable[[ListRow], str], **display) -> Callable:
    """A list column showing `cell` (assessment/admin_cells.py) of the row, for Django's
    rendering of the list; the row writer (admin_rows) calls the column's `cell` with the
    page's ListRow itself."""

    @admin.display(**display)
    def column(model_admin, obj):
        return mark_safe(cell(list_row(obj)))  # noqa: S308 (admin_cells escapes)

    column.cell = cell
    return column


def money_column(name: str, description) -> Callable:
    """A list column showing the amount `name` of the row the Norwegian way, sortable."""

    @admin.display(description=description, ordering=name)
    def column(model_admin, obj):
        return format_nok(getattr(obj, name))

    return column


@admin.register(SubmittedApplication)
class SubmittedApplicationAdmin(OfficeScopedAdmin):
    office_path = "organisation__county__office"
    list_display = [
        "reference_display", "organisation_display", "case_status", "assigned_display",
        "amounts_display", "acceptance_display", "markers_display",
    ]
    list_display_links = ["reference_display"]
    list_filter = [
        RoundFilter,
        CaseStatusFilter,
        OutcomeFilter,
        AcceptanceFilter,
        CountyFilter,
        "organisation__kind",
        "organisation__is_rural_district",
        MentalHealthFilter,
        ProjectsFilter,
        WithdrawnFilter,
    ]
    search_fields = ["submissions__reference", "organisation__name", "organisation__org_number"]
    search_help_text = _("Søk på referansenummer, organisasjonsnavn eller organisasjonsnummer.")
    ordering = ["organisation__name"]
    # 50 rows a page, and no second COUNT of the whole office for «x of y»: the list stays
    # as quick with 4 000 applications as with 40 (tests/assessment/test_admin.py)
    list_per_page = 50
    show_full_result_count = False
    #: a page's rows joined once its keys are sorted and sliced (assessment/admin_paging.py)
    paginator = KeysFirstPaginator
    #: long texts the list never shows, left in the database when it is read
    list_deferred = ["purpose", "control_measures", "draft_input"]
    #: the rows the columns and the row checkbox (the application's name: organisation
    #: and round) read, exactly
    list_select_related = [
        "organisation__county", "round__scheme", "assessment__assigned_to",
        "assessment__acceptance",
    ]
    #: and their columns: only these are read for the list as it is shown (an action's
    #: POST reads whole rows, for the services it calls)
    list_only = [
        "organisation_id", "round_id", "status", "applied_total", "has_mental_health",
        "has_decentralised", "has_supported_programme",
        "organisation__name", "organisation__kind", "organisation__county_id",
        "organisation__is_rural_district", "organisation__county__name",
        "round__year", "round__scheme_id", "round__scheme__code",
        "assessment__application_id", "assessment__status", "assessment__outcome",
        "assessment__assigned_to_id", "assessment__assigned_to__full_name",
        "assessment__assigned_to__email",
        "assessment__acceptance__assessment_id", "assessment__acceptance__accepted_at",
    ]
    actions = ["generate_letters", "assign_to_me"]

    def get_changelist(self, request, **kwargs):
        return RowsChangeList

    def list_rows(self, request, queryset, key: tuple | None = None) -> list[ListRow]:
        """The page's rows: the submitted list's by .values() in one query (its SQL kept
        for `key`, if given: the paginator's and the count, admin_sql); the withdrawn
        list's from its instances, as their withdrawals are prefetched."""
        texts = ListTexts.now()
        if request.GET.get(WithdrawnFilter.parameter_name) == "ja":
            return [ListRow.of_instance(application, texts) for application in queryset]
        return [ListRow.of_values(values, texts) for values in admin_sql.values(
            queryset, list(VALUES.values()), key)]

    def get_paginator(self, request, queryset, per_page, orphans=0,
                      allow_empty_first_page=True):
        paginator = super().get_paginator(request, queryset, per_page, orphans,
                                          allow_empty_first_page)
        # the count's and the rows' SQL kept by it
        paginator.sql_key = admin_sql.list_key(request, queryset)
        return paginator

    def get_changelist_instance(self, request):
        request.tilskudd_changelist = True
        return super().get_changelist_instance(request)

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if getattr(request, "tilskudd_changelist", False):
            qs = qs.defer(*self.list_deferred)
        if request.GET.get(WithdrawnFilter.parameter_name) == "ja":
            qs = withdrawn_applications(qs)
        else:
            qs = submitted_applications(qs)
        if getattr(request, "tilskudd_changelist", False) and request.method == "GET":
            qs = qs.select_related(None).select_related(*self.list_select_related).only(
                *self.list_only)
        return qs

    def lookup_allowed(self, lookup, value, request):
        # the county filter's parameter is a field path that Django checks against the
        # list_filter entries' paths, which a SimpleListFilter's is not
        return lookup == CountyFilter.parameter_name or super().lookup_allowed(
            lookup, value, request)

    def get_object(self, request, object_id, from_field=None):
        """A submitted application, or a withdrawn one (its page says «Trukket»)."""
        found = super().get_object(request, object_id, from_field)
        if found is None and str(object_id).isdigit():
            found = withdrawn_applications(
                super().get_queryset(request)).filter(pk=int(object_id)).first()
        return found

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        own = [
            path("<path:object_id>/brev/<int:letter_id>/",
                 self.admin_site.admin_view(self.letter_view),
                 name="assessment_submittedapplication_letter"),
        ]
        return own + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return admin_views.case_view(self, request, object_id)

    def letter_view(self, request, object_id, letter_id):
        return admin_views.letter_download(self, request, object_id, letter_id)

    # --- columns ------------------------------------------------------------------------

    def action_checkbox(self, obj):
        """Django's row checkbox, the same markup, without rendering a form widget's three
        templates for each of the 50 rows."""
        if isinstance(obj, ListRow):
            return mark_safe(cells.checkbox(obj))  # noqa: S308 (admin_cells escapes)
        label = gettext(DJANGO_CHECKBOX_LABEL).format(html.escape(str(obj)))  # as format_html
        return mark_safe(cells.checkbox_input(obj.pk, label))  # noqa: S308 (escaped)

    action_checkbox.cell = cells.checkbox

    reference_display = cell_column(cells.reference, description=_("Referanse"),
                                    ordering="reference")
    organisation_display = cell_column(cells.organisation, description=_("Søker"),
                                       ordering="organisation__name")
    case_status = cell_column(cells.case_status, description=_("Status"),
                              ordering="assessment__status")
    assigned_display = cell_column(cells.assigned, description=_("Saksbehandler"))
    amounts_display = cell_column(cells.amounts, description=_("Søkt / innstilt / innvilget"),
                                  ordering="applied_total")
    acceptance_display = cell_column(cells.acceptance, description=_("Aksept"))
    markers_display = cell_column(cells.markers, description=_("Prioritet"))

    # --- actions ------------------------------------------------------------------------

    @admin.action(description=_("Lag tilskuddsbrev for valgte vedtak"),
                  permissions=["change"])
    def generate_letters(self, request, queryset):
        made, kept = [], 0
        skipped = []
        for application in queryset.select_related("assessment"):
            assessment = _assessment(application)
            if assessment is None or not assessment.is_decided:
                skipped.append(application.reference or application.organisation.name)
                continue
            had = assessment.letters.exists()
            try:
                letter = services.letter_generate(
                    assessment=assessment, user=request.user, replace=False)
            except ServiceError as exc:
                self.message_user(request, exc.message, messages.ERROR)
                return
            if had:
                kept += 1
            else:
                made.append(letter.pk)
        if made:
            self._say_how_the_letters_are(request, made)
        if kept:
            self.message_user(request, ngettext(
                "%(n)d vedtak hadde allerede brev. Lag en ny versjon fra saken om det trengs.",
                "%(n)d vedtak hadde allerede brev. Lag en ny versjon fra saken om det trengs.",
                kept) % {"n": kept}, messages.INFO)
        if skipped:
            self.message_user(
                request,
                _("Uten vedtak, ikke laget brev: %(list)s") % {"list": ", ".join(skipped)},
                messages.WARNING,
            )

    def _say_how_the_letters_are(self, request, letter_ids: list[int]) -> None:
        """What the new letters' jobs are once the action has committed them: made (eager
        Celery, or a quick worker), still queued for the worker, or given up (the storage
        refused the file: the case page then shows «Feilet» and makes it when clicked)."""
        statuses = letter_statuses(letter_ids)
        if ready := statuses[DocumentStatus.READY]:
            self.message_user(request, ngettext(
                "Laget %(n)d tilskuddsbrev. Søkerne får e-post.",
                "Laget %(n)d tilskuddsbrev. Søkerne får e-post.", ready) % {"n": ready},
                messages.SUCCESS)
        if pending := statuses[DocumentStatus.PENDING]:
            self.message_user(request, ngettext(
                "%(n)d tilskuddsbrev lages nå og ligger i saken om litt. Søkerne får e-post.",
                "%(n)d tilskuddsbrev lages nå og ligger i sakene om litt. Søkerne får e-post.",
                pending) % {"n": pending}, messages.INFO)
        if failed := statuses[DocumentStatus.FAILED]:
            self.message_user(request, ngettext(
                "%(n)d tilskuddsbrev kunne ikke lages. Saken viser hvorfor, og et klikk på "
                "brevet der lager det på nytt.",
                "%(n)d tilskuddsbrev kunne ikke lages. Sakene viser hvorfor, og et klikk på "
                "brevet der lager det på nytt.", failed) % {"n": failed},
                messages.WARNING)

    @admin.action(description=_("Tildel valgte søknader til meg"), permissions=["change"])
    def assign_to_me(self, request, queryset):
        done = 0
        for application in queryset:
            try:
                assessment = services.assessment_open(application=application, user=request.user)
                services.assessment_assign(
                    assessment=assessment, user=request.user, assignee=request.user
                )
            except ServiceError as exc:
                self.message_user(request, exc.message, messages.ERROR)
                return
            done += 1
        self.message_user(
            request, ngettext("%(n)d sak er tildelt deg.", "%(n)d saker er tildelt deg.", done)
            % {"n": done}, messages.SUCCESS,
        )


def _assessment(application):
    return getattr(application, "assessment", None)


@admin.register(Pot)
class PotAdmin(NoWritesAdmin, OfficeScopedAdmin):
    office_path = "office"
    staff_may_change = False
    list_display = [
        "office_display", "round_display", "pot_display", "earmarked_display",
        "recommended_display", "approved_display", "remaining_display",
    ]
    list_display_links = ["office_display", "round_display"]
    list_filter = [RoundFilter]
    ordering = ["-round__year", "office__name"]

    def get_queryset(self, request):
        return pots(super().get_queryset(request))

    def get_urls(self):
        own = [
            path("<path:object_id>/excel/", self.admin_site.admin_view(self.excel_view),
                 name="assessment_pot_excel"),
        ]
        return own + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return admin_views.pot_view(self, request, object_id)

    def excel_view(self, request, object_id):
        return admin_views.pot_excel(self, request, object_id)

    @admin.display(description=_("Embete"), ordering="office__name")
    def office_display(self, obj):
        return obj.office.name

    @admin.display(description=_("Runde"), ordering="round__year")
    def round_display(self, obj):
        return str(obj.round)

    pot_display = money_column("pot", _("Ramme"))
    earmarked_display = money_column("earmarked_sum", _("Øremerket"))
    recommended_display = money_column("recommended_sum", _("Innstilt, venter"))
    approved_display = money_column("approved_sum", _("Vedtatt"))

    @admin.display(description=_("Igjen"))
    def remaining_display(self, obj):
        return format_nok(obj.pot - obj.approved_sum)


from .opendata import admin as opendata_admin  # noqa: E402, F401 (registers PublishedRecipientAdmin)
