"""WeasyPrint fetches only the project's own static files (and inline data: URLs): a
document naming a local file or a web address is made without it, and the refusal logged."""

import base64
import io
import logging
import urllib.request

import pytest
from django.conf import settings as django_settings
from PIL import Image
from pypdf import PdfReader

from tests.pdf import pdf_text
from tilskudd.documents.pdf import STATIC_BASE_URL, html_to_pdf, static_file_path

PDF_LOGGER = "tilskudd.documents.pdf"


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def _html(head: str = "", body: str = "") -> str:
    return f"<!doctype html><html><head>{head}</head><body><p>Kvittering</p>{body}</body></html>"


def _refusals(caplog) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.name == PDF_LOGGER]


def _images(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages[0].images)


@pytest.fixture
def no_network(monkeypatch):
    """Every URL urllib is asked to open (it must be none but data: URLs)."""
    opened = []
    original = urllib.request.OpenerDirector.open

    def recording(self, url, *args, **kwargs):
        opened.append(getattr(url, "full_url", url))
        return original(self, url, *args, **kwargs)

    monkeypatch.setattr(urllib.request.OpenerDirector, "open", recording)
    return opened


@pytest.fixture
def static_dir(settings, tmp_path):
    folder = tmp_path / "static"
    folder.mkdir()
    (folder / "pdf-test.css").write_text("@page { size: A5; }\n")
    (folder / "logo.png").write_bytes(_png())
    settings.STATICFILES_DIRS = [folder]
    return folder


def test_local_files_and_web_addresses_are_refused_and_logged_and_the_pdf_is_made(
    caplog, no_network
):
    caplog.set_level(logging.WARNING, logger=PDF_LOGGER)
    html = _html(
        head='<link rel="stylesheet" href="file:///etc/passwd">',
        body='<img src="file:///etc/hostname" alt=""><img src="http://127.0.0.1:9/x.png" alt="">'
             '<img src="https://example.org/x.png" alt="">',
    )

    pdf = html_to_pdf(html)

    assert pdf_text(pdf) == "Kvittering"
    assert _images(pdf) == 0
    assert _refusals(caplog) == [
        f"PDF rendering refused to fetch {url} (only the project's static files are served)"
        for url in ("file:///etc/passwd", "file:///etc/hostname", "http://127.0.0.1:9/x.png",
                    "https://example.org/x.png")
    ]
    assert no_network == []


def test_the_projects_static_css_and_images_still_load(static_dir, caplog, no_network):
    caplog.set_level(logging.WARNING, logger=PDF_LOGGER)
    html = _html(head='<link rel="stylesheet" href="/static/pdf-test.css">',
                 body='<img src="logo.png" alt="">')

    pdf = html_to_pdf(html)

    page = PdfReader(io.BytesIO(pdf)).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (420, 595)
    assert len(page.images) == 1
    assert _refusals(caplog) == []
    assert no_network == []


def test_an_inline_data_image_loads_without_the_network(caplog):
    caplog.set_level(logging.WARNING, logger=PDF_LOGGER)
    source = "data:image/png;base64," + base64.b64encode(_png()).decode()

    pdf = html_to_pdf(_html(body=f'<img src="{source}" alt="">'))

    assert _images(pdf) == 1
    assert _refusals(caplog) == []


def test_the_real_static_folder_is_served():
    assert static_file_path(STATIC_BASE_URL + "css/tilskudd.css") == str(
        django_settings.BASE_DIR / "static" / "css" / "tilskudd.css")


def test_collected_files_with_hashed_names_are_served_from_static_root(settings, tmp_path):
    (tmp_path / "css").mkdir()
    collected = tmp_path / "css" / "tilskudd.0123abcd.css"
    collected.write_text("body { color: black; }")
    settings.STATIC_ROOT = tmp_path

    assert static_file_path(STATIC_BASE_URL + "css/tilskudd.0123abcd.css") == str(collected)


@pytest.mark.parametrize("url", [
    STATIC_BASE_URL + "../../etc/hostname",
    STATIC_BASE_URL + "%2e%2e/%2e%2e/etc/hostname",
    STATIC_BASE_URL + "css/%2e%2e/%2e%2e/%2e%2e/etc/hostname",
    STATIC_BASE_URL + "%2Fetc%2Fhostname",
    STATIC_BASE_URL + "css\\..\\..\\settings.py",
    "https://static.tilskudd.invalid/etc/hostname",
    "https://example.org/static/css/tilskudd.css",
    "file:///work/static/css/tilskudd.css",
    STATIC_BASE_URL + "css/does-not-exist.css",
])
def test_nothing_outside_the_static_files_is_served(url):
    assert static_file_path(url) is None
