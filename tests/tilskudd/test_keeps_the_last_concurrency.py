"""Two who take the last two holders of a role away at the same moment, on PostgreSQL: an
office's two administrators, or an organisation's two signatories, removed each on their
own user page in the admin by two superusers at once, two administrators removing each other
on the office's access page, or both demoted by the service. The check locks every holder of
the role at that place in one order (by id) before it decides, and a change that locks the
membership first locks those holders before it (services.membership_locked), so the second
waits for the first, then finds the one it takes away the last and says so: one is saved,
the other refused calmly, neither is a database deadlock (a server error), one holder left.

Each page's check is held at a barrier once it has taken its locks, until the other page has
taken its own or three seconds have passed (a page the locks make wait never comes): before
the locks were ordered, each page locked only the first other holder it found, and that
person's user row with it, both went on, and each one's save of its own person waited for
the row the other had locked (PostgreSQL's DeadlockDetected)."""

import contextlib
import threading

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from tests.tilskudd.factories import OrganisationFactory, UserFactory, office_staff
from tests.tilskudd.test_admin_services import user_form
from tilskudd import access_services, services
from tilskudd.errors import ServiceError
from tilskudd.models import Membership, MembershipRole, OfficeMembership, OfficeRole, User

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

NB_OFFICE = ("{} må ha minst én embetsadministrator. Gjør en annen til embetsadministrator "
             "før du fjerner eller endrer den siste.")
NB_ORGANISATION = ("{} må ha minst én med signaturrett. Gi signaturrett til en annen før du "
                   "fjerner eller endrer den siste.")


def _held_at_a_barrier(monkeypatch, name: str) -> None:
    """Each thread's first call of the service check `name` returns only once both threads
    have made theirs (or three seconds have passed: a thread the locks make wait never
    comes)."""
    barrier, checked = threading.Barrier(2), threading.local()
    real = getattr(services, name)

    def held(**kwargs):
        refusal = real(**kwargs)
        if not getattr(checked, "once", False):
            checked.once = True
            with contextlib.suppress(threading.BrokenBarrierError):
                barrier.wait(timeout=3)
        return refusal

    monkeypatch.setattr(services, name, held)


def _remove_at_once(pages: list[tuple[str, dict]], refusal: str, inline: int) -> list[str]:
    """Post each (url, form) by its own superuser in its own thread, released together:
    «removed» (the page saved and went on), «refused» (the page says `refusal` on the
    inline), or the name of the error the page raised."""
    clients = []
    for _ in pages:
        client = Client()
        client.force_login(UserFactory(is_staff=True, is_superuser=True, language="nb"))
        clients.append(client)
    results: list[str] = [""] * len(pages)
    start = threading.Barrier(len(pages))

    def post(i, client, url, form):
        try:
            start.wait(timeout=10)
            page = client.post(url, form)
            if page.status_code == 302:
                results[i] = "removed"
            elif page.context["inline_admin_formsets"][inline].formset.non_form_errors() \
                    == [refusal]:
                results[i] = "refused"
            else:
                results[i] = f"page {page.status_code}"
        except Exception as exc:  # noqa: BLE001 (the deadlock is what the test looks for)
            results[i] = type(exc.__cause__ or exc).__name__
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(i, client, *page))
               for i, (client, page) in enumerate(zip(clients, pages, strict=True))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_two_pages_removing_an_offices_two_administrators_at_once_remove_one(monkeypatch):
    # Given an office with two administrators
    office = OrganisationFactory().county.office
    people = [office_staff(office, OfficeRole.ADMINISTRATOR) for _ in range(2)]
    _held_at_a_barrier(monkeypatch, "office_membership_loss_refusal")

    # When each one's page removes their office membership at the same moment
    pages = []
    for person in people:
        membership = OfficeMembership.objects.get(user=person)
        form = user_form(person, office={"id": membership.pk, "office": office.pk,
                                         "role": membership.role, "DELETE": "on"})
        form["is_staff"] = "on"  # the page changes nothing else
        pages.append((reverse("admin:tilskudd_user_change", args=[person.pk]), form))
    results = _remove_at_once(pages, NB_OFFICE.format(office.name), inline=0)

    # Then one is removed, the other page says the office keeps its last administrator
    assert sorted(results) == ["refused", "removed"]
    assert OfficeMembership.objects.filter(office=office, role=OfficeRole.ADMINISTRATOR,
                                           user__in=people).count() == 1


def test_two_pages_removing_an_organisations_two_signatories_at_once_remove_one(monkeypatch):
    # Given an organisation with two signatories
    organisation = OrganisationFactory()
    people = [UserFactory() for _ in range(2)]
    memberships = [Membership.objects.create(user=person, organisation=organisation,
                                             role=MembershipRole.SIGNATORY)
                   for person in people]
    _held_at_a_barrier(monkeypatch, "membership_loss_refusal")

    # When each one's page removes their signatory's membership at the same moment
    pages = [(reverse("admin:tilskudd_user_change", args=[m.user_id]), user_form(
        m.user, memberships=[{"id": m.pk, "organisation": organisation.pk,
                              "role": m.role, "DELETE": "on"}]))
        for m in memberships]
    results = _remove_at_once(pages, NB_ORGANISATION.format(organisation.name), inline=1)

    # Then one is removed, the other page says the organisation keeps its last signatory
    assert sorted(results) == ["refused", "removed"]
    assert Membership.objects.filter(organisation=organisation,
                                     role=MembershipRole.SIGNATORY).count() == 1



def test_two_administrators_removing_each_other_on_the_access_page_at_once_remove_one(
    monkeypatch
):
    """The office's access page («Tilgang») locks the membership it changes, with its user
    and office, before the check: it locks the holders first, in the check's order, or the
    first page held the other's row and the other waited for the office the first held."""
    # Given an office with two administrators
    office = OrganisationFactory().county.office
    first, second = (office_staff(office, OfficeRole.ADMINISTRATOR) for _ in range(2))
    barrier = threading.Barrier(2)
    real = access_services._locked

    def held(*args, **kwargs):  # each page waits for the other once it has locked
        locked = real(*args, **kwargs)
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=3)
        return locked

    monkeypatch.setattr(access_services, "_locked", held)
    results = ["", ""]
    start = threading.Barrier(2)

    def remove(i, membership, by):
        try:
            start.wait(timeout=10)
            access_services.staff_remove(membership=membership, by=by)
            results[i] = "removed"
        except ServiceError as exc:
            results[i] = exc.code
        except Exception as exc:  # noqa: BLE001 (the deadlock is what the test looks for)
            results[i] = type(exc.__cause__ or exc).__name__
        finally:
            connection.close()

    # When each removes the other at the same moment
    threads = [
        threading.Thread(target=remove, args=(i, OfficeMembership.objects.get(user=them), by))
        for i, (them, by) in enumerate([(second, first), (first, second)])]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    # Then one is removed, and the other is told the office keeps its last administrator
    assert sorted(results) == ["last_office_administrator", "removed"]
    assert OfficeMembership.objects.filter(office=office,
                                           role=OfficeRole.ADMINISTRATOR).count() == 1


def test_two_administrators_demoted_by_the_service_at_once_keep_one(monkeypatch):
    """office_membership_grant (a command, the pages) locks the person's membership before
    it asks the check: it locks the holders first, in the check's order."""
    # Given an office with two administrators
    office = OrganisationFactory().county.office
    people = [office_staff(office, OfficeRole.ADMINISTRATOR) for _ in range(2)]
    barrier = threading.Barrier(2)
    real = services.office_membership_loss_refusal

    def held(**kwargs):  # each waits for the other once it has its membership, then asks
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=3)
        return real(**kwargs)

    monkeypatch.setattr(services, "office_membership_loss_refusal", held)
    results = ["", ""]

    def demote(i, person):
        try:
            services.office_membership_grant(office=office, user=person,
                                             role=OfficeRole.CASEWORKER, granted_by=None)
            results[i] = "demoted"
        except ServiceError as exc:
            results[i] = exc.code
        except Exception as exc:  # noqa: BLE001 (the deadlock is what the test looks for)
            results[i] = type(exc.__cause__ or exc).__name__
        finally:
            connection.close()

    # When both are made caseworkers at the same moment
    threads = [threading.Thread(target=demote, args=(i, person))
               for i, person in enumerate(people)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    # Then one is, and the other stays the office's last administrator
    assert sorted(results) == ["demoted", "last_office_administrator"]
    assert OfficeMembership.objects.filter(office=office,
                                           role=OfficeRole.ADMINISTRATOR).count() == 1


@pytest.mark.parametrize("change", ["a caseworker made approver", "an editor made signatory"])
def test_a_change_to_one_who_is_no_holder_waits_for_no_holder(change):
    """A caseworker's new role (the office's access page) and an editor's accepted invitation
    to sign lock only that membership, not the office's administrators or the organisation's
    signatories: they go on while another change holds those (lock_timeout 2 s)."""
    # Given an office with two administrators and a caseworker, an organisation with two
    # signatories and an editor, and another transaction holding every holder's membership
    office = OrganisationFactory().county.office
    admin, _ = (office_staff(office, OfficeRole.ADMINISTRATOR) for _ in range(2))
    caseworker = office_staff(office, OfficeRole.CASEWORKER)
    organisation = OrganisationFactory()
    editor, *signatories = UserFactory(), UserFactory(), UserFactory()
    Membership.objects.create(user=editor, organisation=organisation, role=MembershipRole.EDITOR)
    for person in signatories:
        Membership.objects.create(user=person, organisation=organisation,
                                  role=MembershipRole.SIGNATORY)
    held, done = threading.Event(), threading.Event()

    def hold():
        with transaction.atomic():
            list(OfficeMembership.objects.select_for_update().filter(
                role=OfficeRole.ADMINISTRATOR))
            list(Membership.objects.select_for_update().filter(role=MembershipRole.SIGNATORY))
            held.set()
            done.wait(timeout=10)
        connection.close()

    thread = threading.Thread(target=hold)
    thread.start()
    assert held.wait(timeout=10)

    # When the one who holds no such role is changed
    try:
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '2s'")
        if change == "a caseworker made approver":
            access_services.staff_change_role(
                membership=OfficeMembership.objects.get(user=caseworker),
                role=OfficeRole.APPROVER, by=admin)
        else:
            services.membership_grant(organisation=organisation, user=editor,
                                      role=MembershipRole.SIGNATORY, granted_by=None)
    finally:
        done.set()
        thread.join(timeout=15)
        with connection.cursor() as cursor:
            cursor.execute("RESET lock_timeout")

    # Then it is changed without waiting for the holders' transaction
    assert OfficeMembership.objects.get(user=caseworker).role == (
        OfficeRole.APPROVER if change == "a caseworker made approver" else OfficeRole.CASEWORKER)
    assert Membership.objects.get(user=editor).role == (
        MembershipRole.SIGNATORY if change == "an editor made signatory" else MembershipRole.EDITOR)


def test_an_organisations_two_signatories_deactivated_by_the_service_at_once_keep_one(
    monkeypatch
):
    """user_save (the admin's user page, a command) asks the check before it saves: the one
    that waited for the other's locks reads the other's «active» once it has them, not as
    its locking statement began (both were made inactive, no signatory left)."""
    # Given an organisation with two signatories
    organisation = OrganisationFactory()
    people = [UserFactory(), UserFactory()]
    for person in people:
        Membership.objects.create(user=person, organisation=organisation,
                                  role=MembershipRole.SIGNATORY)
    _held_at_a_barrier(monkeypatch, "membership_loss_refusal")
    results = ["", ""]

    def deactivate(i, person):
        try:
            person.is_active = False
            services.user_save(user=person, by=None)
            results[i] = "deactivated"
        except ServiceError as exc:
            results[i] = exc.code
        except Exception as exc:  # noqa: BLE001 (a deadlock would be a failure too)
            results[i] = type(exc.__cause__ or exc).__name__
        finally:
            connection.close()

    # When both are made inactive at the same moment
    threads = [threading.Thread(target=deactivate, args=(i, person))
               for i, person in enumerate(people)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    # Then one is, and the other keeps the account as the organisation's last signatory
    assert sorted(results) == ["deactivated", "last_signatory"]
    assert User.objects.filter(pk__in=[p.pk for p in people], is_active=True).count() == 1
