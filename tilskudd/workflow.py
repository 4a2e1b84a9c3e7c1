"""Status changes, once for every app (Oscar's `set_status` with a history table).

Each app keeps its own history table (a subclass of `HistoryEntry` with a foreign key to
what it records) and its own allowed moves, and declares them in one `Workflow`:

    APPLICATION_WORKFLOW = Workflow(
        history=StatusChange, subject="application", allowed=ALLOWED_TRANSITIONS,
        action=AuditAction.APPLICATION_STATUS,
        refusal=gettext_lazy("Søknaden kan ikke gå fra «%(from)s» til «%(to)s»."),
    )

`APPLICATION_WORKFLOW.transition(application, to, by=user, note=...)` refuses a move the
workflow lacks (ServiceError "illegal_transition"), saves the object after `full_clean`
(with whatever else the caller set on it), writes the history row and one typed audit row
with the status before and after.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .audit import _plain
from .errors import ServiceError
from .fields import acting_user


def status_fields(
    choices: type[models.TextChoices] | None = None, *, blank: bool = False
) -> tuple[models.CharField, models.CharField]:
    """A history's `from_status` and `to_status`, with the app's status choices:
    `from_status, to_status = status_fields(ReportStatus)` in a HistoryEntry subclass.
    The first entry of an object has no status before it, so `from_status` may be blank;
    `blank=True` lets `to_status` be blank too (a history that also records steps that keep
    the status)."""
    extra = {"choices": choices.choices} if choices is not None else {}
    return (
        models.CharField(_("fra status"), max_length=16, blank=True, **extra),
        models.CharField(_("til status"), max_length=16, blank=blank, **extra),
    )


class HistoryEntry(models.Model):
    """Abstract: one step in an object's life. Subclasses add the foreign key to the object
    and may redeclare `from_status`/`to_status` with their own choices (status_fields)."""

    from_status, to_status = status_fields()
    by = acting_user(_("utført av"))
    at = models.DateTimeField(_("tidspunkt"), default=timezone.now)
    note = models.TextField(_("merknad"), blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


class EditableByStatus(models.Model):
    """Abstract, for a model whose status says whether it may still be changed:
    `is_editable` while the status is one of the model's `editable_statuses` (what
    `require_editable`, the Excel import and the pages ask). An abstract model, not a plain
    mixin, so the models' migration state keeps `bases=(models.Model,)`: a plain class
    would be written into their CreateModel if the migrations were ever made again."""

    editable_statuses: ClassVar[Collection[str]]

    class Meta:
        abstract = True

    @property
    def is_editable(self) -> bool:
        return self.status in self.editable_statuses


def require_editable(obj: models.Model, refusal: str) -> None:
    """ServiceError `not_editable` unless `obj.is_editable` (its status allows changes);
    `refusal` is the app's sentence, naming the status as %(status)s."""
    if not obj.is_editable:
        _refuse(obj, refusal, "not_editable")


def require_status(obj: models.Model, status: str, refusal: str, code: str) -> None:
    """ServiceError `code` unless `obj` is in `status` (a service that acts only there);
    `refusal` is the app's sentence, naming the status it is in as %(status)s."""
    if obj.status != status:
        _refuse(obj, refusal, code)


def _refuse(obj: models.Model, refusal: str, code: str) -> None:
    raise ServiceError(refusal % {"status": obj.get_status_display().lower()}, code)


@dataclass(frozen=True)
class Workflow:
    #: the history model (a HistoryEntry subclass)
    history: type[models.Model]
    #: the name of the history model's foreign key to the object
    subject: str
    #: status -> the statuses it may move to
    allowed: Mapping[str, set[str] | frozenset[str]]
    #: the typed audit action written for every move
    action: str
    #: the refusal, with %(from)s and %(to)s
    refusal: Any
    #: the object's status choices (for the labels in the refusal)
    status_choices: type[models.TextChoices] | None = None
    #: the field holding the status
    status_field: str = "status"

    def can_move(self, current: str, to: str) -> bool:
        return to in self.allowed.get(current, ())

    def _label(self, value: str) -> str:
        if self.status_choices is not None:
            try:
                return str(self.status_choices(value).label)
            except ValueError:
                pass
        return value

    def transition(
        self, obj: models.Model, to: str, *, by, note: str = "",
        also_changed: Mapping[str, tuple[Any, Any]] | None = None,
        audit_data: Mapping[str, Any] | None = None, unchanged: Iterable[str] = (),
        **history_fields: Any,
    ) -> models.Model:
        """Move `obj` to `to`: refuse an illegal move, save, record history and audit.
        `also_changed` names other fields the caller set for this move, as
        {field: (before, after)}, for the audit row's before/after; `audit_data` is any
        other detail for it. `unchanged` names fields the caller read under the row's lock
        and left as they were: full_clean leaves out their checks (that a foreign key's
        row exists, that a unique constraint on them holds: a query each)."""
        from .services import audit  # services import models, which import this module

        current = getattr(obj, self.status_field)
        if not self.can_move(current, to):
            raise ServiceError(
                str(self.refusal) % {"from": self._label(current), "to": self._label(to)},
                "illegal_transition",
            )
        setattr(obj, self.status_field, to)
        if hasattr(obj, "updated_at"):
            obj.updated_at = timezone.now()
        obj.full_clean(exclude=list(unchanged) or None)
        obj.save()
        entry = self.history.objects.create(
            **{self.subject: obj}, from_status=current, to_status=to, by=by, note=note,
            **history_fields,
        )
        others = dict(also_changed or {})
        audit(
            actor=by, action=self.action, target=obj,
            before={self.status_field: str(current)}
            | {name: _plain(old) for name, (old, _new) in others.items()},
            after={self.status_field: str(to)}
            | {name: _plain(new) for name, (_old, new) in others.items()},
            **({"note": note} if note else {}), **dict(audit_data or {}),
        )
        return entry
