"""E-mails to an organisation's people are in its language form (tilskudd.languages),
whatever the language of the page they were sent from (the words: applications/locale)."""

import pytest
from django.core import mail
from django.utils import translation
from django.utils.translation import gettext as _

from applications import services
from tilskudd.links import absolute_url
from tilskudd.models import Organisation
from tilskudd.receipts import when

pytestmark = pytest.mark.django_db



def in_language(language: str, text: str) -> str:
    with translation.override(language):
        return _(text)


@pytest.mark.parametrize(("written", "page", "expected"), [
    ("nn", "nb", "nn"), ("nn", "en", "nn"), ("nb", "nn", "nb"), ("", "en", "nb"),
])
def test_the_signature_request_is_in_the_organisations_language(
    draft, editor, signatory, written, page, expected, django_capture_on_commit_callbacks,
):
    Organisation.objects.filter(pk=draft.organisation_id).update(written_language=written)
    draft.organisation.refresh_from_db()
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True), translation.override(page):
        services.application_request_signature(application=draft, user=editor)

    body = (
        "%(user)s har gjort søknaden om %(scheme)s %(year)s klar og ber deg kontrollere "
        "og sende den inn.\n\nÅpne søknaden: %(link)s\n\nSøknadsfrist: %(deadline)s.")
    assert in_language("nn", body) != body  # applications/locale/nn has it
    [message] = mail.outbox
    rnd = draft.round
    with translation.override(expected):
        values = {"user": editor.full_name, "scheme": rnd.scheme.name, "year": rnd.year,
                  "link": absolute_url("applications:preview", draft.pk),
                  "deadline": when(rnd.application_deadline)}
    assert message.body == in_language(expected, body) % values


def test_sending_back_tells_a_nynorsk_organisation_in_nynorsk(
    draft, editor, signatory, django_capture_on_commit_callbacks,
):
    Organisation.objects.filter(pk=draft.organisation_id).update(written_language="nn")
    draft.organisation.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.application_request_signature(application=draft, user=editor)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True), translation.override("nb"):
        services.application_send_back(application=draft, user=signatory,
                                       comment="Rett beløpet.")

    subject = "Søknaden er sendt tilbake fra signering: %(org)s"
    assert mail.outbox[0].subject == in_language("nn", subject) % {
        "org": draft.organisation.name}
    assert mail.outbox[0].subject != subject % {"org": draft.organisation.name}
