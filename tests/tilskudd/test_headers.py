"""Response headers: the strict Content-Security-Policy on every page, Permissions-Policy,
no-store for whatever a signed-in person sees (documents included), 8-hour sessions, and a
scan that keeps inline code out of the templates and scripts the browser is served."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib import admin
from django.template import engines
from django.template.utils import get_app_template_dirs
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from applications import services
from tests.applications.conftest import bpa_line, competence_line, complete_header, project
from tests.tilskudd.factories import OrganisationFactory, RoundFactory, UserFactory, member
from tilskudd.admin import OrganisationAdmin
from tilskudd.models import MembershipRole, Organisation

ROOT = Path(settings.BASE_DIR).resolve()
EIGHT_HOURS = 8 * 60 * 60
# What django.views.decorators.cache.never_cache sets (and the middleware, once signed in).
NEVER_CACHE = "max-age=0, no-cache, no-store, must-revalidate, private"
PASSWORD = "Passord-for-test-1"


def policy(response) -> dict[str, list[str]]:
    """The Content-Security-Policy header as {directive: [sources]}."""
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


STRICT_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}


@pytest.fixture
def signatory(db):
    return member(OrganisationFactory(), MembershipRole.SIGNATORY, email="signatur@example.no")


@pytest.fixture
def submitted(signatory, django_capture_on_commit_callbacks):
    """A complete application sent by the signatory, its receipt PDF made on commit."""
    organisation = signatory.memberships.get().organisation
    application = services.application_start(
        organisation=organisation, round=RoundFactory(), user=signatory)
    services.application_update(
        application=application, user=signatory, header=complete_header(),
        competence=[competence_line()], bpa=[bpa_line()], projects=[project()],
    )
    with django_capture_on_commit_callbacks(execute=True):
        return services.application_submit(application=application, user=signatory)


# --- Content-Security-Policy, Permissions-Policy, caching ------------------------------

def test_signed_in_page_has_the_strict_policy_and_is_never_cached(client, signatory):
    client.force_login(signatory)

    response = client.get(reverse("home"))

    assert response.status_code == 200
    assert policy(response) == STRICT_POLICY
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]
    assert response["Permissions-Policy"] == settings.PERMISSIONS_POLICY
    assert "camera=()" in response["Permissions-Policy"]
    assert response["Cache-Control"] == NEVER_CACHE


@pytest.mark.django_db
def test_anonymous_start_page_has_the_policy_and_stays_cacheable(client):
    response = client.get(reverse("home"))

    assert response.status_code == 200
    assert policy(response) == STRICT_POLICY
    assert response["Permissions-Policy"] == settings.PERMISSIONS_POLICY
    assert "Cache-Control" not in response


@pytest.mark.django_db
def test_anonymous_login_page_has_the_policy_and_only_djangos_own_never_cache(client):
    # LoginView is decorated with never_cache by Django itself; the middleware adds nothing.
    response = client.get(reverse("login"))

    assert response.status_code == 200
    assert policy(response) == STRICT_POLICY
    assert response["Permissions-Policy"] == settings.PERMISSIONS_POLICY
    assert response["Cache-Control"] == NEVER_CACHE


def test_admin_page_has_the_strict_policy_and_is_never_cached(client, db):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    response = client.get(reverse("admin:tilskudd_organisation_changelist"))

    assert response.status_code == 200
    assert policy(response) == STRICT_POLICY
    assert response["Cache-Control"] == NEVER_CACHE


def test_receipt_pdf_download_is_never_cached(client, signatory, submitted):
    client.force_login(signatory)

    response = client.get(reverse("applications:receipt_pdf", args=[submitted.reference]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"].split(", ")
    assert response["Permissions-Policy"] == settings.PERMISSIONS_POLICY
    assert b"".join(response.streaming_content).startswith(b"%PDF")


# --- Sessions ----------------------------------------------------------------------------

def test_session_lasts_at_most_eight_hours_and_ends_with_the_browser(client, signatory):
    before = timezone.now()

    response = client.post(reverse("login"),
                           {"username": "signatur@example.no", "password": PASSWORD})

    assert response.status_code == 302
    assert settings.SESSION_COOKIE_AGE == EIGHT_HOURS
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    # A browser-session cookie: no max-age or expiry, so it ends when the browser closes ...
    assert cookie["max-age"] == ""
    assert cookie["expires"] == ""
    assert cookie["httponly"] is True
    # ... and the server forgets the session after eight hours at the latest.
    session = client.session
    assert session.get_expire_at_browser_close() is True
    assert session.get_expiry_age() == EIGHT_HOURS
    stored = session.get_expiry_date() - before
    assert stored.total_seconds() <= EIGHT_HOURS + 5


# --- No inline code in what the browser is served -----------------------------------------

TAG = re.compile(r"<([a-zA-Z][\w-]*)\b([^>]*)>", re.S)
STYLE_ATTRIBUTE = re.compile(r"(?:^|\s)style\s*=", re.I)
EVENT_HANDLER = re.compile(r"(?:^|\s)on[a-z]+\s*=", re.I)
DATA_SCRIPT = re.compile(r"""type\s*=\s*["']application/(?:ld\+)?json["']""", re.I)


def inline_code(text: str) -> list[str]:
    """What the strict policy would refuse in a piece of HTML (template or Python string):
    <style> blocks, style="" and on*="" attributes, inline <script>, javascript: URLs."""
    found = []
    for match in TAG.finditer(text):
        name, attributes = match.group(1).lower(), match.group(2)
        if name == "style":
            found.append("<style>")
        if name == "script" and "src=" not in attributes and not DATA_SCRIPT.search(attributes):
            found.append("inline <script>")
        if STYLE_ATTRIBUTE.search(attributes):
            found.append("style attribute")
        if EVENT_HANDLER.search(attributes):
            found.append("event-handler attribute")
    if "javascript:" in text.lower():
        found.append("javascript: URL")
    return found


def served_templates() -> list[Path]:
    """Every template of the project (not of installed libraries), except the *_pdf.html ones
    WeasyPrint renders: those never reach a browser."""
    dirs = [*engines["django"].engine.dirs, *get_app_template_dirs("templates")]
    ours = [Path(d).resolve() for d in dirs if Path(d).resolve().is_relative_to(ROOT)
            and ".venv" not in Path(d).parts]
    return sorted(path for d in ours for path in d.rglob("*.html")
                  if not path.name.endswith("_pdf.html"))


def test_the_scan_finds_each_kind_of_inline_code():
    html = """
      <style>p { color: red }</style>
      <p class="x" style="color: red">
      <script>alert(1)</script>
      <script src="/static/js/portal.js" defer></script>
      <script id="js-texts" type="application/json">{}</script>
      <button type="button" onclick="go()">
      <a href="javascript:go()">
      <span class="nowrap" data-onclick="x">
    """

    assert inline_code(html) == [
        "<style>", "style attribute", "inline <script>", "event-handler attribute",
        "javascript: URL",
    ]


def test_served_templates_hold_no_inline_style_script_or_event_handler():
    templates = served_templates()
    found = {str(path.relative_to(ROOT)): inline_code(path.read_text())
             for path in templates}

    assert len(templates) > 40  # the scan reaches every app's templates
    assert ROOT / "templates/admin/change_list.html" in templates
    assert ROOT / "assessment/templates/assessment/admin/case.html" in templates
    assert {path: kinds for path, kinds in found.items() if kinds} == {}


def test_python_code_renders_no_inline_style_or_script():
    # format_html/mark_safe strings in admin columns and widgets reach the browser too.
    sources = [path for app in ("tilskudd", "applications", "assessment", "reporting")
               for path in (ROOT / app).rglob("*.py") if "migrations" not in path.parts]
    found = {str(path.relative_to(ROOT)): inline_code(path.read_text()) for path in sources}

    assert len(sources) > 20
    assert {path: kinds for path, kinds in found.items() if kinds} == {}


def test_scripts_set_no_style_attribute_and_evaluate_no_strings():
    # element.style.x = ... (CSSOM) is allowed under style-src 'self'; a style attribute
    # written as text (setAttribute, innerHTML) is not, nor is eval.
    refused = re.compile(r"""setAttribute\(\s*["']style["']|style=|\beval\(|new Function\(""")
    scripts = sorted((ROOT / "static/js").glob("*.js"))

    found = {str(path.relative_to(ROOT)): refused.findall(path.read_text()) for path in scripts}

    assert ROOT / "static/js/portal.js" in scripts
    assert {path: hits for path, hits in found.items() if hits} == {}


def test_change_list_without_actions_moves_djangos_inline_style_to_a_body_class(db):
    # Django adds <style> to a change list with neither top nor bottom actions;
    # templates/admin/change_list.html replaces it by the body class "no-actions".
    request = RequestFactory().get("/admin/tilskudd/organisation/")
    request.user = UserFactory(is_staff=True, is_superuser=True)
    model_admin = OrganisationAdmin(Organisation, admin.site)
    model_admin.actions_on_top = model_admin.actions_on_bottom = False

    response = model_admin.changelist_view(request)
    html = response.rendered_content

    assert "<style" not in html
    assert re.search(r'<body class="[^"]*\bno-actions\b', html)
    assert "css/admin-extra.css" in html
    assert "admin/css/changelists.css" in html
