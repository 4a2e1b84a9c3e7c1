"""The receipt names the scheme in the language the application was submitted in: the
frozen content keeps the name as it read then (tilskudd.submissions.sender_content), and
the PDF copy made later, from a request in another language, shows that one."""

import pytest

from tests.pdf import pdf_text
from tilskudd.models import Scheme
from tilskudd.seeding import KKT_NAMES

from .test_receipt_language import receipt_pdf, submit_in

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_the_receipt_names_the_scheme_in_the_language_it_was_sent_in(
    language, draft, signatory, django_capture_on_commit_callbacks,
):
    Scheme.objects.filter(pk=draft.round.scheme_id).update(
        name_nb=KKT_NAMES["nb"], name_nn=KKT_NAMES["nn"], name_en=KKT_NAMES["en"])

    submission = submit_in(language, draft, signatory, django_capture_on_commit_callbacks)

    assert submission.content["scheme"] == KKT_NAMES[language]
    text = pdf_text(receipt_pdf(submission))
    assert KKT_NAMES[language] in text
    for other in set(KKT_NAMES) - {language}:
        assert KKT_NAMES[other] not in text
