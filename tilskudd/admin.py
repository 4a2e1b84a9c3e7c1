from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import BaseInlineFormSet
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modeltranslation.admin import TranslationAdmin

from . import services
from .admin_formsets import formset_changes
from .admin_inlines import TabularInline
from .admin_scoping import NationalReadOnlyAdmin, OfficeReferenceAdmin, OfficeScopedAdmin
from .admin_select2 import Select2Languages
from .models import (
    County,
    Membership,
    Office,
    OfficeMembership,
    Organisation,
    Round,
    Scheme,
    User,
)

admin.site.site_header = _("Tilskudd – saksbehandling")
admin.site.site_title = pgettext_lazy("the portal's name", "Tilskudd")
admin.site.index_title = _("Statsforvalterens arbeidsflate")


@admin.register(Office)
class OfficeAdmin(OfficeReferenceAdmin):
    office_path = "pk"
    list_display = ["name", "short_name", "email", "default_written_language"]
    search_fields = ["name"]


@admin.register(County)
class CountyAdmin(OfficeReferenceAdmin):
    office_path = "office"
    list_display = ["number", "name", "office"]
    list_select_related = ["office"]
    list_filter = ["office"]


@admin.register(Organisation)
class OrganisationAdmin(OfficeScopedAdmin):
    office_path = "county__office"
    list_display = [
        "name", "kind", "org_number", "municipality_number", "county", "is_rural_district",
        "written_language",
    ]
    list_select_related = ["county"]
    list_filter = ["kind", "is_rural_district", "written_language", "county"]
    search_fields = ["name", "org_number", "municipality_number"]
    ordering = ["name"]

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return []
        # Office staff maintain what they know locally; identity fields are national.
        return ["kind", "name", "municipality_number", "county"]

    def save_model(self, request, obj, form, change):
        if change:
            services.organisation_update(
                organisation=obj, user=request.user,
                **{name: form.cleaned_data[name] for name in form.changed_data},
            )
        else:
            services.organisation_create(organisation=obj, user=request.user)


@admin.register(Scheme)
class SchemeAdmin(TranslationAdmin, NationalReadOnlyAdmin):
    """The name and rules summary in bokmål, nynorsk and English (tilskudd/translation.py):
    bokmål is required, an empty one reads as bokmål. Superusers edit, others read."""

    list_display = ["code", "name_nb", "name_nn", "name_en", "budget_chapter"]
    fields = ["code", "name", "budget_chapter", "rules_text", "rules_url", "eligible_kinds"]


@admin.register(Round)
class RoundAdmin(NationalReadOnlyAdmin):
    list_display = ["__str__", "opens_at", "application_deadline", "change_deadline",
                    "reporting_deadline"]
    list_select_related = ["scheme"]
    list_filter = ["scheme"]


class KeepsTheLastFormSet(BaseInlineFormSet):
    """A user's memberships as the admin edits them: removing or changing one that the
    services would refuse (an organisation's last signatory, an office's last
    administrator) is an error on the page, in its language, so nothing on it is saved."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        changed, deleted = formset_changes(self)[1:]
        for form, data in [(f, None) for f in deleted] + [(f, f.cleaned_data) for f in changed]:
            refusal = self.loss_refusal(self.model.objects.get(pk=form.instance.pk), data)
            if refusal is not None:
                raise ValidationError(refusal.message, code=refusal.code)


class MembershipFormSet(KeepsTheLastFormSet):
    @staticmethod
    def loss_refusal(stored, data):
        kept = data is not None and data["organisation"].pk == stored.organisation_id
        return services.membership_loss_refusal(
            membership=stored, role=data["role"] if kept else None)


class OfficeMembershipFormSet(KeepsTheLastFormSet):
    @staticmethod
    def loss_refusal(stored, data):
        return services.office_membership_loss_refusal(
            membership=stored, **({"office": data["office"], "role": data["role"]} if data else {}))


class MembershipInline(Select2Languages, TabularInline):
    model = Membership
    formset = MembershipFormSet
    extra = 0
    autocomplete_fields = ["organisation"]


class OfficeMembershipInline(admin.StackedInline):
    model = OfficeMembership
    formset = OfficeMembershipFormSet
    extra = 0


class UserChangeForm(DjangoUserAdmin.form):
    def clean_is_active(self):
        """Unticking «active» on an organisation's last signatory or an office's last
        administrator is an error on the page, as removing them is (the services refuse)."""
        active = self.cleaned_data["is_active"]
        refusal = (services.deactivation_refusal(user=self.instance)
                   if self.initial.get("is_active") and not active else None)
        if refusal is not None:
            raise ValidationError(refusal.message, code=refusal.code)
        return active


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserChangeForm
    ordering = ["email"]
    list_display = ["email", "full_name", "sign_in_method", "is_staff", "is_directorate",
                    "is_active"]
    search_fields = ["email", "full_name"]
    readonly_fields = ["sign_in_method"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Person"), {"fields": ("full_name", "sign_in_method")}),
        (
            _("Tilganger"),
            {"fields": ("is_active", "is_staff", "is_superuser", "is_directorate", "groups")},
        ),
        (_("Datoer"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "full_name", "password1", "password2")}),
    )
    inlines = [OfficeMembershipInline, MembershipInline]

    def has_module_permission(self, request):
        return request.user.is_superuser

    @admin.display(description=_("Logger inn med"))
    def sign_in_method(self, user):
        """An account that came through ID-porten has no password to reset here."""
        return _("ID-porten") if user.pid_hash else _("e-post og passord")

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def save_model(self, request, obj, form, change):
        services.user_save(user=obj, by=request.user)

    @method_decorator(transaction.atomic)
    def user_change_password(self, request, id, form_url=""):
        """Django's password page saves the user itself; a new password is audited."""
        stored = User.objects.filter(pk=unquote(id)).values_list("password", flat=True)
        before = stored.first()
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and before is not None and stored.first() != before:
            services.user_password_changed(user=User.objects.get(pk=unquote(id)),
                                           by=request.user)
        return response

    def save_formset(self, request, form, formset, change):
        """Memberships are granted and revoked through the services (audited)."""
        new, changed, deleted = formset_changes(formset)
        if formset.model is Membership:
            _save_memberships(request, form.instance, new, changed, deleted)
        elif formset.model is OfficeMembership:
            _save_office_memberships(request, form.instance, new, changed, deleted)
        else:
            formset.save()


def _save_memberships(request, user, new, changed, deleted) -> None:
    for f in deleted:
        services.membership_revoke(membership=Membership.objects.get(pk=f.instance.pk),
                                   revoked_by=request.user)
    for f in changed:
        stored = Membership.objects.get(pk=f.instance.pk)
        if stored.organisation_id != f.cleaned_data["organisation"].pk:
            services.membership_revoke(membership=stored, revoked_by=request.user)
    for f in changed + new:
        f.instance = services.membership_grant(
            organisation=f.cleaned_data["organisation"], user=user,
            role=f.cleaned_data["role"], granted_by=request.user,
        )


def _save_office_memberships(request, user, new, changed, deleted) -> None:
    for f in deleted:
        services.office_membership_revoke(
            membership=OfficeMembership.objects.get(pk=f.instance.pk), revoked_by=request.user)
    for f in changed + new:
        f.instance = services.office_membership_grant(
            office=f.cleaned_data["office"], user=user, role=f.cleaned_data["role"],
            granted_by=request.user,
        )


from . import (  # noqa: E402, F401 (their admins)
    audit_admin,
    axes_admin,
    budget_admin,
    invitation_admin,
    outbox_admin,
)
