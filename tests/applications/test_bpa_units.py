"""A BPA line's count is said with its unit («4 arbeidsledere (brukere)»), never as a bare
number after the target group («Arbeidsledere (brukere): 4»)."""

import pytest

from applications.models import BpaLine, BpaRole, bpa_persons


@pytest.mark.parametrize(("role", "persons", "text"), [
    (BpaRole.WORK_LEADER, 4, "4 arbeidsledere (brukere)"),
    (BpaRole.WORK_LEADER, 1, "1 arbeidsleder (bruker)"),
    (BpaRole.CASEWORKER, 3, "3 saksbehandlere i kommunen"),
    (BpaRole.ASSISTANT, 1, "1 assistent"),
    (BpaRole.ASSISTANT, 5, "5 assistenter"),
])
def test_a_bpa_count_has_its_unit(role, persons, text):
    assert bpa_persons(role, persons) == text
    assert str(BpaLine(role=role, persons=persons)) == text
