"""The applicant sees their application's own history on its page: each status change,
when (Oslo time), what, by whom and the note (the reference sent, or why it was withdrawn)."""

import re

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from applications import services
from applications.models import StatusChange


def history_rows(html: str) -> list[list[str]]:
    section = re.search(r'<section id="section-history".*?</section>', html, re.S)
    assert section, "no history on the page"
    return [
        [re.sub(r"\s+", " ", cell).strip() for cell in re.findall(r"<td>(.*?)</td>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", section.group(0), re.S)
        if "<td>" in row
    ]


def oslo(moment) -> str:
    return date_format(timezone.localtime(moment), "j. F Y \\k\\l. H:i")


def test_a_draft_never_sent_shows_no_history(client, editor, draft):
    client.force_login(editor)

    response = client.get(reverse("applications:edit", args=[draft.pk]), follow=True)

    html = response.content.decode()
    assert 'id="steps-heading"' in html
    assert 'id="section-history"' not in html


def test_the_submitted_page_shows_when_what_and_who(client, editor, signatory, draft):
    # given: the application was sent
    submission = services.application_submit(application=draft, user=signatory)
    sent = StatusChange.objects.get(application=draft)
    client.force_login(editor)

    # when: the editor opens its page
    html = client.get(reverse("applications:edit", args=[draft.pk])).content.decode()

    # then: the one step is listed
    assert history_rows(html) == [
        [oslo(sent.at), "Under arbeid → Sendt inn", "Sigurd Signatur", submission.reference],
    ]


def test_a_withdrawn_application_lists_every_step_oldest_first(
    client, editor, signatory, draft
):
    submission = services.application_submit(application=draft, user=signatory)
    services.application_withdraw(application=draft, user=signatory, reason="Feil beløp.")
    sent, withdrawn = StatusChange.objects.filter(application=draft).order_by("pk")
    client.force_login(editor)

    html = client.get(reverse("applications:edit", args=[draft.pk]), follow=True).content.decode()

    assert history_rows(html) == [
        [oslo(sent.at), "Under arbeid → Sendt inn", "Sigurd Signatur", submission.reference],
        [oslo(withdrawn.at), "Sendt inn → Trukket", "Sigurd Signatur", "Feil beløp."],
    ]
