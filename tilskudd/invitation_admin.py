"""The office's side of access in the admin: it registers an organisation's first
signatory (an invitation like any other), and its administrator invites, re-roles and
removes the office's caseworkers and approvers. Every write goes through
tilskudd.access_services; who may do what is asked of tilskudd.access."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import access, access_services
from .admin_scoping import NoWritesAdmin, OfficeScopedAdmin, admin_office
from .admin_select2 import Select2Languages
from .errors import ServiceError
from .invitations import Invitation
from .models import MembershipRole, Office, OfficeMembership, OfficeRole, Organisation

ROLE_CHOICES = [
    (gettext_lazy("For en organisasjon"), MembershipRole.choices),
    (gettext_lazy("Ved embetet"), OfficeRole.choices),
]


class InvitationForm(forms.ModelForm):
    role = forms.ChoiceField(label=gettext_lazy("Rolle"), choices=ROLE_CHOICES)

    class Meta:
        model = Invitation
        fields = ["email", "organisation", "office", "role"]
        help_texts = {
            "organisation": gettext_lazy(
                "Velg organisasjonen for å registrere en utfyller eller den første med "
                "signaturrett; velg embetet for å invitere en ansatt."),
        }

    def clean(self):
        data = super().clean()
        organisation, office, role = data.get("organisation"), data.get("office"), data.get("role")
        if bool(organisation) == bool(office):
            raise forms.ValidationError(_("Velg enten en organisasjon eller et embete."))
        if organisation and role not in MembershipRole.values:
            self.add_error("role", _("Velg utfyller eller signaturberettiget for en organisasjon."))
        if office and role not in OfficeRole.values:
            self.add_error("role", _("Velg en rolle ved embetet."))
        return data


@admin.register(Invitation)
class InvitationAdmin(Select2Languages, admin.ModelAdmin):
    form = InvitationForm
    list_display = ["email", "organisation", "office", "role_label", "status_label",
                    "created_at", "expires_at"]
    list_select_related = ["organisation", "office"]
    search_fields = ["email", "organisation__name"]
    autocomplete_fields = ["organisation"]
    actions = ["revoke"]

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        office = admin_office(request)
        if office is None:
            return qs.none()
        return qs.filter(Q(organisation__county__office=office) | Q(office=office))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        office = admin_office(request)
        if not request.user.is_superuser:
            if db_field.name == "organisation":
                kwargs["queryset"] = Organisation.objects.filter(county__office=office)
            if db_field.name == "office":
                kwargs["queryset"] = Office.objects.filter(
                    pk=office.pk if office and access.may_manage_staff(request.user, office)
                    else None)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_module_permission(self, request):
        return request.user.is_active and (
            request.user.is_superuser or admin_office(request) is not None)

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        invitation, _token = access_services.invitation_create(
            email=form.cleaned_data["email"], role=form.cleaned_data["role"], by=request.user,
            organisation=form.cleaned_data["organisation"], office=form.cleaned_data["office"])
        obj.pk = invitation.pk

    def add_view(self, request, form_url="", extra_context=None):
        try:
            return super().add_view(request, form_url, extra_context)
        except ServiceError as error:
            self.message_user(request, error.message, messages.ERROR)
            return self.response_post_save_add(request, None)

    @admin.action(description=gettext_lazy("Trekk tilbake valgte invitasjoner"))
    def revoke(self, request, queryset):
        for invitation in queryset:
            try:
                access_services.invitation_revoke(invitation=invitation, by=request.user)
            except ServiceError as error:
                self.message_user(request, f"{invitation.email}: {error.message}",
                                  messages.ERROR)


@admin.register(OfficeMembership)
class OfficeStaffAdmin(NoWritesAdmin, OfficeScopedAdmin):
    """Who works at the office, since when; the administrator changes roles and removes."""

    office_path = "office"
    list_display = ["user", "office", "role", "since"]
    list_select_related = ["user", "office"]
    list_filter = ["role"]
    search_fields = ["user__email", "user__full_name"]
    actions = ["make_caseworker", "make_approver", "make_administrator", "remove"]

    def get_actions(self, request):
        office = admin_office(request)
        if request.user.is_superuser or (office and access.may_manage_staff(request.user, office)):
            return super().get_actions(request)
        return {}

    def _each(self, request, queryset, call) -> None:
        for membership in queryset.select_related("user", "office"):
            try:
                call(membership)
            except ServiceError as error:
                self.message_user(request, f"{membership.user}: {error.message}",
                                  messages.ERROR)

    def _role(self, request, queryset, role):
        self._each(request, queryset, lambda m: access_services.staff_change_role(
            membership=m, role=role, by=request.user))

    @admin.action(description=gettext_lazy("Gjør til saksbehandler"))
    def make_caseworker(self, request, queryset):
        self._role(request, queryset, OfficeRole.CASEWORKER)

    @admin.action(description=gettext_lazy("Gjør til godkjenner"))
    def make_approver(self, request, queryset):
        self._role(request, queryset, OfficeRole.APPROVER)

    @admin.action(description=gettext_lazy("Gjør til embetsadministrator"))
    def make_administrator(self, request, queryset):
        self._role(request, queryset, OfficeRole.ADMINISTRATOR)

    @admin.action(description=gettext_lazy("Fjern tilgangen til embetet"))
    def remove(self, request, queryset):
        self._each(request, queryset, lambda m: access_services.staff_remove(
            membership=m, by=request.user))
