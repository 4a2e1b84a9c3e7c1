"""The recipient ids the open data has published (PublishedRecipient), to look up which
id an organisation's grants carry there. Nobody edits them: the build writes each once and
its stability is their point. Superusers and the directorate see them all, office staff
those of their own office's organisations (tilskudd.admin_scoping)."""

from django.contrib import admin

from tilskudd.admin_scoping import NoWritesAdmin, OfficeScopedAdmin

from ..models import PublishedRecipient


@admin.register(PublishedRecipient)
class PublishedRecipientAdmin(NoWritesAdmin, OfficeScopedAdmin):
    office_path = "organisation__county__office"
    list_display = ["identifier", "organisation", "first_published_at"]
    list_select_related = ["organisation"]
    search_fields = ["identifier", "organisation__name", "organisation__org_number"]
    ordering = ["organisation__name"]
