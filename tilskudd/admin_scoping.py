"""The rule for the Django admin: office staff see only their own office's rows.

A ModelAdmin names the path from its model to an office (`office_path`); the mixin
filters the list, the change pages, search and actions through `get_queryset`, so a
row of another office is simply not found (404), whatever the URL says.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import admin
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path, reverse

from . import services
from .models import Office


def admin_office(request: HttpRequest) -> Office | None:
    return request.user.staff_office if request.user.is_authenticated else None


def is_national_reader(request: HttpRequest) -> bool:
    return request.user.is_authenticated and (
        request.user.is_superuser or request.user.is_directorate
    )


class OfficeScopedAdmin(admin.ModelAdmin):
    #: lookup from the model to its Office, e.g. "county__office"
    office_path: str = ""
    #: office staff may change these rows (False: view only)
    staff_may_change: bool = True

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser or request.user.is_directorate:
            return qs
        office = admin_office(request)
        if office is None:
            return qs.none()
        # The office's key, not the object: "pk" (Office itself) takes only a number.
        return qs.filter(**{self.office_path: office.pk})

    def _is_staff_member(self, request) -> bool:
        return admin_office(request) is not None

    def row_paths(self, *pages: tuple[str, Callable, str]) -> list[URLPattern]:
        """This admin's own pages about one row, each `(route, view, name)`: `<pk>/<route>`
        behind the admin's sign-in, named `<app>_<model>_<name>` (reversed as
        "admin:<app>_<model>_<name>")."""
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        wrap = self.admin_site.admin_view
        return [path(f"<int:pk>/{route}", wrap(view), name=f"{prefix}_{name}")
                for route, view, name in pages]

    def scoped_row(self, request: HttpRequest, pk: int, may: Callable | None = None):
        """The row if the user's office may see it (`get_queryset`) and `may(request, row)`
        holds where given, else 404, whatever the URL says."""
        obj = self.get_queryset(request).filter(pk=pk).first()
        if obj is None or (may is not None and not may(request, obj)):
            raise Http404
        return obj

    def change_url(self, obj) -> str:
        """The row's change page, where an action's page goes back to."""
        return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
                       args=[obj.pk])

    def object_page(self, request: HttpRequest, template: str, obj, **context) -> HttpResponse:
        """A page of this admin's own about one row (an action's form), in the admin's frame
        with the row as `original`."""
        return render(request, template, {
            **self.admin_site.each_context(request), "opts": self.model._meta,
            "original": obj, **context,
        })

    def has_module_permission(self, request):
        return request.user.is_active and (
            is_national_reader(request) or self._is_staff_member(request)
        )

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        if request.user.is_superuser:
            return True
        return self.staff_may_change and self._is_staff_member(request)

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class ReferenceDataAdmin(admin.ModelAdmin):
    """Saves through `services.reference_save`, so every change is audited."""

    def save_model(self, request, obj, form, change):
        services.reference_save(obj=obj, user=request.user)


class OfficeReferenceAdmin(OfficeScopedAdmin, ReferenceDataAdmin):
    """An office's reference data (the office, its counties): its staff read, superusers
    write (audited)."""

    staff_may_change = False


class NationalReadOnlyAdmin(ReferenceDataAdmin):
    """Shared reference data (schemes, rounds): office staff read, superusers write."""

    def has_module_permission(self, request):
        return request.user.is_active and (
            is_national_reader(request) or admin_office(request) is not None
        )

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class NoWritesAdmin:
    """Mixed in first: nobody adds, changes or deletes these rows in the admin's forms (they
    are written by services: the list's actions, or elsewhere)."""

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(NoWritesAdmin, admin.ModelAdmin):
    """A record nobody edits in the admin (the audit trail, the outbox); `may_read` says
    who sees it (superusers unless a subclass says otherwise)."""

    def may_read(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_module_permission(self, request):
        return self.may_read(request)

    def has_view_permission(self, request, obj=None):
        return self.may_read(request)
