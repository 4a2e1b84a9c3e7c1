"""The cells of the caseworkers' list (issue 15): each column's HTML for a ListRow, escaped
and finished, as Django's admin shows what the column's method returns (a plain text
escaped, a blank one empty). The ModelAdmin's column methods give these marked safe, for
Django's rendering; the list's row writer (assessment/templatetags/admin_rows.py) puts
them in the row's cells as they are, without Django's per-cell lookups and escaping
(tests/assessment/test_admin_rows.py compares the two)."""

from __future__ import annotations

from html import escape

from django.contrib.admin import helpers
from django.utils import timezone
from django.utils.formats import date_format

from tilskudd.money import format_nok

from .admin_list import ListRow


def text(value: str) -> str:
    """A plain text as Django's list cell shows it: escaped, or empty if it is blank."""
    return escape(value) if value.strip() else ""


def checkbox_input(pk, label: str) -> str:
    """Django's row checkbox (the name, value, class and label the admin's actions script
    and a screen reader use); `label` is Django's, with the row's name escaped in it."""
    return (f'<input type="checkbox" name="{helpers.ACTION_CHECKBOX_NAME}" '
            f'value="{escape(str(pk))}" class="action-select" aria-label="{label}">')


def checkbox(row: ListRow) -> str:
    return checkbox_input(row.pk, row.texts.checkbox.format(escape(str(row))))


def reference(row: ListRow) -> str:
    return f'<span class="nowrap">{escape(row.reference or "–")}</span>'


def organisation(row: ListRow) -> str:
    """The name, and under it the kind and county (one column, so the list fits 1280 px)."""
    kind = row.texts.kinds.get(row.organisation_kind, row.organisation_kind)
    return (f'{escape(row.organisation_name)}<br><span class="help">{escape(kind)}, '
            f'{escape(row.county_name)}</span>')


def case_status(row: ListRow) -> str:
    texts = row.texts
    if row.is_withdrawn:
        return (f'{escape(texts.withdrawn)}<br><span class="help">'
                f'{escape(row.withdraw_reason or "")}</span>')
    if not row.has_assessment:
        return text(texts.not_started)
    if row.is_decided:
        return text(texts.outcomes.get(row.outcome, row.outcome))
    return text(texts.statuses.get(row.assessment_status, row.assessment_status))


def assigned(row: ListRow) -> str:
    return text(row.assigned_to or "–")


def amounts(row: ListRow) -> str:
    """Applied, recommended and granted in one compact column, one amount a line."""
    applied, recommended, granted = row.texts.amounts  # escaped once a page
    currency = row.texts.currency
    has_assessment = row.has_assessment
    shown = (
        format_nok(row.applied_total, currency=currency),
        format_nok(row.recommended_total, currency=currency) if has_assessment else "–",
        format_nok(row.granted_total, currency=currency) if row.is_decided else "–",
    )
    return (f'<span class="amounts">{applied} {escape(shown[0])}<br>{recommended} '
            f'{escape(shown[1])}<br>{granted} {escape(shown[2])}</span>')


def acceptance(row: ListRow) -> str:
    if not row.is_decided or not row.is_grant:
        return "–"
    if row.accepted_at is None:
        return f"<strong>{escape(row.texts.not_accepted)}</strong>"
    return text(row.texts.accepted % {
        "date": date_format(timezone.localtime(row.accepted_at), "SHORT_DATE_FORMAT")})


def markers(row: ListRow) -> str:
    has = (row.is_rural_district, row.has_mental_health, row.has_decentralised,
           row.has_supported_programme)
    return text(", ".join(label for label, shown in zip(row.texts.markers, has, strict=True)
                          if shown) or "–")
