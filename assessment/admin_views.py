"""The admin pages of assessment that are more than a change form: the assessment of one
application (lines, scores, notes, the four-eyes steps, letters, history), the pot, and
the Excel export. Thin: they bind forms and call services."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.selectors import application_content
from tilskudd.carryover import carryover_for
from tilskudd.documents.responses import document_download
from tilskudd.errors import ServiceError
from tilskudd.gates import submission_gates

from . import rules, services
from .cases import (
    application_for_case,
    case_for,
    case_lines,
    last_withdrawal,
    lines_behind,
    markers_for,
    office_staff,
    staff_membership,
)
from .documents import line_label
from .excel import round_workbook
from .forms import CaseForm, CommentForm, LineForm
from .grant_changes import grant_changes
from .history import case_events, case_history, status_changes
from .models import CRITERION_CHOICES, Part
from .pot import budget_for, pot_summary

ACTIONS = ("_save", "_recommend", "_approve", "_return", "_letter")


def _not_found(model_admin, request, object_id):
    return model_admin._get_obj_does_not_exist_redirect(request, model_admin.opts, object_id)


def case_view(model_admin, request, object_id):
    """The assessment of one application. Reading it writes nothing: office staff open the
    case with a POST («Start vurdering»), and the lines follow the application in the
    POSTs that change the case; the directorate and superusers only read."""
    found = model_admin.get_object(request, object_id)
    if found is None:
        return _not_found(model_admin, request, object_id)
    application = application_for_case(found.pk)
    office = application.organisation.county.office
    membership = staff_membership(request.user)
    may_work = membership is not None and membership.office_id == office.pk
    assessment = case_for(application)
    if request.method == "POST":
        if not may_work:
            raise PermissionDenied
        if "_open" in request.POST:
            services.assessment_open(application=application, user=request.user)
            messages.success(request, _("Saken er åpnet. Du kan begynne vurderingen."))
            return redirect(request.get_full_path())
        if assessment is None:
            raise ServiceError(_("Saken er ikke åpnet ennå. Trykk «Start vurdering» først."),
                               "not_opened")
        action = next((a for a in ACTIONS if a in request.POST), "_save")
        response = _handle_post(request, assessment, action, office)
        if response is not None:
            return response
        assessment.refresh_from_db()
    return _render_case(model_admin, request, application, assessment, membership, may_work,
                        bound=request.POST if request.method == "POST" else None)


def _line_forms(assessment, data=None) -> list[LineForm]:
    return [LineForm(data, line=la, label=line_label(la)) for la in case_lines(assessment)]


def _handle_post(request, assessment, action, office):
    """Run the step and redirect (post/redirect/get). A refused save or recommendation
    shows the page again with what was entered (None); any other refusal is answered by
    tilskudd.errors.ServiceErrorMiddleware: its message, back on this page."""
    here = request.get_full_path()
    if action in ("_save", "_recommend"):
        return _save(request, assessment, action, office)
    comment = CommentForm(request.POST)
    text = comment.cleaned_data["comment"] if comment.is_valid() else ""
    if action == "_approve":
        services.assessment_approve(assessment=assessment, user=request.user, comment=text)
        messages.success(request, _("Innstillingen er godkjent. Vedtaket er fattet."))
    elif action == "_return":
        services.assessment_return(assessment=assessment, user=request.user, comment=text)
        messages.success(request, _("Innstillingen er sendt tilbake til saksbehandleren."))
    elif action == "_letter":
        letter = services.letter_generate(assessment=assessment, user=request.user)
        messages.success(request, _("Brevet (versjon %(v)d) lages nå. Søkeren får e-post.")
                         % {"v": letter.version})
    return redirect(here)


def _save(request, assessment, action, office):
    case_form = CaseForm(request.POST, staff=office_staff(office))
    forms = _line_forms(assessment, request.POST)
    comment = CommentForm(request.POST)
    if not (case_form.is_valid() and comment.is_valid() and all(f.is_valid() for f in forms)):
        messages.error(request, _("Skjemaet har feil som må rettes."))
        return None
    try:
        with transaction.atomic():
            if case_form.cleaned_data["assigned_to"] != assessment.assigned_to:
                services.assessment_assign(assessment=assessment, user=request.user,
                                           assignee=case_form.cleaned_data["assigned_to"])
            services.assessment_save(
                assessment=assessment, user=request.user,
                lines=[f.to_input() for f in forms],
                internal_notes=case_form.cleaned_data["internal_notes"],
            )
        if action == "_recommend":  # what was saved stays saved if this is refused
            services.assessment_recommend(assessment=assessment, user=request.user,
                                          comment=comment.cleaned_data["comment"])
    except ServiceError as exc:
        messages.error(request, exc.message)
        return None
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return None
    if action == "_save":
        messages.success(request, _("Vurderingen er lagret."))
    else:
        messages.success(request, _("Innstillingen er sendt til godkjenning."))
    return redirect(request.get_full_path())


def _render_case(model_admin, request, application, assessment, membership, may_work, bound):
    office = application.organisation.county.office
    editable = bool(may_work and assessment and assessment.is_editable)
    if assessment is not None:
        line_forms = _line_forms(assessment, bound if editable else None)
        case_form = CaseForm(bound if editable else None, staff=office_staff(office),
                             initial={"assigned_to": assessment.assigned_to_id,
                                      "internal_notes": assessment.internal_notes})
    else:
        line_forms, case_form = [], None
    if not editable:
        for form in [*line_forms, *([case_form] if case_form else [])]:
            for field in form.fields.values():
                field.disabled = True
    parts = [
        (label, [f for f in line_forms if f.line.part == part]) for part, label in Part.choices
    ]
    budget = budget_for(office=office, round=application.round)
    may_approve = bool(
        may_work and membership.may_approve and assessment is not None
        and assessment.recommended_by_id != request.user.pk
    )
    submission = application.submissions.filter(withdrawn_at__isnull=True).first()
    letters = list(assessment.letters.order_by("-version")) if assessment else []
    # An overdue report of the applicant's stops a new application (or warns): the
    # office is told before it decides (tilskudd.gates, which reporting fills in).
    report_warnings = [gate.message for gate in submission_gates(application.organisation,
                                                                   application.round)]
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": _("Vurdering: %(org)s") % {"org": application.organisation.name},
        "application": application,
        "submission": submission,
        "content": application_content(application),
        "assessment": assessment,
        "markers": markers_for(application).labels(),
        "report_warnings": report_warnings,
        "withdrawal": last_withdrawal(application),
        "carryover": carryover_for(application.organisation_id, application.round),
        "parts": [(label, forms) for label, forms in parts if forms],
        "case_form": case_form,
        "comment_form": CommentForm(),
        "editable": editable,
        "lines_behind": editable and lines_behind(application, [f.line for f in line_forms]),
        "max_score": rules.MAX_SCORE,
        "max_total": rules.MAX_SCORE * len(CRITERION_CHOICES),
        "may_work": may_work,
        "may_approve": may_approve,
        # the box shows the whole pot's recommended: a change request moves none of it
        "summary": pot_summary(budget, changes_recommended=False) if budget else None,
        "events": case_events(assessment),
        "history": case_history(application, assessment),
        "status_changes": status_changes(application),
        "letters": letters,
        "changes": grant_changes(application.pk, [(f.line, f.label) for f in line_forms])
        if assessment is not None and assessment.is_decided and assessment.is_grant else None,
        "acceptance": getattr(assessment, "acceptance", None) if assessment else None,
        "letter_url_name": "admin:assessment_submittedapplication_letter",
        "changelist_url": reverse("admin:assessment_submittedapplication_changelist"),
        "pot_url": reverse("admin:assessment_pot_change", args=[budget.pk]) if budget else "",
    }
    return TemplateResponse(request, "assessment/admin/case.html", context)


def letter_download(model_admin, request, object_id, letter_id):
    found = model_admin.get_object(request, object_id)
    if found is None:
        raise Http404
    assessment = case_for(found)
    letter = assessment.letters.filter(pk=letter_id).first() if assessment else None
    return document_download(letter, as_attachment=False, user=request.user)


def pot_view(model_admin, request, object_id):
    budget = model_admin.get_object(request, object_id)
    if budget is None:
        return _not_found(model_admin, request, object_id)
    summary = pot_summary(budget)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": _("Ramme og forbruk: %(office)s %(year)s")
        % {"office": budget.office.short_name, "year": budget.round.year},
        "budget": budget,
        "summary": summary,
        "excel_url": reverse("admin:assessment_pot_excel", args=[budget.pk]),
        "changelist_url": reverse("admin:assessment_pot_changelist"),
        "cases_url": reverse("admin:assessment_submittedapplication_changelist")
        + f"?round__id__exact={budget.round_id}",
    }
    return TemplateResponse(request, "assessment/admin/pot.html", context)


def pot_excel(model_admin, request, object_id):
    budget = model_admin.get_object(request, object_id)
    if budget is None:
        raise Http404
    content = round_workbook(budget)
    filename = (f"tildeling-{budget.office.code}-{budget.round.year}-"
                f"{timezone.localdate():%Y%m%d}.xlsx")
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
