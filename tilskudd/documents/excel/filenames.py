"""The name a downloaded workbook gets: KKT-2026-Trondheim-rapport.xlsx, plain ASCII, safe
in any browser and file system, once for every app's Excel download."""

from __future__ import annotations

import unicodedata

from ...models import Organisation, Round

NORDIC = (("æ", "ae"), ("ø", "o"), ("å", "aa"), ("Æ", "Ae"), ("Ø", "O"), ("Å", "Aa"))


def short_name(organisation: Organisation, fallback: str) -> str:
    """«Trondheim - Tråante kommune» → «Trondheim»: the first name, without «kommune» or
    «fylkeskommune», in ASCII letters and digits joined by hyphens (`fallback` if none)."""
    name = organisation.name.split(" - ")[0]
    for suffix in (" fylkeskommune", " kommune"):
        name = name.removesuffix(suffix)
    for nordic, plain in NORDIC:
        name = name.replace(nordic, plain)
    name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return "-".join("".join(c if c.isalnum() else " " for c in name).split()) or fallback


def workbook_filename(organisation: Organisation, rnd: Round, what: str) -> str:
    """SCHEME-YEAR-NAME-WHAT.xlsx, e.g. workbook_filename(org, rnd, "rapport")."""
    return f"{rnd.scheme.code.upper()}-{rnd.year}-{short_name(organisation, what)}-{what}.xlsx"
