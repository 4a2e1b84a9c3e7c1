"""«Trekk søknaden» is offered only where application_withdraw would accept it: to a
signatory, before the deadline, while the office has not recommended or decided."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from applications import services
from tests.assessment.helpers import recommend
from tests.tilskudd.factories import OfficeBudgetFactory, office_staff
from tilskudd.models import OfficeRole

REFUSED = ("Statsforvalteren har allerede innstilt eller vedtatt i saken, så søknaden kan "
           "ikke trekkes i portalen. Kontakt Statsforvalteren.")


@pytest.fixture
def submitted(draft, signatory, open_round, trondheim):
    OfficeBudgetFactory(round=open_round, office=trondheim.office, pot=Decimal("30667000"))
    return services.application_submit(application=draft, user=signatory)


@pytest.fixture
def caseworker(trondheim):
    return office_staff(trondheim.office, OfficeRole.CASEWORKER,
                        email="saksbehandler@sftl.example.no", full_name="Sara Saksbehandler")


def pages(user, submission) -> dict[str, str]:
    client = Client()
    client.force_login(user)
    urls = {
        "archive": reverse("applications:archive"),
        "receipt": reverse("applications:receipt", args=[submission.reference]),
        "submitted": reverse("applications:edit", args=[submission.application_id]),
    }
    return {name: client.get(url).content.decode() for name, url in urls.items()}


def offers_withdrawal(html: str, submission) -> bool:
    return reverse("applications:withdraw", args=[submission.application_id]) in html


def test_a_signatory_is_offered_withdrawal_while_the_office_has_not_recommended(
    submitted, signatory
):
    shown = pages(signatory, submitted)

    assert {name: offers_withdrawal(html, submitted) for name, html in shown.items()} == {
        "archive": True, "receipt": True, "submitted": True,
    }


def test_an_editor_is_never_offered_withdrawal(submitted, editor):
    shown = pages(editor, submitted)

    assert [offers_withdrawal(html, submitted) for html in shown.values()] == [False] * 3


def test_withdrawal_disappears_once_the_office_has_recommended(
    submitted, signatory, caseworker
):
    recommend(submitted.application, caseworker)

    shown = pages(signatory, submitted)

    assert [offers_withdrawal(html, submitted) for html in shown.values()] == [False] * 3


def test_the_withdraw_page_says_once_why_it_is_refused_and_offers_no_form(
    client, submitted, signatory, caseworker
):
    recommend(submitted.application, caseworker)
    client.force_login(signatory)
    url = reverse("applications:withdraw", args=[submitted.application_id])

    got = client.get(url).content.decode()
    posted = client.post(url, {"reason": "Vil endre beløp"}).content.decode()

    assert [got.count(REFUSED), posted.count(REFUSED)] == [1, 1]
    assert 'name="reason"' not in got
    submitted.refresh_from_db()
    assert submitted.withdrawn_at is None
