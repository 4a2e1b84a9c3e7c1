"""The open data's CSV guards a text that a spreadsheet would run as a formula by the one
list our Excel files use (tilskudd.documents.excel.common.FORMULA_TRIGGERS)."""

import csv
import io

import pytest

from assessment.opendata.flat import COLUMNS, grants_csv
from tilskudd.documents.excel.common import FORMULA_TRIGGERS


def _grant(name: str) -> dict:
    location = {"geoCode": "5001", "geoCodeType": "KOMMUNE", "countryCode": "NO"}
    return {
        "id": "no-x-1", "title": "Tilskudd", "description": "", "currency": "NOK",
        "amountAppliedFor": 1, "amountAwarded": 1, "awardDate": "2027-06-01",
        "recipientOrganization": [{"id": "NO-BRC-1", "name": name, "location": [location]}],
        "beneficiaryLocation": [{"name": "Trondheim", "geoCode": "5001"}],
        "fundingOrganization": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}],
        "grantProgramme": [{"code": "kkt", "title": "KKT"}],
        "fromOpenCall": "Yes", "dataSource": "https://example.no",
    }


@pytest.mark.parametrize("trigger", FORMULA_TRIGGERS)
def test_a_name_starting_with_a_formula_trigger_is_written_as_text(trigger):
    name = f"{trigger}HYPERLINK(\"https://example.com\")"

    rows = list(csv.reader(io.StringIO(grants_csv([_grant(name)]))))

    column = [title for title, _get in COLUMNS].index("Recipient Org:Name")
    assert rows[1][column] == "'" + name

