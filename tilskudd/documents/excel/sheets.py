"""A workbook's sheet names in the language it is made in, and finding them again on upload.

A sheet's name is a translation, `pgettext_lazy("Excel sheet", "Kompetanse")` (written out
where the name is declared, for makemessages), made in the language of the export. An
upload finds each sheet by its name in the language the file is read in, else by its name
in any other of the portal's languages, so a workbook made in nynorsk still imports in a
bokmål session, and one made before the names were translated (every name in bokmål)
still imports in any.
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import pgettext_lazy
from openpyxl import Workbook

#: The sheet of each part, the same in every owner's workbook (an application's, a
#: report's); the header sheet and the last sheet are the owner's own.
SHEET_COMPETENCE = pgettext_lazy("Excel sheet", "Kompetanse")
SHEET_BPA = pgettext_lazy("Excel sheet", "BPA")
SHEET_PROJECTS = pgettext_lazy("Excel sheet", "Prosjekter")

#: Excel's own limits on a sheet's name.
MAX_LENGTH = 31
FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
# A name Excel takes unquoted in a formula: a word that is not also a cell reference.
_PLAIN = re.compile(r"[^\W\d]\w*")
_CELL_LIKE = re.compile(r"[A-Za-z]{1,3}\d+", re.ASCII)


def names_in_every_language(name: Any) -> list[str]:
    """`name` in the active language first, then in each other portal language."""
    active = translation.get_language() or settings.LANGUAGE_CODE
    names = [str(name)]
    for code, _language in settings.LANGUAGES:
        if code != active:
            with translation.override(code):
                names.append(str(name))
    return list(dict.fromkeys(names))


def find_sheet(wb: Workbook, name: Any) -> str:
    """The title of the sheet `name` in `wb`, in whichever portal language the file has it;
    the active language's when there is none (reading it gives None, and the import reports
    it missing by that name)."""
    present = set(wb.sheetnames)
    names = names_in_every_language(name)
    return next((title for title in names if title in present), names[0])


def formula_ref(title: str) -> str:
    """The sheet as a formula names it: `Kompetanse`, or quoted (`'Sheet 1'`) when Excel
    needs quotes (a space, a sign, a name like a cell reference)."""
    if _PLAIN.fullmatch(title) and not _CELL_LIKE.fullmatch(title):
        return title
    return "'" + title.replace("'", "''") + "'"
