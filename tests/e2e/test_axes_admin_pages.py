"""django-axes' pages of one attempt and one failure (tilskudd/axes_admin.py) in Chromium,
which the admin sweep (test_every_admin_page.py) does not reach, as a sign-in leaves no
attempt behind: named in the page's language, and axe finds nothing on them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.e2e.conftest import login
from tests.e2e.test_admin_buttons import demo_report  # noqa: F401
from tests.e2e.test_every_admin_page import SUPERUSER, visit

NAMES = {
    "nb": ("Innloggingsforsøk for kari@example.no", "Mislykket innlogging for kari@example.no"),
    "en": ("Sign-in attempt for kari@example.no", "Failed sign-in for kari@example.no"),
}


@pytest.mark.parametrize("language", ["nb", "en"])
def test_an_attempts_and_a_failures_pages_are_named_in_the_language(
        page, demo_report, language):  # noqa: F811 (the fixture imported above)
    from axes.models import AccessAttempt, AccessFailureLog

    seen = {"username": "kari@example.no", "ip_address": "192.0.2.7", "user_agent": "Firefox",
            "http_accept": "text/html", "path_info": "/logg-inn/"}
    attempt = AccessAttempt.objects.create(**seen, get_data="", post_data="",
                                           failures_since_start=5)
    failure = AccessFailureLog.objects.create(**seen, locked_out=True)
    login(page, SUPERUSER)
    if language != "nb":
        page.goto("/admin/")
        page.locator(f'#language-choice button[value="{language}"]').click()
        page.wait_for_load_state()
    attempt_name, failure_name = NAMES[language]
    found: list[str] = []
    for path, name in [
        (reverse("admin:axes_accessattempt_change", args=[attempt.pk]), attempt_name),
        (reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), attempt_name),
        (reverse("admin:axes_accessattempt_history", args=[attempt.pk]), attempt_name),
        (reverse("admin:axes_accessfailurelog_change", args=[failure.pk]), failure_name),
    ]:
        visit(page, path, found)
        shown = page.locator("#content").inner_text() + page.locator(".breadcrumbs").inner_text()
        assert name in shown, path
        assert "Attempted Access" not in shown and "Failed access" not in shown, path

    assert found == [], "\n".join(found)
