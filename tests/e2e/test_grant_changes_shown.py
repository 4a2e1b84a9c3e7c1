"""After an approved change request, in Chromium: the signatory's «Vedtak» page and the
office's case page say the decision was changed, with the lines before and now and the
change's letter; axe finds nothing on either."""

import re

from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, login, logout
from tests.e2e.test_change_request import APPROVER, CASEWORKER, SIGNATORY, accepted_grant

__all__ = ["accepted_grant"]  # the fixture, used by name


def _approved_change(application):
    from reporting.changes import services
    from tests.reporting.change_helpers import ask, recommended
    from tilskudd.models import User

    change = ask(application, User.objects.get(email=SIGNATORY),
                 {("competence", 0): "80000", ("bpa", 0): "100000"})
    recommended(change, User.objects.get(email=CASEWORKER))
    return services.change_request_decide(change_request=change,
                                          user=User.objects.get(email=APPROVER))


def test_the_decision_and_the_case_page_show_the_approved_change(page, accepted_grant):
    change = _approved_change(accepted_grant)

    login(page, SIGNATORY)
    page.goto(f"/tildeling/{accepted_grant.pk}/")
    section = page.locator("#grant-changes")
    expect(section).to_contain_text(f"endringssøknad {change.reference} ble innvilget")
    expect(section.get_by_role("link", name="Brev om endringssøknaden (PDF)")).to_be_visible()
    rows = section.locator("#moved-lines tbody tr")
    expect(rows.first).to_contain_text(re.compile(r"kr.120.000\s*kr.80.000"))
    expect(rows.last).to_contain_text(re.compile(r"kr.60.000\s*kr.100.000"))
    assert_accessible(page)
    logout(page)

    login(page, CASEWORKER)
    page.goto(f"/admin/assessment/submittedapplication/{accepted_grant.pk}/change/")
    module = page.locator("#change-requests")
    expect(module.get_by_role("link", name=change.reference)).to_be_visible()
    expect(module).to_contain_text(f"Vedtaket er endret: endringssøknad {change.reference}")
    expect(module.locator("#moved-lines tfoot")).to_contain_text(
        re.compile(r"kr.180.000\s*kr.180.000"))
    assert_accessible(page)
