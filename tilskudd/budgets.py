"""Each office's pot for a round and its earmarked parts, and the rule that keeps them above
what is already granted of them.

What is granted is the assessment app's to say: it registers a function in its
AppConfig.ready() (`register_budget_floor`), so tilskudd never imports the apps built on
it. The services that change a budget (`tilskudd.services.budget_update`) and the admin's
forms ask `budget_refusals` for the same answer."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .money import format_nok

ZERO = Decimal(0)
#: The floor's key for what is granted outside every earmark.
GENERAL = ""


class OfficeBudget(models.Model):
    """An office's pot for one round, which may hold named earmarked parts."""

    round = models.ForeignKey(
        "tilskudd.Round", on_delete=models.PROTECT, related_name="budgets",
        verbose_name=gettext_lazy("runde"),
    )
    office = models.ForeignKey(
        "tilskudd.Office", on_delete=models.PROTECT, related_name="budgets",
        verbose_name=gettext_lazy("embete"),
    )
    pot = models.DecimalField(
        gettext_lazy("ramme (kr)"), max_digits=14, decimal_places=0,
        validators=[MinValueValidator(0)],
    )

    class Meta:
        app_label = "tilskudd"
        ordering = ["round", "office"]
        verbose_name = gettext_lazy("ramme for embete")
        verbose_name_plural = gettext_lazy("rammer for embeter")
        constraints = [
            models.UniqueConstraint(fields=["round", "office"], name="budget_one_per_office_round"),
            models.CheckConstraint(condition=Q(pot__gte=0), name="budget_pot_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.office.short_name} {self.round.year}"


class Earmark(models.Model):
    budget = models.ForeignKey(OfficeBudget, on_delete=models.CASCADE, related_name="earmarks")
    name = models.CharField(gettext_lazy("navn"), max_length=120)
    key = models.SlugField(
        gettext_lazy("nøkkel"),
        max_length=40,
        help_text=gettext_lazy(
            "Hva den øremerkede delen gjelder, f.eks. «respite» for prosjekter om fleksible "
            "avlastningsmodeller."
        ),
    )
    amount = models.DecimalField(
        gettext_lazy("beløp (kr)"), max_digits=14, decimal_places=0,
        validators=[MinValueValidator(0)],
    )

    class Meta:
        app_label = "tilskudd"
        verbose_name = gettext_lazy("øremerket del")
        verbose_name_plural = gettext_lazy("øremerkede deler")
        constraints = [
            models.UniqueConstraint(fields=["budget", "name"], name="earmark_unique_name"),
            models.UniqueConstraint(fields=["budget", "key"], name="earmark_unique_key"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="earmark_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.name}: {self.amount}"


#: (budget, the earmark keys) -> what is granted of it, by earmark key and GENERAL.
BudgetFloor = Callable[[OfficeBudget, set[str]], dict[str, Decimal]]
_floors: list[BudgetFloor] = []


def register_budget_floor(floor: BudgetFloor) -> BudgetFloor:
    if floor not in _floors:
        _floors.append(floor)
    return floor


def granted_of(budget: OfficeBudget, earmark_keys: Iterable[str]) -> dict[str, Decimal]:
    """What every registered app has granted of the budget, by earmark key and GENERAL."""
    keys = set(earmark_keys)
    granted: dict[str, Decimal] = {}
    for floor in _floors:
        for key, amount in floor(budget, keys).items():
            granted[key] = granted.get(key, ZERO) + (amount or ZERO)
    return granted


@dataclass(frozen=True)
class EarmarkPlan:
    """One earmark as it is to be: `earmark` is the row it changes (None for a new one)."""

    name: str
    key: str
    amount: Decimal
    earmark: Earmark | None = None
    delete: bool = False


@dataclass(frozen=True)
class BudgetRefusal:
    """A broken budget rule: `field` is "pot" or "amount"; `index` the earmark's place in
    the plan (None for the pot)."""

    message: str
    field: str
    index: int | None = None


def budget_refusals(
    budget: OfficeBudget, *, pot: Decimal, earmarks: list[EarmarkPlan]
) -> list[BudgetRefusal]:
    """What stops the budget from having `pot` and `earmarks`: the pot may not be below what
    is granted of it, an earmark not above the pot nor below what is granted of it."""
    kept = [(index, plan) for index, plan in enumerate(earmarks) if not plan.delete]
    granted = granted_of(budget, {plan.key for _, plan in kept}) if budget.pk else {}
    refusals = []
    total = sum(granted.values(), ZERO)
    if pot < total:
        refusals.append(BudgetRefusal(_(
            "Rammen kan ikke settes lavere enn det som allerede er innvilget av den "
            "(%(granted)s)."
        ) % {"granted": format_nok(total)}, "pot"))
    for index, plan in kept:
        if plan.amount > pot:
            refusals.append(BudgetRefusal(_(
                "Den øremerkede delen «%(name)s» kan ikke være større enn rammen (%(pot)s)."
            ) % {"name": plan.name, "pot": format_nok(pot)}, "amount", index))
        elif plan.amount < granted.get(plan.key, ZERO):
            refusals.append(BudgetRefusal(_(
                "Den øremerkede delen «%(name)s» kan ikke settes lavere enn det som allerede "
                "er innvilget av den (%(granted)s)."
            ) % {"name": plan.name, "granted": format_nok(granted[plan.key])}, "amount", index))
    return refusals
