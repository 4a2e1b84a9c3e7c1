"""The outbox in the admin, for superusers: read-only, filtered by status, and an action
that sends failed e-mails again."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .admin_scoping import ReadOnlyAdmin
from .outbox import EmailStatus, OutboundEmail, email_resend


@admin.register(OutboundEmail)
class OutboundEmailAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "subject", "recipients", "kind", "status", "attempts",
                    "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["subject", "reference"]
    date_hierarchy = "created_at"
    actions = ["resend"]

    @admin.display(description=_("mottakere"))
    def recipients(self, obj: OutboundEmail) -> str:
        return ", ".join(obj.to)

    def has_resend_permission(self, request):
        return self.may_read(request)

    @admin.action(description=_("Send valgte feilede e-poster på nytt"), permissions=["resend"])
    def resend(self, request, queryset):
        failed = list(queryset.filter(status=EmailStatus.FAILED))
        if not failed:
            self.message_user(request, _("Ingen av de valgte e-postene har feilet."),
                              messages.WARNING)
            return
        for email in failed:
            email_resend(email=email, user=request.user)
        self.message_user(request, ngettext(
            "%(n)d e-post sendes på nytt.", "%(n)d e-poster sendes på nytt.", len(failed)
        ) % {"n": len(failed)}, messages.SUCCESS)
