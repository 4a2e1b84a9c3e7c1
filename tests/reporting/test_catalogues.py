"""reporting/'s own catalogues: its pages, messages and script texts are said in nynorsk and
English when that is the language chosen, with the plural forms each language has."""

import pytest
from django.contrib.admin.sites import site
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core import mail
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from reporting import services
from reporting.admin import ReportAdmin
from reporting.changes import services as change_services
from reporting.changes.models import ChangeLetter
from reporting.models import Report, ReportStatus
from reporting.views import _js_texts
from tests.pdf import pdf_text
from tilskudd.models import Organisation

from .change_helpers import accept, ask, recommended
from .helpers import ready_report

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("language", "saved", "returned"), [
    ("nb", "Sist lagret kl. 12:00", "Sendt tilbake for retting"),
    ("nn", "Sist lagra kl. 12:00", "Sendt tilbake for retting"),
    ("en", "Last saved at 12:00", "Returned for correction"),
])
def test_the_report_forms_script_texts_and_statuses_follow_the_language(
    language, saved, returned,
):
    with translation.override(language):
        assert _js_texts()["saved"] % {"time": "12:00"} == saved
        assert str(ReportStatus.RETURNED.label) == returned


def test_nynorsk_is_nynorsk_and_english_is_english():
    with translation.override("nn"):
        assert _("Søknaden har ikke fått innvilget tilskudd, så det skal ikke rapporteres på "
                 "den.") == ("Søknaden har ikkje fått innvilga tilskot, så det skal ikkje "
                             "rapporterast på han.")
    with translation.override("en"):
        assert _("Krav om tilbakebetaling") == "Repayment claim"


@pytest.mark.parametrize(("language", "heading"), [
    ("nb", "Mine rapporter"), ("nn", "Mine rapportar"), ("en", "My reports")])
def test_mine_rapporter_is_shown_in_the_users_language(client, signatory, language, heading):
    signatory.language = language
    signatory.save(update_fields=["language"])
    client.force_login(signatory)

    page = client.get(reverse("reporting:list")).content.decode()

    assert f'lang="{language}"' in page
    assert f">{heading}</h1>" in page


@pytest.mark.parametrize(("language", "one", "two"), [
    ("nb", "1 rapport er godkjent.", "2 rapporter er godkjent."),
    ("nn", "1 rapport er godkjent.", "2 rapportar er godkjende."),
    ("en", "1 report approved.", "2 reports approved."),
])
def test_approving_reports_in_the_admin_counts_them_in_the_language(
    report, signatory, caseworker, language, one, two,
):
    ready_report(report, signatory)
    services.report_submit(report=report, user=signatory)
    request = RequestFactory().post("/")
    request.user, request.session = caseworker, {}
    request._messages = FallbackStorage(request)

    with translation.override(language):
        ReportAdmin(Report, site).approve_reports(request, Report.objects.filter(pk=report.pk))
        plural = ngettext("%(count)d rapport er godkjent.", "%(count)d rapporter er godkjent.",
                          2) % {"count": 2}

    assert [str(m) for m in get_messages(request)] == [one]
    assert plural == two
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED


@pytest.mark.parametrize(("written", "words", "not_words"), [
    ("nn", ["avslår endringssøknaden frå", "Tilskotet på kr 260 000 gjeld som før",
            "Det kan ikkje klagast på vedtaket"], ["ikke", "Tilskuddet"]),
    ("nb", ["avslår endringssøknaden fra", "Tilskuddet på kr 260 000 gjelder som før",
            "Det kan ikke klages på vedtaket"], ["ikkje", "Tilskotet"]),
])
def test_a_change_letter_and_its_email_are_in_the_municipalitys_language_form(
    application, caseworker, approver, signatory, written, words, not_words,
    django_capture_on_commit_callbacks,
):
    """Språklova §15 (2), whatever the approver's own language (here English)."""
    grant = accept(application, caseworker, signatory, django_capture_on_commit_callbacks)
    Organisation.objects.filter(pk=application.organisation_id).update(
        written_language=written)
    change = recommended(ask(grant, signatory), caseworker, "refuse", "Dekket av tilskuddet.")
    mail.outbox.clear()
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        change_services.change_request_decide(change_request=change, user=approver)

    letter = ChangeLetter.objects.get(change_request=change)
    with letter.file.open("rb") as fh:
        text = pdf_text(fh.read())
    for word in words:
        assert word in text
    for word in not_words:
        assert word not in text.split()
    expected = {"nn": "endringa er avslått", "nb": "endringen er avslått"}[written]
    assert expected in mail.outbox[-1].body
