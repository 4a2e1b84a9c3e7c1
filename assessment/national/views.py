"""The national view (/nasjonalt/): read-only figures of a round for the directorate
(every office) and for office staff (their own office only), and the national export
(the directorate only). Everyone else is refused (403)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from tilskudd.models import Office, User

from . import charts, tables
from .excel import export_filename, national_workbook
from .forms import FilterForm
from .selectors import national_view

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def is_national_reader(user: User) -> bool:
    return user.is_active and (user.is_directorate or user.is_superuser)


def own_office(user: User) -> Office | None:
    """None for the directorate (every office); the office of office staff; 403 else."""
    if is_national_reader(user):
        return None
    office = user.staff_office if user.is_active else None
    if office is None:
        raise PermissionDenied
    return office


def _export_url(request: HttpRequest) -> str:
    """The export of what the page shows (the same filters)."""
    query = request.GET.urlencode()
    return reverse("national:export") + (f"?{query}" if query else "")


@login_required
@require_GET
def national(request: HttpRequest) -> HttpResponse:
    office = own_office(request.user)
    form = FilterForm(request.GET or None, own_office=office)
    filters = form.filters()
    view = national_view(filters) if filters else None
    return render(request, "assessment/national/view.html", {
        "form": form,
        "own_office": office,
        "view": view,
        "tables": tables.tables(view) if view else [],
        "charts": charts.charts(view) if view else [],
        "comparison": tables.comparison_table(view) if view else None,
        "export_url": _export_url(request) if view and office is None else "",
    })


@login_required
@require_GET
def national_export(request: HttpRequest) -> HttpResponse:
    if not is_national_reader(request.user):
        raise PermissionDenied
    filters = FilterForm(request.GET or None).filters()
    if filters is None:
        raise PermissionDenied
    view = national_view(filters, with_previous=False)
    response = HttpResponse(national_workbook(view), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{export_filename(view)}"'
    return response
