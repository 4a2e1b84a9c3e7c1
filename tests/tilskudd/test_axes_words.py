"""django-axes' list and change pages of sign-in attempts in the reader's language: every
column heading, the status a row shows (a count in the plural it takes), the filters'
titles and the change page's labels and sections (tilskudd/axes_admin.py, the catalogues'
AXES_TEXTS)."""

import html
import re

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from tests.tilskudd.factories import UserFactory

pytestmark = pytest.mark.django_db

EXPECTED = {
    "nb": {
        "headings": ["Tidspunkt", "IP-adresse", "Nettleser (user agent)", "Brukernavn", "Sti",
                     "Mislykkede innlogginger", "Status"],
        "status": ["Sperret", "1 forsøk igjen", "2 forsøk igjen"],
        "filters": ["Etter Tidspunkt", "Etter Sti", "Etter Sperret"],
        "labels": ["Brukernavn", "Sti", "Mislykkede innlogginger", "Utløp av innloggingsforsøk",
                   "GET-data", "POST-data", "Nettleser (user agent)", "IP-adresse",
                   "Godtatte innholdstyper (HTTP Accept)"],
        "sections": ["Skjemadata", "Metadata"],
    },
    "nn": {
        "headings": ["Tidspunkt", "IP-adresse", "Nettlesar (user agent)", "Brukarnamn", "Sti",
                     "Mislukka innloggingar", "Status"],
        "status": ["Sperra", "1 forsøk att", "2 forsøk att"],
        "filters": ["Etter Tidspunkt", "Etter Sti", "Etter Sperra"],
        "labels": ["Brukarnamn", "Sti", "Mislukka innloggingar", "Utløp av innloggingsforsøk",
                   "GET-data", "POST-data", "Nettlesar (user agent)", "IP-adresse",
                   "Godtekne innhaldstypar (HTTP Accept)"],
        "sections": ["Skjemadata", "Metadata"],
    },
    "en": {
        "headings": ["Time of attempt", "IP address", "User agent", "Username", "Path",
                     "Failed sign-ins", "Status"],
        "status": ["Locked out", "1 attempt left", "2 attempts left"],
        "filters": ["By Time of attempt", "By Path", "By Locked out"],
        "labels": ["Username", "Path", "Failed sign-ins", "Access attempt expiration",
                   "GET data", "POST data", "User agent", "IP address", "HTTP Accept"],
        "sections": ["Form data", "Metadata"],
    },
}


def _text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


def _all(pattern: str, page: str) -> list[str]:
    return [_text(found) for found in re.findall(pattern, page, flags=re.S)]


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_the_attempts_list_and_change_page_read_in_the_language(client, language):
    # given attempts locked out, with one try left and with two, and a superuser
    attempts = [AccessAttempt.objects.create(
        username=f"person{failures}@example.no", ip_address="192.0.2.7", user_agent="Firefox",
        http_accept="text/html", path_info="/logg-inn/", get_data="", post_data="",
        failures_since_start=failures) for failures in (5, 4, 3)]
    client.force_login(UserFactory(is_staff=True, is_superuser=True, language=language))

    # when they open the list and an attempt
    listed = client.get(reverse("admin:axes_accessattempt_changelist")).content.decode()
    shown = client.get(reverse("admin:axes_accessattempt_change",
                               args=[attempts[0].pk])).content.decode()

    # then each heading, status, filter, label and section is in the language
    table = re.search(r"<thead>.*?</thead>", listed, flags=re.S).group(0)
    assert [h for h in _all(r'<th scope="col".*?</th>', table) if h] == (
        EXPECTED[language]["headings"])
    assert sorted(_all(r'<td class="field-status">(.*?)</td>', listed)) == sorted(
        EXPECTED[language]["status"])
    assert _all(r"<summary>(.*?)</summary>", listed.split('id="changelist-filter"')[1]) == (
        EXPECTED[language]["filters"])
    assert _all(r"<label>(.*?):</label>", shown) == EXPECTED[language]["labels"]
    assert _all(r'<h2 id="fieldset-[^"]*" class="fieldset-heading">(.*?)</h2>', shown) == (
        EXPECTED[language]["sections"])
