"""A recipient's pages label their one grant «Grant» in English, as the reporting catalogue
says: the open-data page's column of grants («Grants», assessment's) has a context of its
own, so it no longer wins over reporting's entry, the first app in INSTALLED_APPS taking a
message both catalogues hold (found in review of 06f0bb4)."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from reporting import services
from reporting.models import UnusedChoice
from reporting.transfer_models import RepaymentClaim

from .change_helpers import accept, ask
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
