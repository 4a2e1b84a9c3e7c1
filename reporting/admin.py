"""The caseworker's review of reports in the admin, scoped to the user's office (the
directorate reads all): list and filter, approve, return for correction with a message,
extend one organisation's deadline, download attachments, and export to Excel."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.http import content_disposition_header
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from tilskudd import admin_filters
from tilskudd.admin_scoping import NationalReadOnlyAdmin, OfficeScopedAdmin
from tilskudd.audit import AuditAction
from tilskudd.documents.excel import CONTENT_TYPE
from tilskudd.documents.responses import attachment_download
from tilskudd.errors import ServiceError
from tilskudd.models import Round
from tilskudd.money import format_nok

from . import reminders, selectors, services
from .admin_actions import FormAction, FormActionsAdmin, report_content
from .admin_columns import GrantColumns
from .export import export_filename, export_reports
from .forms import ExtensionForm, ReturnForm
from .models import Report, ReportingSettings, UnusedChoice
from .snapshot import report_snapshot
from .transfer_admin import FUNDS_ACTIONS, FundsAdminMixin

OFFICE_PATH = "application__organisation__county__office"
#: A long value (the text report) is cut to this in the history.
SHOWN_LENGTH = 80


class RoundFilter(admin_filters.RoundFilter):
    """The rounds the user's reports belong to."""

    parameter_name = "runde"
    round_path = "application__round"

    def rounds(self, request, model_admin):
        scoped = super(ReportAdmin, model_admin).get_queryset(request)
        return Round.objects.filter(pk__in=scoped.values("application__round_id"))


class OverdueFilter(admin.SimpleListFilter):
    title = gettext_lazy("frist")
    parameter_name = "forsinket"

    def lookups(self, request, model_admin):
        return [("ja", _("Fristen er ute, ikke sendt")), ("nei", _("Ikke forsinket"))]

    def queryset(self, request, queryset):
        if self.value() == "ja":
            return selectors.overdue(queryset, timezone.now())
        if self.value() == "nei":
            return selectors.not_overdue(queryset, timezone.now())
        return queryset


class AuditorFilter(admin.SimpleListFilter):
    title = gettext_lazy("revisorattestasjon")
    parameter_name = "revisor"

    def lookups(self, request, model_admin):
        return [
            ("kreves", _("Kreves")),
            ("mangler", _("Kreves, mangler")),
            ("kreves-ikke", _("Kreves ikke")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "kreves":
            return queryset.filter(auditor_required=True)
        if self.value() == "mangler":
            return queryset.filter(auditor_required=True, has_auditor_statement=False)
        if self.value() == "kreves-ikke":
            return queryset.filter(auditor_required=False)
        return queryset


class UnusedFilter(admin.SimpleListFilter):
    title = gettext_lazy("ubrukte midler")
    parameter_name = "ubrukt"

    def lookups(self, request, model_admin):
        return [*UnusedChoice.choices, ("ingen", _("Ikke valgt"))]

    def queryset(self, request, queryset):
        if self.value() in UnusedChoice.values:
            return queryset.filter(unused_choice=self.value())
        if self.value() == "ingen":
            return queryset.filter(unused_choice="")
        return queryset


def _changed(event) -> str:
    """«tekstrapport: – → Brukt på …» for each field an audit row says changed."""
    shown = []
    for name in sorted(set(event.before) | set(event.after)):
        try:
            field = Report._meta.get_field(name)
        except FieldDoesNotExist:
            label, choices = name, {}
        else:
            label, choices = str(field.verbose_name), dict(field.flatchoices)
        before, after = (
            Truncator(str(choices.get(side.get(name), side.get(name)) or "–")).chars(SHOWN_LENGTH)
            for side in (event.before, event.after)
        )
        shown.append(f"{label}: {before} → {after}")
    return "; ".join(shown)


REPORT_ACTIONS = (
    FormAction("send-tilbake/", "return", ReturnForm, services.report_return,
               title=gettext_lazy("Send rapporten tilbake for retting"), context=report_content,
               done=gettext_lazy("Rapporten er sendt tilbake for retting.")),
    FormAction("utsett-frist/", "extend", ExtensionForm, services.report_extend_deadline,
               title=gettext_lazy("Utsett fristen for rapporten"),
               done=gettext_lazy("Fristen er utsatt."),
               arguments=lambda form: {"new_deadline": form.new_deadline(),
                                       "reason": form.cleaned_data["reason"]}),
    *FUNDS_ACTIONS,
)


@admin.register(Report)
class ReportAdmin(GrantColumns, FundsAdminMixin, FormActionsAdmin, OfficeScopedAdmin):
    office_path = OFFICE_PATH
    form_actions = REPORT_ACTIONS
    action_subject = "report"
    list_display = [
        "reference_display", "organisation", "round_display", "status", "deadline_display",
        "granted_display", "auditor_display", "unused_display",
    ]
    list_select_related = [
        "application__organisation__county__office", "application__round__scheme"
    ]
    list_filter = [RoundFilter, "status", OverdueFilter, AuditorFilter, UnusedFilter]
    # 50 a page, as the caseworkers' list of applications: Django's 100 rendered cell by cell
    # was half of the page's time (issue 15).
    list_per_page = 50
    show_full_result_count = False
    search_fields = [
        "submissions__reference", "application__organisation__name",
        "application__organisation__org_number",
    ]
    ordering = ["-application__round__year", "application__organisation__name"]
    actions = ["approve_reports", "export_excel"]
    fields = ["summary", "attachments_display", "funds_display", "history"]
    readonly_fields = fields
    change_form_template = "admin/reporting/report/change_form.html"

    def get_queryset(self, request):
        return selectors.for_review(super().get_queryset(request))

    # -- the list -------------------------------------------------------------------

    @admin.display(description=gettext_lazy("referanse"), ordering="reference")
    def reference_display(self, obj: Report) -> str:
        return obj.reference or "–"

    @admin.display(description=gettext_lazy("frist"), ordering="deadline_at")
    def deadline_display(self, obj: Report) -> str:
        text = date_format(timezone.localtime(obj.deadline_at), "SHORT_DATE_FORMAT")
        if obj.extended_deadline:
            text += " " + _("(utsatt)")
        if selectors.is_overdue(obj, timezone.now()):
            return format_html('<strong class="errornote">{} {}</strong>', text, _("forsinket"))
        return text

    @admin.display(description=gettext_lazy("innvilget"), ordering="granted_total")
    def granted_display(self, obj: Report) -> str:
        return format_nok(obj.granted_total)

    @admin.display(description=gettext_lazy("revisorattestasjon"))
    def auditor_display(self, obj: Report) -> str:
        if not obj.auditor_required:
            return (_("Kreves ikke – regnskap levert") if obj.has_project_accounts
                    else _("Kreves ikke"))
        return _("Levert") if obj.has_auditor_statement else _("Mangler")

    @admin.display(description=gettext_lazy("ubrukte midler"), ordering="unused_choice")
    def unused_display(self, obj: Report) -> str:
        unused = obj.unused
        if unused <= 0:
            return "–"
        choice = obj.get_unused_choice_display() if obj.unused_choice else _("ikke valgt")
        return f"{format_nok(unused)}: {choice}"

    # -- the report page ------------------------------------------------------------

    @admin.display(description=gettext_lazy("rapport"))
    def summary(self, obj: Report) -> str:
        report = selectors.report_with_content(obj.pk)
        submission = selectors.latest_submission(report)
        content = submission.content if submission and not report.is_editable else (
            report_snapshot(report))
        return render_to_string("admin/reporting/report/summary.html", {
            "report": report, "content": content, "submission": submission,
        })

    @admin.display(description=gettext_lazy("vedlegg"))
    def attachments_display(self, obj: Report) -> str:
        attachments = list(obj.attachments.all())
        if not attachments:
            return _("Ingen vedlegg.")
        return format_html("<ul>{}</ul>", format_html_join(
            "", '<li><a href="{}">{}</a> ({}, {})</li>',
            ((reverse("admin:reporting_report_attachment", args=[obj.pk, a.pk]), a.title,
              a.get_kind_display(), a.download_name) for a in attachments),
        ))

    @admin.display(description=gettext_lazy("historikk"))
    def history(self, obj: Report) -> str:
        rows = [(e.at, f"{e.get_from_status_display()} → {e.get_to_status_display()}",
                 e.by, e.note) for e in obj.events.select_related("by")]
        rows += [(x.granted_at, _("Frist utsatt til %(date)s")
                  % {"date": date_format(timezone.localtime(x.new_deadline),
                                         "SHORT_DATETIME_FORMAT")},
                  x.granted_by, x.reason) for x in obj.extensions.select_related("granted_by")]
        rows += [(r.sent_at, _("Påminnelse: %(kind)s") % {"kind": reminders.kind_of(r).label},
                  "", ", ".join(r.recipients)) for r in reminders.sent_for(obj)]
        rows += [(e.at, AuditAction(e.action).label, e.actor, _changed(e))
                 for e in selectors.audit_trail(obj)]
        if not rows:
            return "–"
        rows.sort(key=lambda row: row[0])
        return format_html("<ul>{}</ul>", format_html_join(
            "", "<li>{} – {} {} {}</li>",
            ((date_format(timezone.localtime(at), "SHORT_DATETIME_FORMAT"), what, by or "",
              f"({note})" if note else "") for at, what, by, note in rows),
        ))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        report = self.get_object(request, object_id)
        extra = {
            "show_save": False, "show_save_and_continue": False,
            "show_save_and_add_another": False, "show_delete": False,
            "may_act": report is not None and self._is_staff_member(request),
            "report": report,
        }
        return super().change_view(request, object_id, form_url, {**extra,
                                                                   **(extra_context or {})})

    def has_add_permission(self, request):
        return False  # a report is opened from a decision (services.report_open)

    def has_delete_permission(self, request, obj=None):
        return False  # a report is kept, like the decision it reports on

    def save_model(self, request, obj, form, change):  # pragma: no cover - nothing editable
        raise PermissionDenied

    # -- actions --------------------------------------------------------------------

    @admin.action(description=gettext_lazy("Godkjenn valgte rapporter"),
                  permissions=["change"])
    def approve_reports(self, request: HttpRequest, queryset) -> None:
        done = 0
        for report in queryset:
            try:
                approved = services.report_approve(report=report, user=request.user)
            except ServiceError as error:
                self.message_user(request, f"{report}: {error.message}", messages.ERROR)
            else:
                done += 1
                if approved.repayment_note:
                    self.message_user(request, f"{report}: {approved.repayment_note}",
                                      messages.WARNING)
        if done:
            self.message_user(request, ngettext(
                "%(count)d rapport er godkjent.", "%(count)d rapporter er godkjent.", done,
            ) % {"count": done}, messages.SUCCESS)

    @admin.action(description=gettext_lazy("Eksporter valgte rapporter til Excel"))
    def export_excel(self, request: HttpRequest, queryset) -> HttpResponse:
        response = HttpResponse(export_reports(queryset), content_type=CONTENT_TYPE)
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=export_filename())
        return response

    # -- views of their own ---------------------------------------------------------

    def get_urls(self):
        return [
            *self.row_paths(
                ("godkjenn/", self.approve_view, "approve"),
                ("vedlegg/<int:attachment_id>/", self.attachment_view, "attachment"),
            ),
            *super().get_urls(),  # FormActionsAdmin's: the form_actions' pages
        ]

    def _scoped(self, request: HttpRequest, pk: int) -> Report:
        return self.scoped_row(request, pk, self.has_view_permission)

    def approve_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        report = self._scoped(request, pk)
        if request.method != "POST" or not self.has_change_permission(request, report):
            raise PermissionDenied
        approved = services.report_approve(report=report, user=request.user)
        self.message_user(request, _("Rapporten er godkjent."), messages.SUCCESS)
        if approved.repayment_note:
            self.message_user(request, approved.repayment_note, messages.WARNING)
        return HttpResponseRedirect(self.change_url(report))

    def attachment_view(self, request: HttpRequest, pk: int, attachment_id: int):
        report = self._scoped(request, pk)
        attachment = report.attachments.filter(pk=attachment_id).first()
        if attachment is None:
            raise Http404
        return attachment_download(attachment, user=request.user)


@admin.register(ReportingSettings)
class ReportingSettingsAdmin(NationalReadOnlyAdmin):
    list_display = ["round", "overdue_rule"]
    list_select_related = ["round__scheme"]


from .changes import admin as change_admin  # noqa: E402, F401 (registers ChangeRequestAdmin)
