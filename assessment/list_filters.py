"""The list filters of the caseworkers' list of submitted applications (assessment.admin):
the round, the case's status and outcome, acceptance, the priority columns stored on the
application when it was sent, the office's counties and the withdrawn ones."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tilskudd import admin_filters
from tilskudd.admin_scoping import admin_office, is_national_reader
from tilskudd.compiled import Compiled
from tilskudd.models import County, Organisation, Round

from .models import AssessmentStatus, Outcome

#: the case status filter's value for an application no caseworker has opened yet
NOT_STARTED = "not_started"

#: the rounds as tilskudd.admin_filters.RoundFilter lists them, and an office's counties,
#: compiled to SQL once a connection (tilskudd.compiled): compiling them was most of
#: what the two filters cost the list on every page (issue 15)
_ROUNDS = Compiled(lambda: Round.objects.select_related("scheme").order_by("-year"), arity=0)
_OFFICE_COUNTIES = Compiled(
    lambda office_id: County.objects.filter(office_id=office_id).order_by("number"))


class RoundFilter(admin_filters.RoundFilter):
    parameter_name = "round__id__exact"

    def lookups(self, request, model_admin):
        return [(str(rnd.pk), str(rnd)) for rnd in _ROUNDS()]


class CaseStatusFilter(admin_filters.ChoicesFilter):
    title = _("status i saken")
    parameter_name = "case"
    text_choices = AssessmentStatus
    field = "assessment__status"
    extra_lookups = ((NOT_STARTED, _("Ikke påbegynt")),)

    def queryset(self, request, queryset):
        if self.value() == NOT_STARTED:
            return queryset.filter(assessment__isnull=True)
        return super().queryset(request, queryset)


class OutcomeFilter(admin_filters.ChoicesFilter):
    title = _("vedtak")
    parameter_name = "outcome"
    text_choices = Outcome
    field = "assessment__outcome"


class AcceptanceFilter(admin.SimpleListFilter):
    title = _("aksept")
    parameter_name = "accepted"

    def lookups(self, request, model_admin):
        return [("no", _("Ikke akseptert ennå")), ("yes", _("Akseptert"))]

    def queryset(self, request, queryset):
        granted = Q(assessment__status=AssessmentStatus.DECIDED) & ~Q(
            assessment__outcome=Outcome.REJECTED
        )
        if self.value() == "no":
            return queryset.filter(granted, assessment__acceptance__isnull=True)
        if self.value() == "yes":
            return queryset.filter(assessment__acceptance__isnull=False)
        return queryset


class AnnotationFilter(admin.SimpleListFilter):
    """Yes/no over a boolean column of the application (stored when it was sent)."""

    annotation = ""

    def lookups(self, request, model_admin):
        return [("yes", _("Ja")), ("no", _("Nei"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(**{self.annotation: self.value() == "yes"})
        return queryset


class MentalHealthFilter(AnnotationFilter):
    title = _("har tiltak i psykisk helse og rus")
    parameter_name = "mental_health"
    annotation = "has_mental_health"


class ProjectsFilter(AnnotationFilter):
    title = _("har tjenesteutviklingsprosjekter")
    parameter_name = "projects"
    annotation = "has_projects"


class CountyFilter(admin.SimpleListFilter):
    """The counties of the user's office (every county for the directorate), as Django's
    related-only filter offered them but without its DISTINCT over all the office's
    applications on every page of the list (the same parameter, so bookmarks still work)."""

    title = Organisation._meta.get_field("county").verbose_name
    parameter_name = "organisation__county__id__exact"

    def lookups(self, request, model_admin):
        counties = County.objects.order_by("number")
        if not is_national_reader(request):
            office = admin_office(request)
            counties = _OFFICE_COUNTIES(office.pk) if office else counties.none()
        return [(str(county.pk), str(county)) for county in counties]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(organisation__county_id=int(self.value()))
        return queryset


class WithdrawnFilter(admin.SimpleListFilter):
    """«Trukne søknader»: the list shows the withdrawn applications instead (the admin's
    get_queryset reads the parameter, as the list of submitted ones excludes them)."""

    title = _("trukket")
    parameter_name = "trukket"

    def lookups(self, request, model_admin):
        return [("ja", _("Trukne søknader"))]

    def queryset(self, request, queryset):
        return queryset
