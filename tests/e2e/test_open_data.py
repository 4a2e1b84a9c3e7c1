"""A visitor, not signed in, finds the open data of the demo round and downloads its
files; the page is accessible."""

import json

from tests.assessment.test_opendata_demo import seed_demo_and_send_letters
from tests.e2e.conftest import assert_accessible


def test_a_visitor_downloads_the_open_data_without_signing_in(
    page, transactional_db, django_capture_on_commit_callbacks,
):
    year = seed_demo_and_send_letters(django_capture_on_commit_callbacks)

    page.goto("/")
    page.get_by_role("link", name="Åpne data om tilskuddene").click()

    assert page.get_by_role("heading", name="Åpne data om tilskudd").is_visible()
    assert page.get_by_role("link", name="Logg inn").first.is_visible()
    row = page.get_by_role("row", name=f"Kompetanse- og tjenesteutviklingstilskudd {year}")
    assert "Statsforvalteren i Trøndelag" in row.inner_text()
    assert "kr\u00a0540\u00a0000" in row.inner_text()
    assert_accessible(page)
    with page.expect_download() as download:
        row.get_by_role("link", name=f"360Giving-fil {year} (JSON)").click()
    assert download.value.suggested_filename == f"360giving-kkt-{year}.json"
    with open(download.value.path(), encoding="utf-8") as fh:
        package = json.load(fh)
    assert [g["recipientOrganization"][0]["name"] for g in package["grants"]] == [
        "Trondheim - Tråante kommune"]
    with page.expect_download() as download:
        row.get_by_role("link", name=f"Regneark {year} (CSV)").click()
    assert download.value.suggested_filename == f"360giving-kkt-{year}.csv"


def test_the_open_data_page_says_so_when_no_round_is_decided(page, transactional_db):
    page.goto("/apne-data/")

    assert page.get_by_text("Ingen søknadsrunder er ferdig behandlet ennå.").is_visible()
    assert_accessible(page)
