"""Budgets in the admin: a pot and its earmarks are saved together through
`services.budget_update`, and its rule (not below what is granted, an earmark not above
the pot) is checked by the forms first, so a refusal shows next to the field and nothing
is saved."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.forms.models import BaseInlineFormSet

from . import services
from .admin_formsets import formset_changes
from .admin_inlines import TabularInline
from .admin_scoping import OfficeScopedAdmin
from .budgets import Earmark, EarmarkPlan, OfficeBudget, budget_refusals


class BudgetForm(forms.ModelForm):
    class Meta:
        model = OfficeBudget
        fields = ["round", "office", "pot"]

    def clean_pot(self):
        pot = self.cleaned_data["pot"]
        if pot is not None:
            for refusal in budget_refusals(self.instance, pot=pot, earmarks=[]):
                if refusal.field == "pot":
                    raise forms.ValidationError(refusal.message, code="below_granted")
        return pot


def _plan(form, *, delete: bool = False) -> EarmarkPlan:
    data = form.cleaned_data
    return EarmarkPlan(name=data.get("name", ""), key=data.get("key", ""),
                       amount=data.get("amount"), earmark=form.instance, delete=delete)


class EarmarkFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        budget = self.instance
        if any(self.errors) or budget.pot is None:
            return
        planned = [
            (form, _plan(form, delete=self._should_delete_form(form)))
            for form in self.forms
            if form.has_changed() or form.instance.pk
        ]
        refusals = budget_refusals(budget, pot=budget.pot, earmarks=[p for _, p in planned])
        for refusal in refusals:
            if refusal.index is not None:
                planned[refusal.index][0].add_error("amount", refusal.message)


class EarmarkInline(TabularInline):
    model = Earmark
    formset = EarmarkFormSet
    extra = 0


@admin.register(OfficeBudget)
class OfficeBudgetAdmin(OfficeScopedAdmin):
    office_path = "office"
    staff_may_change = False
    form = BudgetForm
    list_display = ["office", "round", "pot"]
    list_select_related = ["office", "round__scheme"]
    list_filter = ["round", "office"]
    inlines = [EarmarkInline]

    def save_model(self, request, obj, form, change):
        if not change:
            services.budget_create(budget=obj, user=request.user)
        # A change is saved in save_related, with its earmarks, in one service call.

    def save_related(self, request, form, formsets, change):
        plans = []
        for formset in formsets:
            new, changed, deleted = formset_changes(formset)
            plans += [_plan(f) for f in new + changed] + [_plan(f, delete=True) for f in deleted]
        services.budget_update(budget=form.instance, user=request.user,
                               pot=form.cleaned_data["pot"], earmarks=plans)
