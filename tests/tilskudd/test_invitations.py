"""Invitations and the people who act for an organisation: each write, and each refusal
with nothing changed (tilskudd.access_services)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.tilskudd.factories import (
    OrganisationFactory,
    UserFactory,
    member,
    office_staff,
    stavanger,
)
from tilskudd import access_services
from tilskudd.audit import AuditAction, AuditEvent
from tilskudd.errors import ServiceError
from tilskudd.invitations import Invitation, token_hash
from tilskudd.models import Membership, MembershipRole, OfficeMembership, OfficeRole
from tilskudd.outbox import OutboundEmail

pytestmark = pytest.mark.django_db


def _state():
    """Everything a refusal must leave as it was."""
    return (
        sorted(Membership.objects.values_list("user__email", "organisation_id", "role")),
        sorted(Invitation.objects.values_list("email", "role", "accepted_at", "revoked_at")),
        AuditEvent.objects.count(),
        OutboundEmail.objects.count(),
    )


def _refused(code, call):
    before = _state()
    with pytest.raises(ServiceError) as raised:
        call()
    assert raised.value.code == code
    assert _state() == before
    return raised.value


def test_a_signatory_invites_and_the_link_carries_a_token_stored_only_hashed():
    # given
    org = OrganisationFactory()
    signatory = member(org, MembershipRole.SIGNATORY, full_name="Siri Signatar")
    # when
    invitation, token = access_services.invitation_create(
        email="Ny.Kollega@Trondheim.kommune.no", role=MembershipRole.EDITOR, by=signatory,
        organisation=org)
    # then
    assert invitation.email == "ny.kollega@trondheim.kommune.no"
    assert invitation.token_hash == token_hash(token) != token
    assert invitation.expires_at - invitation.created_at == timedelta(days=7)
    email = OutboundEmail.objects.get()
    assert email.to == ["ny.kollega@trondheim.kommune.no"]
    assert f"/tilgang/invitasjon/{token}/" in email.body
    assert "Siri Signatar har invitert deg" in email.body
    assert list(AuditEvent.objects.values_list("action", "actor")) == [
        (AuditAction.INVITATION_CREATE, signatory.pk)]


def test_accepting_binds_the_role_to_whoever_accepts_and_uses_up_the_link():
    # given
    org = OrganisationFactory()
    signatory = member(org, MembershipRole.SIGNATORY)
    invitation, token = access_services.invitation_create(
        email="invitert@example.no", role=MembershipRole.SIGNATORY, by=signatory,
        organisation=org)
    accepter = UserFactory(email="annen.adresse@example.no")
    # when
    membership = access_services.invitation_accept(token=token, user=accepter)
    # then
    assert (membership.user, membership.organisation, membership.role) == (
        accepter, org, MembershipRole.SIGNATORY)
    invitation.refresh_from_db()
    assert invitation.accepted_by == accepter
    assert invitation.accepted_at is not None
    assert list(AuditEvent.objects.order_by("pk").values_list("action", flat=True)) == [
        AuditAction.INVITATION_CREATE, AuditAction.MEMBERSHIP_GRANT,
        AuditAction.INVITATION_ACCEPT]
    assert OutboundEmail.objects.order_by("pk").last().to == ["annen.adresse@example.no"]
    _refused("invitation_used", lambda: access_services.invitation_accept(
        token=token, user=UserFactory()))


def test_an_editor_invited_as_signatory_is_promoted():
    org = OrganisationFactory()
    signatory = member(org, MembershipRole.SIGNATORY)
    editor = member(org, MembershipRole.EDITOR)
    _, token = access_services.invitation_create(
        email=editor.email, role=MembershipRole.SIGNATORY, by=signatory, organisation=org)

    access_services.invitation_accept(token=token, user=editor)

    assert Membership.objects.get(user=editor).role == MembershipRole.SIGNATORY


def test_an_expired_invitation_is_refused_and_nothing_changes():
    org = OrganisationFactory()
    signatory = member(org, MembershipRole.SIGNATORY)
    invitation, token = access_services.invitation_create(
        email="x@example.no", role=MembershipRole.EDITOR, by=signatory, organisation=org)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())

    error = _refused("invitation_expired", lambda: access_services.invitation_accept(
        token=token, user=UserFactory()))

    assert error.message == "Invitasjonen er utløpt. Be om en ny invitasjon."


def test_a_revoked_invitation_is_refused_and_nothing_changes():
    org = OrganisationFactory()
    signatory = member(org, MembershipRole.SIGNATORY)
    invitation, token = access_services.invitation_create(
        email="x@example.no", role=MembershipRole.EDITOR, by=signatory, organisation=org)
    access_services.invitation_revoke(invitation=invitation, by=signatory)

    error = _refused("invitation_revoked", lambda: access_services.invitation_accept(
        token=token, user=UserFactory()))

    assert error.message == "Invitasjonen er trukket tilbake."


def test_an_unknown_link_is_refused():
    _refused("invitation_unknown", lambda: access_services.invitation_accept(
        token="ikke-en-invitasjon", user=UserFactory()))


def test_a_person_who_already_has_the_role_is_refused_and_the_link_stays_unused():
    org = OrganisationFactory()
    signatory = member(org, MembershipRole.SIGNATORY)
    _, token = access_services.invitation_create(
        email="x@example.no", role=MembershipRole.EDITOR, by=signatory, organisation=org)

    error = _refused("already_member", lambda: access_services.invitation_accept(
        token=token, user=signatory))

    assert error.message == (
        "Du har allerede tilgang til Trondheim - Tråante kommune som signaturberettiget.")
    assert Invitation.objects.get().is_pending


def test_an_editor_may_not_invite():
    org = OrganisationFactory()
    editor = member(org, MembershipRole.EDITOR)

    error = _refused("not_signatory", lambda: access_services.invitation_create(
        email="x@example.no", role=MembershipRole.EDITOR, by=editor, organisation=org))

    assert error.message == (
        "Bare den som har signaturrett for Trondheim - Tråante kommune kan gi, endre eller "
        "fjerne tilgang.")


def test_a_signatory_of_another_organisation_may_not_invite():
    org = OrganisationFactory()
    outsider = member(stavanger(), MembershipRole.SIGNATORY)

    _refused("not_signatory", lambda: access_services.invitation_create(
        email="x@example.no", role=MembershipRole.EDITOR, by=outsider, organisation=org))


def test_the_office_registers_the_first_signatory_with_an_invitation():
    # given an organisation nobody acts for yet
    org = OrganisationFactory()
    caseworker = office_staff(org.county.office)
    _, token = access_services.invitation_create(
        email="radmann@example.no", role=MembershipRole.SIGNATORY, by=caseworker,
        organisation=org)
    # when
    first = UserFactory(email="radmann@example.no")
    access_services.invitation_accept(token=token, user=first)
    # then
    assert Membership.objects.get(organisation=org).user == first


def test_staff_of_another_office_may_not_register_the_first_signatory():
    org = OrganisationFactory()
    other = office_staff(stavanger().county.office)

    _refused("not_signatory", lambda: access_services.invitation_create(
        email="x@example.no", role=MembershipRole.SIGNATORY, by=other, organisation=org))


def test_a_signatory_changes_a_role_and_the_person_is_told():
    org = OrganisationFactory()
    signatory = member(org, MembershipRole.SIGNATORY)
    editor = member(org, MembershipRole.EDITOR, email="utfyller@example.no")
    membership = Membership.objects.get(user=editor)

    access_services.member_change_role(
        membership=membership, role=MembershipRole.SIGNATORY, by=signatory)

    assert Membership.objects.get(user=editor).role == MembershipRole.SIGNATORY
    assert AuditEvent.objects.get().action == AuditAction.MEMBERSHIP_GRANT
    email = OutboundEmail.objects.get()
    assert email.to == ["utfyller@example.no"]
    assert "til signaturberettiget" in email.body


def test_a_signatory_removes_a_colleague_and_the_colleague_is_told():
    org = OrganisationFactory()
    signatory = member(org, MembershipRole.SIGNATORY)
    editor = member(org, MembershipRole.EDITOR, email="utfyller@example.no")

    access_services.member_remove(membership=Membership.objects.get(user=editor), by=signatory)

    assert list(Membership.objects.values_list("user", flat=True)) == [signatory.pk]
    assert AuditEvent.objects.get().action == AuditAction.MEMBERSHIP_REVOKE
    assert OutboundEmail.objects.get().to == ["utfyller@example.no"]


def test_the_last_signatory_may_not_remove_themselves():
    org = OrganisationFactory()
    signatory = member(org, MembershipRole.SIGNATORY)

    error = _refused("last_signatory", lambda: access_services.member_remove(
        membership=Membership.objects.get(user=signatory), by=signatory))

    assert error.message.startswith(
        "Trondheim - Tråante kommune må ha minst én med signaturrett.")


def test_the_last_signatory_may_not_demote_themselves():
    org = OrganisationFactory()
    signatory = member(org, MembershipRole.SIGNATORY)

    _refused("last_signatory", lambda: access_services.member_change_role(
        membership=Membership.objects.get(user=signatory), role=MembershipRole.EDITOR,
        by=signatory))


def test_one_of_two_signatories_may_step_down():
    org = OrganisationFactory()
    signatory = member(org, MembershipRole.SIGNATORY)
    member(org, MembershipRole.SIGNATORY)

    access_services.member_change_role(
        membership=Membership.objects.get(user=signatory), role=MembershipRole.EDITOR,
        by=signatory)

    assert Membership.objects.get(user=signatory).role == MembershipRole.EDITOR


def _last_administrator_refused(call, administrator):
    """`call` is refused as the office's last administrator's, and nothing changed."""
    before = (AuditEvent.objects.count(), OutboundEmail.objects.count())
    with pytest.raises(ServiceError) as raised:
        call()
    assert raised.value.code == "last_office_administrator"
    assert OfficeMembership.objects.get(user=administrator).role == OfficeRole.ADMINISTRATOR
    assert (AuditEvent.objects.count(), OutboundEmail.objects.count()) == before
    return raised.value


def test_the_last_office_administrator_may_not_remove_themselves():
    office = OrganisationFactory().county.office
    administrator = office_staff(office, OfficeRole.ADMINISTRATOR)
    office_staff(office, OfficeRole.APPROVER)

    error = _last_administrator_refused(lambda: access_services.staff_remove(
        membership=OfficeMembership.objects.get(user=administrator), by=administrator),
        administrator)

    assert error.message == (
        f"{office.name} må ha minst én embetsadministrator. Gjør en annen til "
        "embetsadministrator før du fjerner eller endrer den siste.")


def test_the_last_office_administrator_may_not_demote_themselves():
    office = OrganisationFactory().county.office
    administrator = office_staff(office, OfficeRole.ADMINISTRATOR)

    for role in (OfficeRole.APPROVER, OfficeRole.CASEWORKER):
        _last_administrator_refused(lambda r=role: access_services.staff_change_role(
            membership=OfficeMembership.objects.get(user=administrator), role=r,
            by=administrator), administrator)


def test_an_inactive_administrator_does_not_keep_the_office_managed():
    # given: the office's other administrator has been deactivated
    office = OrganisationFactory().county.office
    administrator = office_staff(office, OfficeRole.ADMINISTRATOR)
    office_staff(office, OfficeRole.ADMINISTRATOR, is_active=False)

    _last_administrator_refused(lambda: access_services.staff_remove(
        membership=OfficeMembership.objects.get(user=administrator), by=administrator),
        administrator)


def test_one_of_two_office_administrators_may_step_down_and_the_other_may_leave_after():
    office = OrganisationFactory().county.office
    leaving = office_staff(office, OfficeRole.ADMINISTRATOR)
    staying = office_staff(office, OfficeRole.ADMINISTRATOR)

    access_services.staff_change_role(membership=OfficeMembership.objects.get(user=leaving),
                                      role=OfficeRole.APPROVER, by=leaving)
    access_services.staff_change_role(membership=OfficeMembership.objects.get(user=leaving),
                                      role=OfficeRole.ADMINISTRATOR, by=staying)
    access_services.staff_remove(membership=OfficeMembership.objects.get(user=leaving),
                                 by=leaving)

    assert list(OfficeMembership.objects.values_list("user", "role")) == [
        (staying.pk, OfficeRole.ADMINISTRATOR)]


def test_an_editor_may_not_change_roles_or_remove_people():
    org = OrganisationFactory()
    member(org, MembershipRole.SIGNATORY)
    editor = member(org, MembershipRole.EDITOR)
    other = member(org, MembershipRole.EDITOR)
    membership = Membership.objects.get(user=other)

    _refused("not_signatory", lambda: access_services.member_change_role(
        membership=membership, role=MembershipRole.SIGNATORY, by=editor))
    _refused("not_signatory", lambda: access_services.member_remove(
        membership=membership, by=editor))


def test_an_office_administrator_invites_a_caseworker_to_their_own_office_only():
    # given
    org = OrganisationFactory()
    office = org.county.office
    administrator = office_staff(office, OfficeRole.ADMINISTRATOR)
    # when
    _, token = access_services.invitation_create(
        email="ny@statsforvalteren.no", role=OfficeRole.CASEWORKER, by=administrator,
        office=office)
    newcomer = UserFactory(email="ny@statsforvalteren.no")
    access_services.invitation_accept(token=token, user=newcomer)
    # then
    assert OfficeMembership.objects.get(user=newcomer).office == office
    other_office = stavanger().county.office
    _refused("not_office_administrator", lambda: access_services.invitation_create(
        email="x@example.no", role=OfficeRole.CASEWORKER, by=administrator,
        office=other_office))


def test_a_caseworker_may_not_manage_the_office_staff():
    org = OrganisationFactory()
    office = org.county.office
    caseworker = office_staff(office)
    colleague = office_staff(office)

    _refused("not_office_administrator", lambda: access_services.staff_change_role(
        membership=OfficeMembership.objects.get(user=colleague), role=OfficeRole.APPROVER,
        by=caseworker))
    _refused("not_office_administrator", lambda: access_services.staff_remove(
        membership=OfficeMembership.objects.get(user=colleague), by=caseworker))


def test_an_office_administrator_changes_and_removes_staff():
    org = OrganisationFactory()
    office = org.county.office
    administrator = office_staff(office, OfficeRole.ADMINISTRATOR)
    colleague = office_staff(office, email="kollega@statsforvalteren.no")

    access_services.staff_change_role(
        membership=OfficeMembership.objects.get(user=colleague), role=OfficeRole.APPROVER,
        by=administrator)
    assert OfficeMembership.objects.get(user=colleague).role == OfficeRole.APPROVER

    access_services.staff_remove(
        membership=OfficeMembership.objects.get(user=colleague), by=administrator)
    assert not OfficeMembership.objects.filter(user=colleague).exists()
    assert [e.to for e in OutboundEmail.objects.order_by("pk")] == [
        ["kollega@statsforvalteren.no"], ["kollega@statsforvalteren.no"]]


def test_giving_staff_the_role_they_hold_changes_nothing_and_tells_nobody():
    # given: the admin action "make caseworker" over a selection with a caseworker in it
    office = OrganisationFactory().county.office
    administrator = office_staff(office, OfficeRole.ADMINISTRATOR)
    caseworker = office_staff(office, OfficeRole.CASEWORKER)
    before = (AuditEvent.objects.count(), OutboundEmail.objects.count())
    # when
    access_services.staff_change_role(
        membership=OfficeMembership.objects.get(user=caseworker), role=OfficeRole.CASEWORKER,
        by=administrator)
    # then
    assert OfficeMembership.objects.get(user=caseworker).role == OfficeRole.CASEWORKER
    assert (AuditEvent.objects.count(), OutboundEmail.objects.count()) == before


def test_giving_a_member_the_role_they_hold_changes_nothing_and_tells_nobody():
    org = OrganisationFactory()
    signatory = member(org, MembershipRole.SIGNATORY)
    before = _state()

    access_services.member_change_role(
        membership=Membership.objects.get(user=signatory), role=MembershipRole.SIGNATORY,
        by=signatory)

    assert _state() == before


def test_an_unknown_role_is_refused_for_members_and_staff():
    org = OrganisationFactory()
    signatory = member(org, MembershipRole.SIGNATORY)
    administrator = office_staff(org.county.office, OfficeRole.ADMINISTRATOR)

    _refused("invalid_role", lambda: access_services.member_change_role(
        membership=Membership.objects.get(user=signatory), role=OfficeRole.APPROVER,
        by=signatory))
    _refused("invalid_role", lambda: access_services.staff_change_role(
        membership=OfficeMembership.objects.get(user=administrator),
        role=MembershipRole.EDITOR, by=administrator))


def test_staff_of_another_office_may_not_accept_an_office_invitation():
    org = OrganisationFactory()
    office = org.county.office
    administrator = office_staff(office, OfficeRole.ADMINISTRATOR)
    _, token = access_services.invitation_create(
        email="x@example.no", role=OfficeRole.CASEWORKER, by=administrator, office=office)
    elsewhere = office_staff(stavanger().county.office)

    _refused("already_staff", lambda: access_services.invitation_accept(
        token=token, user=elsewhere))


def test_an_office_administrator_invited_as_caseworker_or_approver_stays_administrator():
    # given: two invitations to the office, both opened by one of its administrators
    office = OrganisationFactory().county.office
    sender = office_staff(office, OfficeRole.ADMINISTRATOR)
    administrator = office_staff(office, OfficeRole.ADMINISTRATOR, email="adm@sftl.example.no")
    tokens = [access_services.invitation_create(
        email="adm@sftl.example.no", role=role, by=sender, office=office)[1]
        for role in (OfficeRole.CASEWORKER, OfficeRole.APPROVER)]

    # when / then: each is refused, and the links stay unused
    for token in tokens:
        error = _refused("already_staff", lambda t=token: access_services.invitation_accept(
            token=t, user=administrator))
        assert error.message == (
            f"Du har allerede tilgang som embetsadministrator ved {office.name}.")
    assert OfficeMembership.objects.get(user=administrator).role == OfficeRole.ADMINISTRATOR
    assert not Invitation.objects.filter(accepted_at__isnull=False).exists()


def test_office_staff_invited_to_a_higher_role_take_it():
    office = OrganisationFactory().county.office
    sender = office_staff(office, OfficeRole.ADMINISTRATOR)
    approver = office_staff(office, OfficeRole.APPROVER, email="godkjenner@sftl.example.no")
    caseworker = office_staff(office, email="saksbehandler@sftl.example.no")
    _, to_administrator = access_services.invitation_create(
        email=approver.email, role=OfficeRole.ADMINISTRATOR, by=sender, office=office)
    _, to_approver = access_services.invitation_create(
        email=caseworker.email, role=OfficeRole.APPROVER, by=sender, office=office)

    access_services.invitation_accept(token=to_administrator, user=approver)
    access_services.invitation_accept(token=to_approver, user=caseworker)

    assert OfficeMembership.objects.get(user=approver).role == OfficeRole.ADMINISTRATOR
    assert OfficeMembership.objects.get(user=caseworker).role == OfficeRole.APPROVER


def test_removing_a_signatory_takes_back_the_invitations_they_sent_and_audits_it():
    # given: A invites their own private address as signatory, then B removes A
    org = OrganisationFactory()
    leaving = member(org, MembershipRole.SIGNATORY, email="leaving@kommune.no")
    other = member(org, MembershipRole.SIGNATORY, email="other@kommune.no")
    invitation, token = access_services.invitation_create(
        email="privat@gmail.example", role=MembershipRole.SIGNATORY, by=leaving,
        organisation=org)
    # when
    access_services.member_remove(membership=Membership.objects.get(user=leaving), by=other)
    # then: the link is taken back, as B's act, and A cannot come back through it
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    event = AuditEvent.objects.get(action=AuditAction.INVITATION_REVOKE)
    assert (event.actor, event.data["reason"]) == (other, "sender_lost_access")
    _refused("invitation_revoked", lambda: access_services.invitation_accept(
        token=token, user=leaving))
    assert not Membership.objects.filter(user=leaving).exists()


def test_demoting_a_signatory_takes_back_their_invitations_but_not_the_others():
    org = OrganisationFactory()
    demoted = member(org, MembershipRole.SIGNATORY)
    other = member(org, MembershipRole.SIGNATORY)
    theirs, _ = access_services.invitation_create(
        email="a@example.no", role=MembershipRole.SIGNATORY, by=demoted, organisation=org)
    kept, _ = access_services.invitation_create(
        email="b@example.no", role=MembershipRole.EDITOR, by=other, organisation=org)

    access_services.member_change_role(membership=Membership.objects.get(user=demoted),
                                       role=MembershipRole.EDITOR, by=other)

    theirs.refresh_from_db()
    kept.refresh_from_db()
    assert theirs.revoked_at is not None
    assert kept.revoked_at is None


def test_an_invitation_whose_sender_lost_access_otherwise_is_refused_and_nothing_changes():
    # given: the signatory's access went by another way than member_remove (the admin)
    org = OrganisationFactory()
    sender = member(org, MembershipRole.SIGNATORY)
    member(org, MembershipRole.SIGNATORY)
    _, token = access_services.invitation_create(
        email="x@example.no", role=MembershipRole.SIGNATORY, by=sender, organisation=org)
    sender.is_active = False
    sender.save(update_fields=["is_active"])
    newcomer = UserFactory()

    error = _refused("invitation_sender_lost_access", lambda: access_services.invitation_accept(
        token=token, user=newcomer))

    assert error.message == (
        f"Invitasjonen kan ikke brukes: den som sendte den, kan ikke lenger gi tilgang til "
        f"{org.name}. Be om en ny invitasjon.")
    assert not Membership.objects.filter(user=newcomer).exists()


def test_a_removed_office_administrator_cannot_come_back_through_their_own_invitation():
    org = OrganisationFactory()
    office = org.county.office
    admin = office_staff(office, OfficeRole.ADMINISTRATOR)
    boss = office_staff(office, OfficeRole.ADMINISTRATOR)
    invitation, token = access_services.invitation_create(
        email="x@example.no", role=OfficeRole.ADMINISTRATOR, by=admin, office=office)

    access_services.staff_remove(membership=OfficeMembership.objects.get(user=admin), by=boss)

    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    _refused("invitation_revoked", lambda: access_services.invitation_accept(
        token=token, user=admin))
    assert not OfficeMembership.objects.filter(user=admin).exists()


def test_a_demoted_office_administrators_invitation_is_refused_even_if_not_taken_back():
    org = OrganisationFactory()
    office = org.county.office
    admin = office_staff(office, OfficeRole.ADMINISTRATOR)
    boss = office_staff(office, OfficeRole.ADMINISTRATOR)
    invitation, token = access_services.invitation_create(
        email="x@example.no", role=OfficeRole.ADMINISTRATOR, by=admin, office=office)
    access_services.staff_change_role(membership=OfficeMembership.objects.get(user=admin),
                                      role=OfficeRole.CASEWORKER, by=boss)
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    Invitation.objects.filter(pk=invitation.pk).update(revoked_at=None)  # as if it were not
    newcomer = UserFactory()

    _refused("invitation_sender_lost_access", lambda: access_services.invitation_accept(
        token=token, user=newcomer))

    assert not OfficeMembership.objects.filter(user=newcomer).exists()
