"""The office's change requests in the admin, scoped to the user's office (the directorate
reads all): the list, one request with its lines and history, and two pages of their own:
a caseworker's recommendation, and another approver's decision (four eyes) or return.
Registered by reporting.admin."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tilskudd.admin_scoping import OfficeScopedAdmin
from tilskudd.errors import form_acted
from tilskudd.money import format_nok

from ..admin_columns import GrantColumns
from . import selectors, services
from .forms import DecideForm, RecommendForm
from .models import ChangeRequest, ChangeStatus


@admin.register(ChangeRequest)
class ChangeRequestAdmin(GrantColumns, OfficeScopedAdmin):
    office_path = "application__organisation__county__office"
    list_display = ["reference", "organisation", "round_display", "status", "granted_display",
                    "requested_at", "recommended_by", "decided_by"]
    list_filter = ["status"]
    search_fields = ["reference", "application__organisation__name",
                     "application__organisation__org_number"]
    ordering = ["-requested_at"]
    show_full_result_count = False
    fields = ["summary"]
    readonly_fields = ["summary"]
    change_form_template = "admin/reporting/changerequest/change_form.html"

    def get_queryset(self, request):
        return selectors.for_office(super().get_queryset(request))

    @admin.display(description=gettext_lazy("innvilget"), ordering="granted_total")
    def granted_display(self, obj: ChangeRequest) -> str:
        return format_nok(obj.granted_total)

    @admin.display(description=gettext_lazy("endringssøknad"))
    def summary(self, obj: ChangeRequest) -> str:
        change = selectors.with_details(ChangeRequest.objects.filter(pk=obj.pk)).get()
        return render_to_string("admin/reporting/changerequest/summary.html", {
            "change": change, "letter": getattr(change, "letter", None)})

    def change_view(self, request, object_id, form_url="", extra_context=None):
        change = self.get_object(request, object_id)
        may_act = change is not None and self._is_staff_member(request)
        extra = {
            "show_save": False, "show_save_and_continue": False,
            "show_save_and_add_another": False, "show_delete": False,
            "may_recommend": may_act and change.status == ChangeStatus.SUBMITTED,
            "may_decide": may_act and change.status == ChangeStatus.RECOMMENDED,
        }
        return super().change_view(request, object_id, form_url, {**extra,
                                                                   **(extra_context or {})})

    def has_add_permission(self, request):
        return False  # a change request is sent by the recipient

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):  # pragma: no cover - nothing editable
        raise PermissionDenied

    def get_urls(self):
        return [
            *self.row_paths(("innstill/", self.recommend_view, "recommend"),
                            ("godkjenn/", self.decide_view, "decide")),
            *super().get_urls(),
        ]

    def _scoped(self, request: HttpRequest, pk: int) -> ChangeRequest:
        return self.scoped_row(request, pk, self.has_change_permission)

    def _page(self, request, change, form, title: str, **context) -> HttpResponse:
        return self.object_page(request, "admin/reporting/changerequest/action_form.html", change,
                                title=title, form=form, **context, summary=self.summary(change))

    def _done(self, request, change, message: str) -> HttpResponse:
        self.message_user(request, message, messages.SUCCESS)
        return HttpResponseRedirect(self.change_url(change))

    def recommend_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        change = self._scoped(request, pk)
        form = RecommendForm(request.POST or None)
        if form_acted(request, form, lambda: services.change_request_recommend(
                change_request=change, user=request.user,
                recommendation=form.cleaned_data["recommendation"],
                note=form.cleaned_data["note"])):
            return self._done(request, change, _("Innstillingen er sendt til godkjenning."))
        return self._page(request, change, form, _("Innstill endringssøknaden"),
                          submit=_("Send til godkjenning"))

    def decide_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        change = self._scoped(request, pk)
        form = DecideForm(request.POST or None)
        send_back = "_return" in request.POST
        act = services.change_request_return if send_back else services.change_request_decide
        if form_acted(request, form, lambda: act(change_request=change, user=request.user,
                                                 note=form.cleaned_data["note"])):
            return self._done(request, change, _("Innstillingen er sendt tilbake.")
                              if send_back else _("Vedtaket er fattet. Brevet lages."))
        return self._page(request, change, form, _("Godkjenn innstillingen"),
                          submit=_("Godkjenn innstillingen"), may_return=True)
