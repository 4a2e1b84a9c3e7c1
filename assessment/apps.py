from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "assessment"
    verbose_name = _("Vurdering og tildeling")

    def ready(self) -> None:
        from tilskudd.archive import register_archive_provider
        from tilskudd.budgets import register_budget_floor
        from tilskudd.gates import register_withdrawal_gate
        from tilskudd.inbox import register_inbox_provider, register_office_provider
        from tilskudd.status import Stage, register_stage_provider

        from .archive import letter_documents
        from .inbox import decision_events, letter_items, office_items
        from .selectors import approved_by_bucket, withdrawal_stops
        from .status import case_stages

        # letters are made for a decided case, which is in assessment (or further) first
        register_archive_provider(letter_documents, from_stage=Stage.IN_ASSESSMENT)
        register_withdrawal_gate(withdrawal_stops)
        register_budget_floor(approved_by_bucket)
        register_stage_provider(case_stages)
        register_inbox_provider(items=letter_items, events=decision_events)
        register_office_provider(office_items)
