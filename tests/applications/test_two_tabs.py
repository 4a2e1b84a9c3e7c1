"""Two tabs (or two colleagues) on one draft: a save of a page loaded before another tab
changed the lines removes only the lines that page showed and no longer holds
(applications/lines.py); the Excel import still replaces the parts the workbook holds."""

from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from applications import services
from applications.excel import export_application, import_application
from tests.applications.conftest import competence_line
from tests.applications.test_views import COMPETENCE, form_data, step_url

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FETCH = {"X-Requested-With": "fetch"}
FIRST = competence_line()["description"]  # the draft's one line


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


class Fields(HTMLParser):
    """What a browser would post from the page: every named field with its value."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, str] = {}
        self._textarea = self._select = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") != "checkbox":
                self.data[name] = a.get("value") or ""
            elif "checked" in a:
                self.data[name] = a.get("value", "on")
        elif tag == "textarea":
            self._textarea = name
            self.data[name] = ""
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select and "selected" in a:
            self.data[self._select] = a.get("value")

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None


def _page(client, url) -> dict[str, str]:
    """The competence part of the page as loaded now (what the tab will post)."""
    parser = Fields()
    parser.feed(client.get(url).content.decode())
    return {k: v for k, v in parser.data.items() if k.startswith("competence-")}


def _autosave(client, url, data):
    answer = client.post(url, {**data, "action": "autosave"}, headers=FETCH)
    assert answer.status_code == 200
    return answer.json()


def _add_line_in_tab_a(client, url, draft, description="Typed in tab A"):
    line = draft.competence_lines.get()
    posted = {k: v for k, v in form_data(draft, competence=[
        {"id": line.pk, **COMPETENCE, "description": line.description},
        {**COMPETENCE, "description": description, "amount": "45000"}]).items()
        if k.startswith("competence-")}
    assert _autosave(client, url, posted)["saved"] is True
    assert draft.competence_lines.count() == 2


def _descriptions(draft) -> list[str]:
    return list(draft.competence_lines.order_by("pk").values_list("description", flat=True))


@pytest.mark.django_db
def test_a_stale_tab_keeps_the_line_another_tab_added(editor_client, draft):
    url = step_url(draft, "kompetansetiltak")
    tab_b = _page(editor_client, url)  # loaded before tab A adds a line
    _add_line_in_tab_a(editor_client, url, draft)

    tab_b["competence-0-description"] = "Videreutdanning (rettet i fane B)"
    assert _autosave(editor_client, url, tab_b)["saved"] is True

    assert _descriptions(draft) == ["Videreutdanning (rettet i fane B)", "Typed in tab A"]


@pytest.mark.django_db
def test_the_full_save_of_a_stale_page_keeps_it_too(editor_client, draft):
    url = step_url(draft, "kompetansetiltak")
    tab_b = _page(editor_client, url)
    _add_line_in_tab_a(editor_client, url, draft)

    assert editor_client.post(url, {**tab_b, "action": "save"}).status_code == 302

    assert "Typed in tab A" in _descriptions(draft)


@pytest.mark.django_db
def test_a_line_the_page_showed_and_marks_removed_is_removed(editor_client, draft):
    url = step_url(draft, "kompetansetiltak")
    _add_line_in_tab_a(editor_client, url, draft, description="To be removed")
    tab_b = _page(editor_client, url)  # shows both lines
    added = draft.competence_lines.create(
        **competence_line(description="Added in tab A after B loaded"))

    tab_b["competence-1-DELETE"] = "on"
    assert _autosave(editor_client, url, tab_b)["saved"] is True

    descriptions = _descriptions(draft)
    assert "To be removed" not in descriptions
    assert descriptions[-1] == added.description


@pytest.mark.django_db
def test_a_line_removed_elsewhere_and_edited_here_is_saved_as_a_new_line(
        editor_client, draft):
    url = step_url(draft, "kompetansetiltak")
    _add_line_in_tab_a(editor_client, url, draft, description="Removed in tab A")
    tab_b = _page(editor_client, url)
    gone = draft.competence_lines.get(description="Removed in tab A")
    tab_a = _page(editor_client, url)
    tab_a["competence-1-DELETE"] = "on"
    _autosave(editor_client, url, tab_a)
    assert _descriptions(draft) == [FIRST]

    tab_b["competence-1-description"] = "Typed in tab B"
    answer = _autosave(editor_client, url, tab_b)

    assert answer["saved"] is True
    new = draft.competence_lines.get(description="Typed in tab B")
    assert new.pk != gone.pk  # what was typed is kept, as a new line
    # the page gets the new id, so its next save updates that line, not a third one
    assert answer["ids"] == {"competence-1-id": new.pk}
    tab_b["competence-1-id"] = str(new.pk)
    _autosave(editor_client, url, tab_b)
    assert draft.competence_lines.count() == 2


@pytest.mark.django_db
def test_a_line_removed_elsewhere_and_removed_here_stays_removed(editor_client, draft):
    url = step_url(draft, "kompetansetiltak")
    _add_line_in_tab_a(editor_client, url, draft, description="Removed twice")
    tab_b = _page(editor_client, url)
    tab_a = _page(editor_client, url)
    tab_a["competence-1-DELETE"] = tab_b["competence-1-DELETE"] = "on"
    _autosave(editor_client, url, tab_a)

    assert _autosave(editor_client, url, tab_b)["saved"] is True
    assert _descriptions(draft) == [FIRST]


@pytest.mark.django_db
def test_the_excel_import_still_replaces_the_lines_of_the_parts_it_holds(draft, editor):
    workbook = export_application(draft)  # holds the one competence line
    services.application_update(application=draft, user=editor, competence=[
        {"id": draft.competence_lines.get().pk, **competence_line()},
        competence_line(description="Added after the export")])

    result = import_application(application=draft, user=editor,
                                uploaded_file=SimpleUploadedFile("s.xlsx", workbook, XLSX))

    assert result.errors == []
    assert _descriptions(draft) == [FIRST]


NOTICES = {
    "nb": ("Søknaden er endret i en annen fane", "Søknaden var endret i en annen fane"),
    "nn": ("Søknaden er endra i ein annan fane", "Søknaden var endra i ein annan fane"),
    "en": ("The application has been changed in another tab",
           "The application had been changed in another tab"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("language", list(NOTICES))
def test_a_save_of_a_stale_page_says_the_draft_was_changed_elsewhere(
        editor_client, draft, language):
    editor_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    url = step_url(draft, "kompetansetiltak")
    tab_b = _page(editor_client, url) | {"version": _version_on(editor_client, url)}
    tab_c = _page(editor_client, url) | {"version": _version_on(editor_client, url)}
    _add_line_in_tab_a(editor_client, url, draft)
    autosave_notice, page_notice = NOTICES[language]

    answer = _autosave(editor_client, url, tab_b)
    assert answer["saved"] is True and answer["notice"].startswith(autosave_notice)
    # the answer's version is what the page carries from now on: its own next save is not
    # "changed elsewhere"
    assert _autosave(editor_client, url, tab_b | {"version": answer["version"]})["notice"] == ""

    page = editor_client.post(url, {**tab_c, "action": "save"}, follow=True)
    assert page_notice in page.content.decode()
    assert "Typed in tab A" in _descriptions(draft)


def _version_on(client, url) -> str:
    parser = Fields()
    parser.feed(client.get(url).content.decode())
    return parser.data["version"]
