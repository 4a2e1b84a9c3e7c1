"""What the tests of both apps' workbooks read alike: the sheet names in every language,
and the names a page quotes."""

from __future__ import annotations

import re

from django.conf import settings
from django.utils import translation

from tilskudd.documents.excel.sheets import FORBIDDEN, MAX_LENGTH

#: A name quoted on a page: «Kompetanse» in nb and nn, “Competence” in English.
QUOTED = re.compile(r"[«“]([^»”]+)[»”]")


def assert_sheet_names_excel_takes(names) -> None:
    """Each of a workbook's sheet `names` (lazy) is, in every portal language, one Excel
    takes (1 to 31 characters, none of []:*?/\\), and no two are the same."""
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            titles = [str(name) for name in names]
        assert len(set(titles)) == len(titles), (code, titles)
        assert all(0 < len(t) <= MAX_LENGTH and not FORBIDDEN.search(t) for t in titles)
