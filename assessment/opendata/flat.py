"""The same grants as CSV, one row per grant, with the 360Giving spreadsheet template's
column titles (the first item of a list rolled up: "Recipient Org:Identifier"; the two
funding organisations numbered: "Funding Org:0:Identifier")."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from typing import Any

from tilskudd.documents.excel.common import FORMULA_TRIGGERS

Column = tuple[str, Callable[[dict[str, Any]], Any]]

COLUMNS: list[Column] = [
    ("Identifier", lambda g: g["id"]),
    ("Title", lambda g: g["title"]),
    ("Description", lambda g: g["description"]),
    ("Currency", lambda g: g["currency"]),
    ("Amount Applied For", lambda g: g["amountAppliedFor"]),
    ("Amount Awarded", lambda g: g["amountAwarded"]),
    ("Award Date", lambda g: g["awardDate"]),
    ("Recipient Org:Identifier", lambda g: g["recipientOrganization"][0]["id"]),
    ("Recipient Org:Name", lambda g: g["recipientOrganization"][0]["name"]),
    ("Recipient Org:Location:Geographic Code",
     lambda g: g["recipientOrganization"][0]["location"][0]["geoCode"]),
    ("Recipient Org:Location:Geographic Code Type",
     lambda g: g["recipientOrganization"][0]["location"][0]["geoCodeType"]),
    ("Recipient Org:Location:Country Code",
     lambda g: g["recipientOrganization"][0]["location"][0]["countryCode"]),
    ("Beneficiary Location:Name", lambda g: g["beneficiaryLocation"][0]["name"]),
    ("Beneficiary Location:Geographic Code", lambda g: g["beneficiaryLocation"][0]["geoCode"]),
    ("Funding Org:0:Identifier", lambda g: g["fundingOrganization"][0]["id"]),
    ("Funding Org:0:Name", lambda g: g["fundingOrganization"][0]["name"]),
    ("Funding Org:1:Identifier", lambda g: g["fundingOrganization"][1]["id"]),
    ("Funding Org:1:Name", lambda g: g["fundingOrganization"][1]["name"]),
    ("Grant Programme:Code", lambda g: g["grantProgramme"][0]["code"]),
    ("Grant Programme:Title", lambda g: g["grantProgramme"][0]["title"]),
    ("Grant Programme:URL", lambda g: g["grantProgramme"][0].get("url", "")),
    ("From An Open Call?", lambda g: g["fromOpenCall"]),
    ("Data Source", lambda g: g["dataSource"]),
]


def _cell(value: Any) -> Any:
    # A spreadsheet runs a cell that starts with a formula's trigger as a formula; no value
    # made here does, but a name is text from outside, so guard it as our Excel files do.
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def grants_csv(grants: Iterable[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([title for title, _get in COLUMNS])
    for grant in grants:
        writer.writerow([_cell(get(grant)) for _title, get in COLUMNS])
    return out.getvalue()
