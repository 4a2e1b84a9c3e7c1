"""The words of the steps and the preview are rendered once a language by {% fixed %}
(content.html, facts.html, edit.html, preview.html): a page in one language after the
other shows each its own (the receipt's copy of the content: test_receipt_language)."""

from django.urls import reverse

from tilskudd.services import user_language_choose

WORDS = {  # a word of content.html, facts.html and edit.html in each language
    "nb": ("Ingen vedlegg.", "Søknadsfrist", "Tema"),
    "en": ("No attachments.", "Application deadline", "Topic"),
}


def test_each_language_gets_its_own_words_one_after_the_other(client, editor, draft):
    client.force_login(editor)
    step = reverse("applications:step", args=[draft.pk, "tjenesteutvikling"])
    preview = reverse("applications:preview", args=[draft.pk])

    pages = []
    for language in ["nb", "en", "nb", "en"]:
        user_language_choose(user=editor, language=language)
        pages.append((language, client.get(preview).content.decode(),
                      client.get(step).content.decode()))

    for language, preview_html, step_html in pages:
        other = WORDS["en" if language == "nb" else "nb"]
        no_attachments, deadline, topic = WORDS[language]
        assert no_attachments in preview_html and topic in preview_html
        assert f">{deadline}</dt>" in preview_html and f">{deadline}</dt>" in step_html
        assert other[0] not in preview_html and f">{other[1]}</dt>" not in step_html

