"""The words of the steps and the preview are rendered once a language by {% fixed %}
(content.html, facts.html, edit.html, preview.html): a page in one language after the
other shows each its own, bokmål, nynorsk and English (the receipt's copy of the content:
test_receipt_language)."""

from django.urls import reverse

from tilskudd.services import user_language_choose

#: a word of content.html (the preview), facts.html (both) and edit.html (the step) in each
#: language, with the markup around it; each word differs in all three
WORDS = {
    "nb": ("<dt>Formål</dt>", ">Mottaker</dt>", ">Fyll ut søknaden fra en Excel-fil</a>"),
    "nn": ("<dt>Føremål</dt>", ">Mottakar</dt>", ">Fyll ut søknaden frå ei Excel-fil</a>"),
    "en": ("<dt>Purpose</dt>", ">Recipient</dt>",
           ">Fill in the application from an Excel file</a>"),
}


def test_each_language_gets_its_own_words_one_after_the_other(client, editor, draft):
    client.force_login(editor)
    step = reverse("applications:step", args=[draft.pk, "tjenesteutvikling"])
    preview = reverse("applications:preview", args=[draft.pk])

    pages = []
    for language in ["nb", "nn", "en", "nb", "en", "nn", "nb"]:
        user_language_choose(user=editor, language=language)
        pages.append((language, client.get(preview).content.decode(),
                      client.get(step).content.decode()))

    for language, preview_html, step_html in pages:
        purpose, recipient, excel = WORDS[language]
        assert purpose in preview_html and recipient in preview_html
        assert recipient in step_html and excel in step_html
        for other in WORDS.keys() - {language}:
            assert not any(word in preview_html or word in step_html for word in WORDS[other])
