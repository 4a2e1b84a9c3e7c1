"""A budget in the admin is saved with its earmarks through budget_update: a pot below
what is granted, or an earmark above the pot or below what is granted of it, is refused
next to the field and nothing changes; a valid change is audited with before and after."""

from decimal import Decimal

import pytest
from django.urls import reverse

from tests.assessment.helpers import competence as competence_line
from tests.assessment.helpers import decide, project, submit
from tests.tilskudd.factories import (
    OfficeBudgetFactory,
    OrganisationFactory,
    RoundFactory,
    member,
    office_staff,
)
from tilskudd.audit import AuditAction, AuditEvent
from tilskudd.budgets import EarmarkPlan, granted_of
from tilskudd.errors import ServiceError
from tilskudd.models import Earmark, MembershipRole, OfficeRole
from tilskudd.services import budget_update

BELOW_GRANTED = ("Rammen kan ikke settes lavere enn det som allerede er innvilget av den "
                 "(kr\xa0310\xa0000).")


@pytest.fixture
def trondheim(db):
    return OrganisationFactory()


@pytest.fixture
def budget(trondheim):
    budget = OfficeBudgetFactory(round=RoundFactory(), office=trondheim.office,
                                 pot=Decimal("30667000"))
    Earmark.objects.create(budget=budget, key="respite", name="Fleksible avlastningsmodeller",
                           amount=Decimal("415000"))
    return budget


@pytest.fixture
def granted(trondheim, budget):
    """kr 60 000 granted for competence (general) and kr 250 000 for a respite project."""
    signatory = member(trondheim, MembershipRole.SIGNATORY)
    application = submit(trondheim, budget.round, signatory,
                         competence_lines=[competence_line("60000")],
                         projects=[project("250000", topic="respite")])
    decide(application, office_staff(trondheim.office, OfficeRole.CASEWORKER),
           office_staff(trondheim.office, OfficeRole.APPROVER))
    return application


def change_url(budget) -> str:
    return reverse("admin:tilskudd_officebudget_change", args=[budget.pk])


def form_data(budget, *, pot, earmark_amount, delete=False) -> dict:
    earmark = budget.earmarks.get()
    data = {
        "round": budget.round_id, "office": budget.office_id, "pot": pot,
        "earmarks-TOTAL_FORMS": "1", "earmarks-INITIAL_FORMS": "1",
        "earmarks-MIN_NUM_FORMS": "0", "earmarks-MAX_NUM_FORMS": "1000",
        "earmarks-0-id": earmark.pk, "earmarks-0-budget": budget.pk,
        "earmarks-0-name": earmark.name, "earmarks-0-key": earmark.key,
        "earmarks-0-amount": earmark_amount,
    }
    if delete:
        data["earmarks-0-DELETE"] = "on"
    return data


def budget_rows():
    return list(AuditEvent.objects.filter(
        action__in=[AuditAction.BUDGET_CHANGE, AuditAction.EARMARK_CHANGE]
    ).order_by("pk").values_list("action", "before", "after"))


def stored(budget):
    budget.refresh_from_db()
    return budget.pot, list(budget.earmarks.values_list("amount", flat=True))


def test_the_assessment_app_says_what_is_granted(granted, budget):
    assert granted_of(budget, {"respite"}) == {"": Decimal("60000"), "respite": Decimal("250000")}
    assert granted_of(budget, set()) == {"": Decimal("310000")}


def test_a_pot_below_what_is_granted_is_refused_in_the_admin(admin_client, granted, budget):
    # When a superuser lowers the pot below the kr 310 000 granted
    response = admin_client.post(change_url(budget),
                                 form_data(budget, pot="300000", earmark_amount="250000"))

    # Then the page shows why next to the pot, and nothing changed
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {"pot": [BELOW_GRANTED]}
    assert BELOW_GRANTED in response.content.decode()
    assert stored(budget) == (Decimal("30667000"), [Decimal("415000")])
    assert budget_rows() == []


def test_an_earmark_above_the_pot_is_refused_in_the_admin(admin_client, budget):
    response = admin_client.post(change_url(budget),
                                 form_data(budget, pot="400000", earmark_amount="500000"))

    assert response.status_code == 200
    [formset] = response.context["inline_admin_formsets"]
    assert formset.formset.errors == [{"amount": [
        "Den øremerkede delen «Fleksible avlastningsmodeller» kan ikke være større enn "
        "rammen (kr\xa0400\xa0000)."
    ]}]
    assert stored(budget) == (Decimal("30667000"), [Decimal("415000")])
    assert budget_rows() == []


def test_an_earmark_below_what_is_granted_of_it_is_refused_in_the_admin(
    admin_client, granted, budget
):
    response = admin_client.post(change_url(budget),
                                 form_data(budget, pot="30667000", earmark_amount="200000"))

    [formset] = response.context["inline_admin_formsets"]
    assert formset.formset.errors == [{"amount": [
        "Den øremerkede delen «Fleksible avlastningsmodeller» kan ikke settes lavere enn det "
        "som allerede er innvilget av den (kr\xa0250\xa0000)."
    ]}]
    assert stored(budget) == (Decimal("30667000"), [Decimal("415000")])
    assert budget_rows() == []


def test_a_valid_change_is_saved_with_its_earmark_and_audited(admin_client, granted, budget):
    # When the pot and its earmark are both lowered, in one save, to what is still allowed
    response = admin_client.post(change_url(budget),
                                 form_data(budget, pot="400000", earmark_amount="300000"))

    # Then both are saved, and each change has one audit row with before and after
    assert response.status_code == 302
    assert stored(budget) == (Decimal("400000"), [Decimal("300000")])
    assert budget_rows() == [
        (AuditAction.BUDGET_CHANGE, {"pot": "30667000"}, {"pot": "400000"}),
        (AuditAction.EARMARK_CHANGE, {"amount": "415000"}, {"amount": "300000"}),
    ]
    assert set(AuditEvent.objects.values_list("actor__email", flat=True).filter(
        action=AuditAction.BUDGET_CHANGE)) == {"admin@example.com"}


def test_deleting_an_earmark_is_audited(admin_client, budget):
    response = admin_client.post(change_url(budget),
                                 form_data(budget, pot="30667000", earmark_amount="415000",
                                           delete=True))

    assert response.status_code == 302
    assert stored(budget) == (Decimal("30667000"), [])
    assert budget_rows() == [(
        AuditAction.EARMARK_CHANGE,
        {"name": "Fleksible avlastningsmodeller", "key": "respite", "amount": "415000"}, {},
    )]


def test_office_staff_cannot_change_a_budget(client, trondheim, budget):
    client.force_login(office_staff(trondheim.office, OfficeRole.APPROVER))

    response = client.post(change_url(budget),
                           form_data(budget, pot="1", earmark_amount="1"))

    assert response.status_code == 403
    assert stored(budget) == (Decimal("30667000"), [Decimal("415000")])
    assert budget_rows() == []


def test_the_service_refuses_a_pot_below_what_is_granted(granted, budget):
    admin = office_staff(budget.office, OfficeRole.APPROVER)

    with pytest.raises(ServiceError) as refused:
        budget_update(budget=budget, user=admin, pot=Decimal("310000") - 1)

    assert (refused.value.code, refused.value.message) == ("budget_refused", BELOW_GRANTED)
    assert stored(budget) == (Decimal("30667000"), [Decimal("415000")])
    assert budget_rows() == []


def test_the_service_refuses_an_earmark_left_above_a_lowered_pot(budget):
    admin = office_staff(budget.office, OfficeRole.APPROVER)

    with pytest.raises(ServiceError) as refused:
        budget_update(budget=budget, user=admin, pot=Decimal("400000"))

    assert refused.value.message == (
        "Den øremerkede delen «Fleksible avlastningsmodeller» kan ikke være større enn "
        "rammen (kr\xa0400\xa0000)."
    )
    assert stored(budget) == (Decimal("30667000"), [Decimal("415000")])


def test_the_service_adds_an_earmark_with_an_audit_row(budget):
    admin = office_staff(budget.office, OfficeRole.APPROVER)

    budget_update(budget=budget, user=admin, earmarks=[
        EarmarkPlan(name="Velferdsteknologi", key="welfare_technology", amount=Decimal("1000"))
    ])

    assert sorted(budget.earmarks.values_list("key", "amount")) == [
        ("respite", Decimal("415000")), ("welfare_technology", Decimal("1000"))]
    assert budget_rows() == [(
        AuditAction.EARMARK_CHANGE, {},
        {"name": "Velferdsteknologi", "key": "welfare_technology", "amount": "1000"},
    )]


def test_a_superuser_adds_a_budget_with_an_earmark_and_each_is_audited(admin_client, trondheim):
    rnd = RoundFactory()

    response = admin_client.post(reverse("admin:tilskudd_officebudget_add"), {
        "round": rnd.pk, "office": trondheim.office.pk, "pot": "1000000",
        "earmarks-TOTAL_FORMS": "1", "earmarks-INITIAL_FORMS": "0",
        "earmarks-MIN_NUM_FORMS": "0", "earmarks-MAX_NUM_FORMS": "1000",
        "earmarks-0-name": "Avlastning", "earmarks-0-key": "respite",
        "earmarks-0-amount": "200000",
    })

    assert response.status_code == 302
    budget = rnd.budgets.get()
    assert stored(budget) == (Decimal("1000000"), [Decimal("200000")])
    assert budget_rows() == [
        (AuditAction.BUDGET_CHANGE, {},
         {"round": rnd.pk, "office": trondheim.office.pk, "pot": "1000000"}),
        (AuditAction.EARMARK_CHANGE, {},
         {"name": "Avlastning", "key": "respite", "amount": "200000"}),
    ]
