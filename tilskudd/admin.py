from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .admin_scoping import NationalReadOnlyAdmin, OfficeScopedAdmin
from .models import (
    County,
    Earmark,
    Membership,
    Office,
    OfficeBudget,
    OfficeMembership,
    Organisation,
    Round,
    Scheme,
    User,
)

admin.site.site_header = _("Tilskudd – saksbehandling")
admin.site.site_title = _("Tilskudd")
admin.site.index_title = _("Statsforvalterens arbeidsflate")


@admin.register(Office)
class OfficeAdmin(OfficeScopedAdmin):
    office_path = "pk"
    staff_may_change = False
    list_display = ["name", "short_name", "email"]
    search_fields = ["name"]


@admin.register(County)
class CountyAdmin(OfficeScopedAdmin):
    office_path = "office"
    staff_may_change = False
    list_display = ["number", "name", "office"]
    list_select_related = ["office"]
    list_filter = ["office"]


@admin.register(Organisation)
class OrganisationAdmin(OfficeScopedAdmin):
    office_path = "county__office"
    list_display = [
        "name", "kind", "org_number", "municipality_number", "county", "is_rural_district",
    ]
    list_select_related = ["county"]
    list_filter = ["kind", "is_rural_district", "county"]
    search_fields = ["name", "org_number", "municipality_number"]
    ordering = ["name"]

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return []
        # Office staff maintain what they know locally; identity fields are national.
        return ["kind", "name", "municipality_number", "county"]


class EarmarkInline(admin.TabularInline):
    model = Earmark
    extra = 0


@admin.register(OfficeBudget)
class OfficeBudgetAdmin(OfficeScopedAdmin):
    office_path = "office"
    staff_may_change = False
    list_display = ["office", "round", "pot"]
    list_select_related = ["office", "round__scheme"]
    list_filter = ["round", "office"]
    inlines = [EarmarkInline]


@admin.register(Scheme)
class SchemeAdmin(NationalReadOnlyAdmin):
    list_display = ["code", "name", "budget_chapter"]


@admin.register(Round)
class RoundAdmin(NationalReadOnlyAdmin):
    list_display = ["__str__", "opens_at", "application_deadline", "reporting_deadline"]
    list_select_related = ["scheme"]
    list_filter = ["scheme"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organisation"]


class OfficeMembershipInline(admin.StackedInline):
    model = OfficeMembership
    extra = 0


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_staff", "is_directorate", "is_active"]
    search_fields = ["email", "full_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Person"), {"fields": ("full_name",)}),
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

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser


from . import audit_admin, outbox_admin  # noqa: E402, F401 (register their admins)
