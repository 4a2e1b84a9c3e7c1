from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("Rapportering")

    def ready(self) -> None:
        from tilskudd.archive import register_archive_provider
        from tilskudd.carryover import register_carryover_provider
        from tilskudd.figures import register_figures
        from tilskudd.gates import register_submission_gate
        from tilskudd.granted import register_current_grants, register_recommended_moves
        from tilskudd.inbox import register_inbox_provider, register_office_provider
        from tilskudd.status import Stage, register_stage_provider

        from .archive import report_documents
        from .changes.selectors import recommended_moves
        from .figures import report_figures
        from .gates import overdue_report_gate
        from .grants import approved_amounts
        from .inbox import report_events, report_items, review_items
        from .repayment_inbox import claim_items, funds_figures, letter_documents, office_items
        from .status import report_stages
        from .transfer_letters import transfer_documents
        from .transfers import decided_carryover

        register_submission_gate(overdue_report_gate)
        # reports, and the repayment claims on them, exist once a report is opened
        register_archive_provider(report_documents, from_stage=Stage.REPORT_DRAFT)
        # a report is opened on a grant only (reporting.services.report_open)
        register_stage_provider(report_stages, from_stage=Stage.GRANTED)
        register_inbox_provider(items=report_items, events=report_events)
        register_office_provider(review_items)
        register_figures("reporting", report_figures)
        register_figures("repayments", funds_figures)
        register_archive_provider(letter_documents, from_stage=Stage.REPORT_DRAFT)
        register_archive_provider(transfer_documents, from_stage=Stage.REPORT_DRAFT)
        register_inbox_provider(items=claim_items)
        register_office_provider(office_items)
        register_carryover_provider(decided_carryover)
        # an approved change request moves granted money between a grant's lines
        register_current_grants(approved_amounts)
        # a change recommended for approval would move it: the pot counts it as recommended
        register_recommended_moves(recommended_moves)

        from .changes.inbox import register as register_change_requests

        register_change_requests()
