"""The form page of a part with 10 lines carries the empty «add line» template once, and
reads no more queries than a page of one line (tests/applications/test_queries.py pins the
number)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.applications.factories import complete_application
from tests.applications.test_queries import with_lines

STEPS = ("kompetansetiltak", "bpa-opplaering", "tjenesteutvikling")


def _page(client, application, step):
    with CaptureQueriesContext(connection) as queries:
        html = client.get(reverse("applications:step", args=[application.pk, step])
                          ).content.decode()
    return html, len(queries)


@pytest.mark.parametrize("step", STEPS)
def test_a_ten_line_part_renders_the_empty_line_template_once(
    client, editor, trondheim, open_round, step
):
    one = complete_application(organisation=trondheim, round=open_round)
    client.force_login(editor)
    client.get(reverse("applications:step", args=[one.pk, step]))
    _, one_line_queries = _page(client, one, step)
    one.delete()
    ten = with_lines(complete_application(organisation=trondheim, round=open_round), 10)

    html, queries = _page(client, ten, step)

    assert html.count("<template data-empty-line>") == 1
    assert len(re.findall(r'id="\w+-line-__prefix__"', html)) == 1
    assert queries == one_line_queries
