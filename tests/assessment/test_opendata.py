"""Open data on every grant: the 360Giving package and the CSV of a round whose letters are
sent, validated against the 360Giving schemas, with no rejection and no personal data, on a
public page that needs no sign-in."""

import csv
import io
import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessment import services
from assessment.models import AssessmentStatus
from assessment.opendata.grants import grants_for, package_for
from assessment.opendata.publication import published_round, published_rounds
from assessment.opendata.schema import package_errors
from tests.tilskudd.factories import OrganisationFactory, member
from tilskudd.models import MembershipRole

from .helpers import assess, bpa, competence, decide, project, submit

pytestmark = pytest.mark.django_db

NOTE = "Intern merknad: ring rådmannen om budsjettet"


def send_letter(assessment, user, capture):
    with capture(execute=True):
        return services.letter_generate(assessment=assessment, user=user)


def close(rnd):
    """The round's application deadline passed a minute ago: its offices may publish."""
    rnd.application_deadline = timezone.now() - timedelta(minutes=1)
    rnd.save(update_fields=["application_deadline"])


def reopen(rnd):
    """The round takes applications again (its deadline a month ahead)."""
    rnd.application_deadline = timezone.now() + timedelta(days=30)
    rnd.save(update_fields=["application_deadline"])


@pytest.fixture
def malvik(trondheim):
    return OrganisationFactory(name="Malvik kommune", org_number="", municipality_number="5031",
                               county=trondheim.county)


@pytest.fixture
def decided_round(
    trondheim, malvik, open_round, budget, signatory, caseworker, approver,
    rogaland_application, rogaland_caseworker, rogaland_approver,
    django_capture_on_commit_callbacks,
):
    """Trøndelag: Trondheim granted in part (an internal note on the case), Malvik rejected;
    Rogaland: Stavanger granted in full. Every letter sent, the application deadline passed."""
    capture = django_capture_on_commit_callbacks
    application = submit(
        trondheim, open_round, signatory,
        competence_lines=[competence("120000")], bpa_lines=[bpa("30000")],
        projects=[project("250000")],
    )
    case = services.assessment_open(application=application, user=caseworker)
    assess(case, caseworker,
           amount=lambda la: la.applied if la.part != "projects" else Decimal("100000"),
           justification="Prosjektet er kuttet fordi rammen er brukt opp.")
    services.assessment_save(assessment=case, user=caseworker, internal_notes=NOTE)
    services.assessment_recommend(assessment=case, user=caseworker)
    trondheim_case = services.assessment_approve(assessment=case, user=approver)
    rejected_signatory = member(malvik, MembershipRole.SIGNATORY,
                                email="signatur@malvik.example.no")
    rejected = submit(malvik, open_round, rejected_signatory,
                      contact_email="avslag@malvik.example.no")
    malvik_case = decide(rejected, caseworker, approver, amount=lambda la: Decimal(0))
    stavanger_case = decide(rogaland_application, rogaland_caseworker, rogaland_approver)
    for case, user in ((trondheim_case, caseworker), (malvik_case, caseworker),
                       (stavanger_case, rogaland_caseworker)):
        send_letter(case, user, capture)
    close(open_round)
    return {"trondheim": trondheim_case, "malvik": malvik_case, "stavanger": stavanger_case}


def test_the_rounds_package_validates_against_the_360giving_package_schema(decided_round,
                                                                           open_round):
    published = published_round("kkt", open_round.year)

    package = package_for(published)

    assert package_errors(package) == []
    assert package["version"] == "1.4"
    assert package["publisher"] == {"identifier": "NO-BRC-983544622", "name": "Helsedirektoratet",
                                    "website": "https://www.helsedirektoratet.no/"}
    assert len(package["grants"]) == 2


def test_a_grant_says_who_got_what_from_whom(decided_round, open_round, trondheim):
    grants = grants_for(published_round("kkt", open_round.year))

    trondheim_grant = next(g for g in grants if g["recipientOrganization"][0]["name"]
                           == "Trondheim - Tråante kommune")
    reference = trondheim.applications.get().submissions.get().reference
    assert trondheim_grant["id"] == f"360G-hdir-{reference}"
    assert trondheim_grant["title"] == (
        f"Kompetanse- og tjenesteutviklingstilskudd {open_round.year} til Trondheim - Tråante "
        "kommune")
    assert trondheim_grant["currency"] == "NOK"
    assert trondheim_grant["amountAppliedFor"] == 400000
    assert trondheim_grant["amountAwarded"] == 250000
    assert trondheim_grant["awardDate"].startswith(
        f"{decided_round['trondheim'].decided_at.astimezone().date():%Y-%m-%d}T")
    assert trondheim_grant["recipientOrganization"] == [{
        "id": "NO-BRC-942110464", "name": "Trondheim - Tråante kommune",
        "location": [{"name": "Trondheim - Tråante kommune", "countryCode": "NO",
                      "geoCode": "5001", "geoCodeType": "kommunenummer"}],
    }]
    assert trondheim_grant["fundingOrganization"] == [
        {"id": "360G-hdir-statsforvalter-trondelag", "name": "Statsforvalteren i Trøndelag"},
        {"id": "NO-BRC-983544622", "name": "Helsedirektoratet"},
    ]
    assert trondheim_grant["grantProgramme"][0]["code"] == f"kkt-{open_round.year}"
    assert "kompetansetiltak kr\u00a0120\u00a0000" in trondheim_grant["description"]
    assert "tjenesteutvikling kr\u00a0100\u00a0000" in trondheim_grant["description"]


def test_a_rejection_a_contact_and_an_internal_note_never_appear(decided_round, open_round):
    published = published_round("kkt", open_round.year)

    text = json.dumps(package_for(published), ensure_ascii=False)
    text += grants_csv_text(published)

    assert decided_round["malvik"].outcome == "rejected"
    for never in ("Malvik", "avslag@malvik.example.no", "kari.kontakt@example.no",
                  "Kari Kontakt", "73 00 00 00", "Rita Rådmann", "signatur@", NOTE,
                  "Prosjektet er kuttet", "Sara Saksbehandler", "Gunnar Godkjenner", "@"):
        assert never not in text, never


def grants_csv_text(published) -> str:
    from assessment.opendata.flat import grants_csv

    return grants_csv(grants_for(published))


def test_the_csv_has_the_same_grants(decided_round, open_round, client):
    url = reverse("opendata:csv", args=["kkt", open_round.year])
    json_url = reverse("opendata:package", args=["kkt", open_round.year])

    response = client.get(url)
    package = json.loads(client.get(json_url).content)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="360giving-kkt-{open_round.year}.csv"')
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))
    assert [(r["Identifier"], int(r["Amount Applied For"]), int(r["Amount Awarded"]),
             r["Recipient Org:Identifier"], r["Recipient Org:Location:Geographic Code"],
             r["Funding Org:0:Name"], r["Funding Org:1:Identifier"]) for r in rows] == [
        (g["id"], g["amountAppliedFor"], g["amountAwarded"], g["recipientOrganization"][0]["id"],
         g["recipientOrganization"][0]["location"][0]["geoCode"],
         g["fundingOrganization"][0]["name"], g["fundingOrganization"][1]["id"])
        for g in package["grants"]
    ]
    assert len(rows) == 2


def test_the_public_page_needs_no_sign_in_and_links_the_files(decided_round, open_round,
                                                              client):
    response = client.get("/apne-data/")

    assert response.status_code == 200
    page = response.content.decode()
    assert f'href="/apne-data/kkt/{open_round.year}.json"' in page
    assert f'href="/apne-data/kkt/{open_round.year}.csv"' in page
    assert "Statsforvalteren i Rogaland, Statsforvalteren i Trøndelag" in page
    assert "kr\u00a0310\u00a0000" in page  # 250 000 to Trondheim + 60 000 to Stavanger
    json_response = client.get(f"/apne-data/kkt/{open_round.year}.json")
    assert json_response.status_code == 200
    assert package_errors(json.loads(json_response.content)) == []


def test_an_undecided_round_shows_nothing(
    application, rogaland_application, caseworker, approver, open_round, client,
):
    # Given one case decided but without its letter, and one not decided at all
    decide(application, caseworker, approver)
    close(open_round)

    page = client.get("/apne-data/")
    json_response = client.get(f"/apne-data/kkt/{open_round.year}.json")
    csv_response = client.get(f"/apne-data/kkt/{open_round.year}.csv")

    assert page.status_code == 200
    assert "Ingen søknadsrunder er ferdig behandlet ennå." in page.content.decode()
    assert f"/apne-data/kkt/{open_round.year}" not in page.content.decode()
    assert (json_response.status_code, csv_response.status_code) == (404, 404)
    assert published_rounds() == []


def test_an_office_is_published_only_once_all_its_letters_are_sent(
    application, rogaland_application, caseworker, approver, rogaland_caseworker,
    rogaland_approver, open_round, django_capture_on_commit_callbacks,
):
    # Given Trøndelag has decided and sent its letter; Rogaland has decided, letter not sent
    send_letter(decide(application, caseworker, approver), caseworker,
                django_capture_on_commit_callbacks)
    stavanger_case = decide(rogaland_application, rogaland_caseworker, rogaland_approver)
    close(open_round)

    before = published_round("kkt", open_round.year)
    send_letter(stavanger_case, rogaland_caseworker, django_capture_on_commit_callbacks)
    after = published_round("kkt", open_round.year)

    assert [o.name for o in before.offices] == ["Statsforvalteren i Trøndelag"]
    assert [g["recipientOrganization"][0]["name"] for g in grants_for(before)] == [
        "Trondheim - Tråante kommune"]
    assert [o.name for o in after.offices] == ["Statsforvalteren i Rogaland",
                                               "Statsforvalteren i Trøndelag"]
    assert (after.grants, after.awarded) == (2, Decimal("120000"))


def test_an_office_with_a_case_still_open_is_not_published(
    application, trondheim, malvik, open_round, caseworker, approver, budget,
    django_capture_on_commit_callbacks,
):
    # Given Trondheim decided and lettered, and Malvik's application not yet assessed
    send_letter(decide(application, caseworker, approver), caseworker,
                django_capture_on_commit_callbacks)
    submit(malvik, open_round, member(malvik, MembershipRole.SIGNATORY,
                                      email="signatur@malvik.example.no"))
    close(open_round)

    assert published_round("kkt", open_round.year) is None


def test_a_recipient_without_an_organisation_number_gets_the_portals_own_id(
    trondheim, malvik, open_round, budget, caseworker, approver,
    django_capture_on_commit_callbacks,
):
    signatory = member(malvik, MembershipRole.SIGNATORY, email="signatur@malvik.example.no")
    case = decide(submit(malvik, open_round, signatory), caseworker, approver)
    send_letter(case, caseworker, django_capture_on_commit_callbacks)
    close(open_round)

    package = package_for(published_round("kkt", open_round.year))

    assert case.status == AssessmentStatus.DECIDED
    assert package["grants"][0]["recipientOrganization"][0]["id"] == "360G-hdir-kommune-5031"
    assert package_errors(package) == []


def test_the_schema_check_refuses_what_360giving_refuses():
    grant = {"id": "360G-hdir-X", "title": "t", "description": "d", "currency": "NOK",
             "amountAwarded": 1, "awardDate": "2026-06-01",
             "recipientOrganization": [{"id": "NO-BRC-942110464", "name": "n"}],
             "fundingOrganization": [{"id": "NO-BRC-983544622", "name": "Helsedirektoratet"}]}

    assert package_errors({"grants": [grant]}) == []
    assert package_errors({"grants": []}) == ["grants: [] should be non-empty"]
    assert package_errors({"grants": [{**grant, "awardDate": "1. juni 2026"}]}) != []
    assert package_errors({"grants": [{**grant, "currency": "KRONER"}]}) != []
    without_recipient = {k: v for k, v in grant.items() if k != "recipientOrganization"}
    assert package_errors({"grants": [without_recipient]}) != []


def test_building_a_rounds_grants_takes_the_same_queries_for_one_grant_or_three(
    trondheim, open_round, budget, signatory, caseworker, approver,
    django_capture_on_commit_callbacks, django_assert_num_queries,
):
    def lettered(org):
        user = signatory if org == trondheim else member(
            org, MembershipRole.SIGNATORY, email=f"s@{org.municipality_number}.example.no")
        send_letter(decide(submit(org, open_round, user), caseworker, approver), caseworker,
                    django_capture_on_commit_callbacks)

    # The first build that holds a recipient records its id (an insert and a read back:
    # assessment.opendata.recipients), once for all of them; a build after that reads them.
    lettered(trondheim)
    close(open_round)
    published = published_round("kkt", open_round.year)
    with django_assert_num_queries(6):
        assert len(grants_for(published)) == 1
    with django_assert_num_queries(4):
        assert len(grants_for(published)) == 1
    reopen(open_round)
    for number, name in (("5031", "Malvik kommune"), ("5035", "Stjørdal kommune")):
        lettered(OrganisationFactory(name=name, org_number="", municipality_number=number,
                                     county=trondheim.county))
    close(open_round)
    published = published_round("kkt", open_round.year)
    with django_assert_num_queries(6):
        assert len(grants_for(published)) == 3
    with django_assert_num_queries(4):
        assert len(grants_for(published)) == 3


def test_the_public_page_reads_the_same_queries_for_one_round_or_two(
    decided_round, trondheim, signatory, caseworker, approver, client,
    django_capture_on_commit_callbacks, django_assert_num_queries,
):
    # Given a second decided round with Trondheim's grant lettered
    from tests.tilskudd.factories import OfficeBudgetFactory, RoundFactory

    with django_assert_num_queries(4):  # publication, totals, rounds, offices
        one = client.get("/apne-data/")
    earlier = RoundFactory(year=decided_round["trondheim"].application.round.year - 1)
    OfficeBudgetFactory(round=earlier, office=trondheim.office)
    send_letter(decide(submit(trondheim, earlier, signatory), caseworker, approver),
                caseworker, django_capture_on_commit_callbacks)
    close(earlier)

    with django_assert_num_queries(4):
        two = client.get("/apne-data/")

    assert one.content.decode().count("360Giving-fil") == 1
    assert two.content.decode().count("360Giving-fil") == 2


def test_a_rounds_file_is_built_once_and_served_again_from_the_cache(
    decided_round, open_round, client
):
    url = reverse("opendata:package", args=["kkt", open_round.year])
    with CaptureQueriesContext(connection) as building:
        first = client.get(url)
    with CaptureQueriesContext(connection) as serving:
        again = client.get(url)

    assert again.status_code == 200
    assert again.content == first.content
    # Finding the published round is asked again; the grants are not read again.
    assert len(serving.captured_queries) < len(building.captured_queries)
