"""The change request's pages: the signatory's form (a refusal shown next to the field,
what was typed kept, nothing written), the request's page, the letter's PDF, what the
archive, the inbox and the admin index show, and the office's two admin pages (four
eyes: the one who recommended is refused on the page, nothing changed)."""

import re

import pytest
from django.urls import reverse

from reporting.changes.models import ChangeRequest, ChangeRequestLine, ChangeStatus

from .change_helpers import REASON, accept, ask, lines_of, recommended

pytestmark = pytest.mark.django_db


@pytest.fixture
def grant(application, caseworker, signatory, django_capture_on_commit_callbacks):
    return accept(application, caseworker, signatory, django_capture_on_commit_callbacks)


def _form_data(grant, amounts: dict[tuple[str, int], str], reason=REASON) -> dict[str, str]:
    data = {"reason": reason}
    for part, lines in lines_of(grant).items():
        for index, line in enumerate(lines):
            data[f"amount_{part}_{line.line_id}"] = amounts.get((part, index), str(line.granted))
    return data


def test_the_form_shows_each_line_with_its_amount(client, grant, signatory):
    client.force_login(signatory)

    page = client.get(reverse("reporting:change_new", args=[grant.pk])).content.decode()

    assert "Fordelingen av tilskuddet (kr\u00a0260\u00a0000 i alt)" in page
    bpa = lines_of(grant)["bpa"][0]
    assert re.search(rf'id="id_amount_bpa_{bpa.line_id}" value="60\u00a0000"', page)
    assert page.count("Innvilget nå:") == 3


def test_a_sum_above_the_grant_is_shown_next_to_the_field_and_nothing_is_written(
    client, grant, signatory
):
    client.force_login(signatory)
    data = _form_data(grant, {("bpa", 0): "100000"})

    response = client.post(reverse("reporting:change_new", args=[grant.pk]), data)

    assert response.status_code == 200
    page = response.content.decode()
    bpa = lines_of(grant)["bpa"][0]
    field = f"id_amount_bpa_{bpa.line_id}"
    assert re.search(rf'id="{field}" value="100000" class="form-control is-invalid" '
                     rf'aria-invalid="true" aria-describedby="{field}-error"', page)
    assert re.search(rf'id="{field}-error">Summen av de nye beløpene er kr.300.000, men '
                     r"tilskuddet er kr.260.000\. En endring kan ikke øke tilskuddet", page)
    assert f'href="#{field}"' in page  # the error summary links to it
    assert REASON in page  # nothing typed is lost
    assert ChangeRequest.objects.count() == 0
    assert ChangeRequestLine.objects.count() == 0


def test_a_word_for_an_amount_is_refused_next_to_the_field(client, grant, signatory):
    client.force_login(signatory)
    data = _form_data(grant, {("bpa", 0): "hundre tusen"})

    page = client.post(reverse("reporting:change_new", args=[grant.pk]), data).content.decode()

    assert "Skriv beløpet i hele kroner, med bare tall (for eksempel 60000)." in page
    assert 'value="hundre tusen"' in page
    assert ChangeRequest.objects.count() == 0


def test_a_request_sent_shows_its_receipt(client, grant, signatory):
    client.force_login(signatory)
    data = _form_data(grant, {("competence", 1): "100000", ("bpa", 0): "100000"})

    response = client.post(reverse("reporting:change_new", args=[grant.pk]), data, follow=True)

    change = ChangeRequest.objects.get()
    assert response.redirect_chain == [
        (reverse("reporting:change_detail", args=[change.reference]) + "?sendt=1", 302)]
    page = response.content.decode()
    assert f"Endringssøknaden er sendt til Statsforvalteren med referansenummer " \
           f"{change.reference}." in page
    assert "Sendt, venter på behandling" in page


def test_an_editor_sees_the_form_is_the_signatorys(client, grant, editor):
    client.force_login(editor)

    page = client.get(reverse("reporting:change_new", args=[grant.pk])).content.decode()

    assert "Bare den som har signaturrett for" in page
    assert "Send endringssøknaden" not in page


def test_someone_elses_grant_and_request_are_not_found(client, grant, signatory,
                                                       rogaland_signatory):
    change = ask(grant, signatory)
    client.force_login(rogaland_signatory)

    assert client.get(reverse("reporting:change_new", args=[grant.pk])).status_code == 404
    assert client.get(reverse("reporting:change_detail",
                              args=[change.reference])).status_code == 404
    assert client.get(reverse("reporting:change_letter",
                              args=[change.reference])).status_code == 404


def test_the_archive_offers_a_change_and_then_lists_the_request(client, grant, signatory):
    client.force_login(signatory)
    new_url = reverse("reporting:change_new", args=[grant.pk])

    before = client.get(reverse("applications:archive")).content.decode()
    change = ask(grant, signatory)
    after = client.get(reverse("applications:archive")).content.decode()

    assert new_url in before and "Søk om endring" in before
    assert new_url not in after
    assert f"Endringssøknad {change.reference}" in after


def test_the_inbox_and_the_admin_index_show_what_waits(client, grant, signatory, caseworker,
                                                        approver):
    change = ask(grant, signatory)
    client.force_login(signatory)
    inbox = client.get(reverse("home")).content.decode()
    client.force_login(caseworker)
    to_recommend = client.get(reverse("admin:index")).content.decode()
    recommended(change, caseworker)
    to_approve_own = client.get(reverse("admin:index")).content.decode()
    client.force_login(approver)
    to_approve = client.get(reverse("admin:index")).content.decode()

    assert "Endringssøknaden for Kompetanse- og tjenesteutviklingstilskudd" in inbox
    assert "venter på innstilling" in to_recommend
    assert "Innstillingen om endringssøknad fra" not in to_approve_own
    assert "Innstillingen om endringssøknad fra" in to_approve
    assert "venter på godkjenning" in to_approve


def test_the_office_recommends_and_another_approves_in_the_admin(
    client, grant, signatory, caseworker, approver, django_capture_on_commit_callbacks
):
    change = ask(grant, signatory)
    client.force_login(caseworker)
    recommend = reverse("admin:reporting_changerequest_recommend", args=[change.pk])
    assert client.post(recommend, {"recommendation": "approve", "note": "Godt begrunnet."}
                       ).status_code == 302
    client.force_login(approver)
    decide = reverse("admin:reporting_changerequest_decide", args=[change.pk])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(decide, {"note": ""})

    assert response.status_code == 302
    change.refresh_from_db()
    assert (change.status, change.recommended_by, change.decided_by) == (
        ChangeStatus.APPROVED, caseworker, approver)
    client.force_login(signatory)
    pdf = client.get(reverse("reporting:change_letter", args=[change.reference]))
    assert pdf.status_code == 200
    assert pdf["X-Content-SHA256"] == change.letter.sha256


def test_the_one_who_recommended_is_refused_on_the_page_and_nothing_changes(
    client, grant, signatory, approver
):
    change = recommended(ask(grant, signatory), approver)
    client.force_login(approver)

    response = client.post(reverse("admin:reporting_changerequest_decide", args=[change.pk]),
                           {"note": ""})

    assert response.status_code == 200
    assert "Du kan ikke godkjenne eller sende tilbake din egen innstilling." in \
        response.content.decode()
    change.refresh_from_db()
    assert (change.status, change.decided_by) == (ChangeStatus.RECOMMENDED, None)


def test_another_offices_staff_do_not_find_the_request(client, grant, signatory,
                                                       rogaland_caseworker):
    change = ask(grant, signatory)
    client.force_login(rogaland_caseworker)

    response = client.post(reverse("admin:reporting_changerequest_recommend", args=[change.pk]),
                           {"recommendation": "approve", "note": "x"})

    assert response.status_code == 404
    change.refresh_from_db()
    assert change.status == ChangeStatus.SUBMITTED


def test_the_admin_list_reads_in_a_fixed_number_of_queries(
    client, grant, signatory, approver, django_assert_max_num_queries
):
    ask(grant, signatory)
    client.force_login(approver)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("admin:reporting_changerequest_changelist"))

    assert response.status_code == 200
    assert ChangeRequest.objects.get().reference in response.content.decode()
