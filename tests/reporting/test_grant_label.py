"""A recipient's pages label their one grant «Grant» in English, and the office's change
request page its one letter «Letter», as the reporting catalogue says, not assessment's
«Grants» and «Letters» (the first app in INSTALLED_APPS takes a message both catalogues
hold): the open-data page's column of grants and the change request's letter heading have a
context of their own (found in review of 06f0bb4)."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from reporting import services
from reporting.models import UnusedChoice
from reporting.transfer_models import RepaymentClaim

from .change_helpers import accept, ask
from .test_change_letter_link import decided  # noqa: F401 (the fixture)
from .test_repayments import sent

pytestmark = pytest.mark.django_db


@pytest.fixture
def english(signatory, client):
    signatory.language = "en"
    signatory.save(update_fields=["language"])
    client.force_login(signatory)
    return client


def test_the_change_request_page_names_its_grant_in_english(
    application, caseworker, signatory, english, django_capture_on_commit_callbacks
):
    grant = accept(application, caseworker, signatory, django_capture_on_commit_callbacks)
    change = ask(grant, signatory)

    page = english.get(reverse("reporting:change_detail", args=[change.reference])).content.decode()

    assert 'lang="en"' in page
    assert '<dt class="col-sm-3">Grant</dt>' in page


def test_the_repayment_claim_page_names_its_grant_in_english(
    report, signatory, caseworker, english, django_capture_on_commit_callbacks
):
    sent(report, signatory, 10_000, UnusedChoice.REPAY)
    with django_capture_on_commit_callbacks(execute=True):
        services.report_approve(report=report, user=caseworker)
    claim = RepaymentClaim.objects.get()

    page = english.get(reverse("reporting:repayment_claim", args=[claim.pk])).content.decode()

    assert '<dt class="col-sm-3">Grant</dt>' in page


@pytest.mark.parametrize(("language", "one", "column"), [
    ("nb", "Tilskudd", "Tilskudd"), ("nn", "Tilskot", "Tilskot"), ("en", "Grant", "Grants")])
def test_one_grant_and_the_open_data_column_of_grants_follow_the_language(language, one, column):
    with translation.override(language):
        assert _("Tilskudd") == one  # the report list's column, the report workbook's row
        assert pgettext("open data: the column of grants", "Tilskudd") == column


def test_the_offices_change_request_page_heads_its_one_letter_letter_in_english(
    decided, caseworker, client  # noqa: F811
):
    caseworker.language = "en"
    caseworker.save(update_fields=["language"])
    client.force_login(caseworker)

    page = client.get(reverse("admin:reporting_changerequest_change", args=[decided.pk]))

    # one letter, not the case page's list of letters («Letters», assessment's)
    assert '<h3>Letter</h3><p id="change-letter">' in page.content.decode()
