"""The demo round (manage.py seed --demo) in the open data: once the office has sent the
letter for its decision, the round's 360Giving file validates and holds Trondheim's grant."""

import json

import pytest

from assessment import services
from assessment.models import Assessment, AssessmentStatus
from assessment.opendata.grants import package_for
from assessment.opendata.publication import published_round
from assessment.opendata.schema import package_errors
from tilskudd.models import User
from tilskudd.seeding import (
    DEMO_LOGINS,
    demo_round_years,
    load_demo_data,
    load_reference_data,
    run_app_demo_loaders,
)


def seed_demo_and_send_letters(capture) -> int:
    """What `manage.py seed --demo` loads, then the demo caseworker makes the letter of
    every decided case (as in the admin). Returns the closed demo round's year."""
    load_reference_data()
    load_demo_data()
    run_app_demo_loaders()
    caseworker = User.objects.get(email=DEMO_LOGINS[2].email)
    with capture(execute=True):
        for case in Assessment.objects.filter(status=AssessmentStatus.DECIDED):
            services.letter_generate(assessment=case, user=caseworker, replace=False)
    return demo_round_years()[1]


@pytest.mark.django_db
def test_the_demo_rounds_360giving_file_validates(django_capture_on_commit_callbacks):
    year = seed_demo_and_send_letters(django_capture_on_commit_callbacks)

    published = published_round("kkt", year)
    package = package_for(published)

    assert package_errors(package) == []
    assert [office.name for office in published.offices] == ["Statsforvalteren i Trøndelag"]
    [grant] = package["grants"]
    assert grant["recipientOrganization"][0]["id"] == "NO-BRC-942110464"
    assert grant["amountAppliedFor"] == grant["amountAwarded"] == 540000
    assert grant["grantProgramme"][0] == {
        "code": f"kkt-{year}",
        "title": f"Kompetanse- og tjenesteutviklingstilskudd {year}",
        "url": "https://www.helsedirektoratet.no/tilskudd/kompetanse-og-tjenesteutviklingstilskudd",
    }
    assert "(kap. 761.68)" in grant["description"]
    text = json.dumps(package, ensure_ascii=False)
    assert "kontakt@trondheim.example.no" not in text
    assert "Kari Kontakt" not in text and "Sigurd Signatur" not in text
