"""«Tilgang»: who acts for an organisation and since when; a signatory invites, changes
roles and removes people; anyone signed in accepts an invitation sent to them."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from . import access, access_services
from .errors import ServiceError, add_to_form
from .invitations import Invitation
from .models import Membership, MembershipRole, Organisation


class InviteForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("E-post til den du inviterer"))
    role = forms.ChoiceField(label=gettext_lazy("Rolle"), choices=MembershipRole.choices,
                             widget=forms.RadioSelect, initial=MembershipRole.EDITOR)


def _organisation_for(request: HttpRequest, organisation_id: int) -> Organisation:
    """The organisation if the user acts for it or may manage it, else 404."""
    organisation = get_object_or_404(
        Organisation.objects.select_related("county__office"), pk=organisation_id)
    user = request.user
    if not (access.is_member(user, organisation) or access.may_manage_members(user, organisation)):
        raise Http404
    return organisation


def _page(request, organisation, form=None, status=200) -> HttpResponse:
    may_manage = access.may_manage_members(request.user, organisation)
    return render(request, "access/organisation.html", {
        "organisation": organisation,
        "members": access.members_of(organisation),
        "invitations": Invitation.objects.pending().filter(organisation=organisation)
        .select_related("invited_by") if may_manage else [],
        "may_manage": may_manage,
        "form": form or InviteForm(),
        "roles": MembershipRole.choices,
    }, status=status)


@login_required
def organisation_page(request: HttpRequest, organisation_id: int) -> HttpResponse:
    return _page(request, _organisation_for(request, organisation_id))


@login_required
@require_POST
def invite(request: HttpRequest, organisation_id: int) -> HttpResponse:
    organisation = _organisation_for(request, organisation_id)
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            access_services.invitation_create(
                email=form.cleaned_data["email"], role=form.cleaned_data["role"],
                by=request.user, organisation=organisation)
        except ServiceError as error:
            if error.code == "not_signatory":  # no form on their page to show it on
                messages.error(request, error.message)
                return redirect("access:organisation", organisation.pk)
            add_to_form(form, error)
        else:
            messages.success(request, _("Invitasjonen er sendt til %(email)s.")
                             % {"email": form.cleaned_data["email"]})
            return redirect("access:organisation", organisation.pk)
    return _page(request, organisation, form=form, status=400)


def _membership(organisation: Organisation, pk: int) -> Membership:
    return get_object_or_404(Membership, pk=pk, organisation=organisation)


def _act(request, organisation, action, done: str) -> HttpResponse:
    try:
        action()
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return redirect("access:organisation", organisation.pk)


@login_required
@require_POST
def change_role(request: HttpRequest, organisation_id: int, pk: int) -> HttpResponse:
    organisation = _organisation_for(request, organisation_id)
    membership = _membership(organisation, pk)
    role = request.POST.get("role", "")
    return _act(request, organisation, lambda: access_services.member_change_role(
        membership=membership, role=role, by=request.user), _("Rollen er endret."))


@login_required
@require_POST
def remove(request: HttpRequest, organisation_id: int, pk: int) -> HttpResponse:
    organisation = _organisation_for(request, organisation_id)
    membership = _membership(organisation, pk)
    return _act(request, organisation, lambda: access_services.member_remove(
        membership=membership, by=request.user), _("Tilgangen er fjernet."))


@login_required
@require_POST
def revoke(request: HttpRequest, organisation_id: int, pk: int) -> HttpResponse:
    organisation = _organisation_for(request, organisation_id)
    invitation = get_object_or_404(Invitation, pk=pk, organisation=organisation)
    return _act(request, organisation, lambda: access_services.invitation_revoke(
        invitation=invitation, by=request.user), _("Invitasjonen er trukket tilbake."))


@login_required
def accept(request: HttpRequest, token: str) -> HttpResponse:
    """The invitation's page: what it gives and a button; a refusal says why."""
    try:
        invitation = access_services.invitation_by_token(token)
        refusal = access_services.invitation_refusal(invitation)
        if refusal is not None:
            raise refusal
        if request.method == "POST":
            access_services.invitation_accept(token=token, user=request.user)
            messages.success(request, _("Du har nå tilgang til %(name)s.")
                             % {"name": (invitation.organisation or invitation.office).name})
            if invitation.organisation_id:
                return redirect("access:organisation", invitation.organisation_id)
            return redirect("home")
    except ServiceError as error:
        return render(request, "refused.html", {
            "title": _("Invitasjonen kan ikke brukes"), "message": error.message,
            "back_url": reverse("home"), "back_text": _("Til forsiden"),
        }, status=400)
    return render(request, "access/accept.html", {
        "invitation": invitation, "name": (invitation.organisation or invitation.office).name,
        "inviter": invitation.invited_by,
    })
