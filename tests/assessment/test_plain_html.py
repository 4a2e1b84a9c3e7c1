"""assessment.admin.plain_html with SafeData: left as it is, as format_html leaves it (not
escaped a second time), beside plain texts that are escaped; a str subclass that is not
SafeData is escaped as a str (plain texts: test_admin_rows)."""

import pytest
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy

from assessment.admin import plain_html


class Name(str):
    """A str subclass that is not SafeData (as some libraries' texts are)."""


class Markup:
    """Not a str, but says its own HTML, as format_html lets a text do."""

    def __html__(self):
        return "<abbr>KKT</abbr>"


@pytest.mark.parametrize("texts", [
    (mark_safe("<em>Trukket</em>"), "Helse <Nord>", 3),  # noqa: S308
    (format_html("{} &amp; {}", "A<", "B"), mark_safe("&laquo;"), Name("<b>")),  # noqa: S308
    (Name("&amp;"), format_html("<i>{}</i>", "x"), "{}"),
    (Markup(), mark_safe(gettext_lazy("<b>Trukket</b>")), gettext_lazy("Søkt <kr>")),  # noqa: S308
])
def test_plain_html_leaves_safe_data_as_format_html_does(texts):
    template = '{}<br><span class="help">{}, {}</span>'

    ours = plain_html(template, *texts)

    assert ours == format_html(template, *texts)
    assert isinstance(ours, SafeString)
    assert "&amp;lt;" not in ours and "&lt;em&gt;" not in ours
