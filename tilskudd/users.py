"""The user: a person who signs in with their e-mail address (or ID-porten), with the
language they chose for the portal's pages. Importable from tilskudd.models too."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from .models import Office


class UserManager(BaseUserManager):
    """Every address is stored lower-case (here, the admin's forms through User.clean,
    ID-porten's and the invitations' services); sign-in finds it however it is typed."""

    use_in_migrations = True

    def get_by_natural_key(self, username):
        """The user with this e-mail address in any capitals, spaces around it ignored:
        «Kari@Example.no » signs in as kari@example.no (ModelBackend, the admin's sign-in,
        createsuperuser's check that the address is free). Looked up lower-case first, as
        addresses are stored (the unique index); an older row with capitals is found too,
        and two rows that differ only in capitals are nobody (no sign-in, not a 500)."""
        address = (username or "").strip()
        try:
            return self.get(email=address.lower())
        except self.model.DoesNotExist:
            try:
                return self.get(email__iexact=address)
            except self.model.MultipleObjectsReturned:
                raise self.model.DoesNotExist from None

    async def aget_by_natural_key(self, username):
        from asgiref.sync import sync_to_async

        return await sync_to_async(self.get_by_natural_key)(username)

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("E-post må oppgis.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person who logs in with their e-mail address."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("e-post"), unique=True)
    full_name = models.CharField(_("fullt navn"), max_length=150)
    is_directorate = models.BooleanField(
        _("Helsedirektoratet (lesetilgang)"),
        default=False,
        help_text=_("Nasjonal lesetilgang til alle embeters data."),
    )
    # ID-porten: HMAC-SHA256 of the pid with IDPORTEN_PID_KEY; the pid itself is never stored
    pid_hash = models.CharField(
        _("ID-porten-nøkkel"), max_length=64, unique=True, null=True, blank=True, editable=False
    )
    email_verified_at = models.DateTimeField(_("e-post bekreftet"), null=True, blank=True)
    #: The portal's language this person chose (tilskudd.language_views); blank: not chosen.
    language = models.CharField(_("språk"), max_length=8, choices=settings.LANGUAGES,
                                blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    objects = UserManager()

    class Meta:
        ordering = ["email"]
        verbose_name = _("bruker")
        verbose_name_plural = _("brukere")

    def __str__(self) -> str:
        return self.full_name or self.email

    def clean(self):
        """The admin's add and change forms store the address lower-case too, before the
        check that it is free (so «KARI@example.no» is refused as taken, not a 500)."""
        super().clean()
        self.email = self.email.strip().lower()

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def staff_office(self) -> Office | None:
        """The office this user works for, if they are office staff (tilskudd.access)."""
        from .access import office_for

        return office_for(self)
