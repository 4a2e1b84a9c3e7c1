"""The audit trail in the admin: read-only, for superusers and the directorate, filtered
by action and date, each row showing who, when, on what, and the values before and after."""

from __future__ import annotations

import json

from django.contrib import admin
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from .admin_filters import ChoicesFilter
from .admin_scoping import ReadOnlyAdmin
from .audit import AuditAction, AuditEvent


class ActionFilter(ChoicesFilter):
    title = _("handling")
    parameter_name = "action"
    text_choices = AuditAction
    field = "action"


def _values(values: dict) -> str:
    if not values:
        return "–"
    return format_html(
        "<dl class=\"audit-values\">{}</dl>",
        format_html_join("", "<dt>{}</dt><dd>{}</dd>", (
            (name, value if isinstance(value, str) else json.dumps(value, ensure_ascii=False))
            for name, value in values.items()
        )),
    )


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor", "action_name", "target_type", "target_id", "before_values",
                    "after_values"]
    list_select_related = ["actor", "target_type"]
    list_filter = [ActionFilter, ("at", admin.DateFieldListFilter)]
    date_hierarchy = "at"
    search_fields = ["actor__email"]
    fields = ["at", "actor", "action_name", "target_type", "target_id", "before_values",
              "after_values", "data"]
    readonly_fields = fields

    @admin.display(description=_("handling"), ordering="action")
    def action_name(self, obj: AuditEvent) -> str:
        return obj.action_label

    @admin.display(description=_("før"))
    def before_values(self, obj: AuditEvent) -> str:
        return _values(obj.before)

    @admin.display(description=_("etter"))
    def after_values(self, obj: AuditEvent) -> str:
        return _values(obj.after)

    def may_read(self, request) -> bool:
        user = request.user
        return user.is_active and (user.is_superuser or user.is_directorate)
