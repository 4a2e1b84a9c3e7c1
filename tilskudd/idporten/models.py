from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class IdportenSession(models.Model):
    """Which of our sessions belongs to an ID-porten session (`sid`), so the front-channel
    logout ID-porten calls (without our cookie) can end it."""

    sid = models.CharField(_("ID-porten-sesjon"), max_length=255, db_index=True)
    session_key = models.CharField(_("sesjonsnøkkel"), max_length=40, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="idporten_sessions"
    )
    created_at = models.DateTimeField(_("opprettet"), default=timezone.now)

    class Meta:
        verbose_name = _("ID-porten-sesjon")
        verbose_name_plural = _("ID-porten-sesjoner")

    def __str__(self) -> str:
        return f"{self.user} ({self.created_at:%Y-%m-%d %H:%M})"
