"""A recipient keeps the id it was first published under in the open data (360Giving: an id
does not change between publications): a municipality published without its organisation
number stays 360G-hdir-kommune-… once the number is filled in, in the same file and in the
next round's; one whose number is known when it is first published is NO-BRC-… ."""

import json
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from assessment import services
from assessment.models import PublishedRecipient
from assessment.opendata.grants import package_for
from assessment.opendata.publication import published_round
from assessment.opendata.schema import package_errors
from tests.tilskudd.factories import OfficeBudgetFactory, OrganisationFactory, RoundFactory, member
from tilskudd import services as tilskudd_services
from tilskudd.models import MembershipRole

from .helpers import decide, submit

pytestmark = pytest.mark.django_db

#: A valid (mod-11) organisation number for Malvik in these tests.
MALVIK_ORG_NUMBER = "938700001"


@pytest.fixture
def malvik(trondheim):
    return OrganisationFactory(name="Malvik kommune", org_number="", municipality_number="5031",
                               county=trondheim.county)


@pytest.fixture
def malvik_signatory(malvik):
    return member(malvik, MembershipRole.SIGNATORY, email="signatur@malvik.example.no")


def _lettered(org, rnd, signatory, caseworker, approver, capture):
    """The organisation's application granted and its letter made (and sent)."""
    case = decide(submit(org, rnd, signatory), caseworker, approver)
    with capture(execute=True):
        services.letter_generate(assessment=case, user=caseworker)


def close(rnd):
    """The round's application deadline passed a minute ago: its offices may publish."""
    rnd.application_deadline = timezone.now() - timedelta(minutes=1)
    rnd.save(update_fields=["application_deadline"])


def _recipient_ids(rnd) -> dict[str, str]:
    package = package_for(published_round("kkt", rnd.year))
    assert package_errors(package) == []
    return {grant["recipientOrganization"][0]["name"]: grant["recipientOrganization"][0]["id"]
            for grant in package["grants"]}


def test_a_recipient_published_without_its_organisation_number_keeps_that_id(
    trondheim, malvik, malvik_signatory, open_round, budget, caseworker, approver,
    django_capture_on_commit_callbacks, client,
):
    # Given Malvik granted and published before its organisation number was known
    _lettered(malvik, open_round, malvik_signatory, caseworker, approver,
              django_capture_on_commit_callbacks)
    close(open_round)
    assert _recipient_ids(open_round) == {"Malvik kommune": "360G-hdir-kommune-5031"}

    # When its organisation number is filled in (the stale object saved, as a form would)
    tilskudd_services.organisation_update(organisation=malvik, user=approver,
                                          org_number=MALVIK_ORG_NUMBER)
    malvik.refresh_from_db()
    assert malvik.org_number == MALVIK_ORG_NUMBER

    # Then the round's file, built again, gives the id it was published under
    assert _recipient_ids(open_round) == {"Malvik kommune": "360G-hdir-kommune-5031"}
    cache.clear()
    response = client.get(reverse("opendata:package", args=["kkt", open_round.year]))
    published = json.loads(response.content)
    assert package_errors(published) == []
    assert published["grants"][0]["recipientOrganization"][0]["id"] == "360G-hdir-kommune-5031"
    csv_text = client.get(reverse("opendata:csv", args=["kkt", open_round.year]))
    assert ",360G-hdir-kommune-5031," in csv_text.content.decode()

    # And so does the next round's file, a later publication
    next_round = RoundFactory(year=open_round.year + 1)
    OfficeBudgetFactory(round=next_round, office=trondheim.office)
    _lettered(malvik, next_round, malvik_signatory, caseworker, approver,
              django_capture_on_commit_callbacks)
    close(next_round)
    assert _recipient_ids(next_round) == {"Malvik kommune": "360G-hdir-kommune-5031"}
    assert PublishedRecipient.objects.get(organisation=malvik).identifier == (
        "360G-hdir-kommune-5031")


def test_the_id_is_recorded_when_first_published_not_before(
    trondheim, malvik, malvik_signatory, signatory, open_round, budget, caseworker, approver,
    django_capture_on_commit_callbacks,
):
    # Given Malvik's letter sent while the round still takes applications (not published)
    _lettered(malvik, open_round, malvik_signatory, caseworker, approver,
              django_capture_on_commit_callbacks)
    assert published_round("kkt", open_round.year) is None

    # When its organisation number is filled in before the round is published
    tilskudd_services.organisation_update(organisation=malvik, user=approver,
                                          org_number=MALVIK_ORG_NUMBER)
    _lettered(trondheim, open_round, signatory, caseworker, approver,
              django_capture_on_commit_callbacks)
    assert not PublishedRecipient.objects.exists()
    close(open_round)

    # Then it is first published, and kept, under its organisation number
    expected = {"Malvik kommune": f"NO-BRC-{MALVIK_ORG_NUMBER}",
                "Trondheim - Tråante kommune": "NO-BRC-942110464"}
    assert _recipient_ids(open_round) == expected
    assert _recipient_ids(open_round) == expected
    assert dict(PublishedRecipient.objects.values_list("organisation__name", "identifier")) == (
        expected)
