"""assessment.admin.plain_html with SafeData: left as it is, as format_html leaves it (not
escaped a second time), beside plain texts that are escaped; a str subclass that is not
SafeData is escaped as a str (plain texts: test_admin_rows)."""

import pytest
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from assessment.admin import plain_html


class Name(str):
    """A str subclass that is not SafeData (as some libraries' texts are)."""


@pytest.mark.parametrize("texts", [
    (mark_safe("<em>Trukket</em>"), "Helse <Nord>", 3),  # noqa: S308
    (format_html("{} &amp; {}", "A<", "B"), mark_safe("&laquo;"), Name("<b>")),  # noqa: S308
    (Name("&amp;"), format_html("<i>{}</i>", "x"), "{}"),
])
def test_plain_html_leaves_safe_data_as_format_html_does(texts):
    template = '{}<br><span class="help">{}, {}</span>'

    ours = plain_html(template, *texts)

    assert ours == format_html(template, *texts)
    assert isinstance(ours, SafeString)
    assert "&amp;lt;" not in ours and "&lt;em&gt;" not in ours
