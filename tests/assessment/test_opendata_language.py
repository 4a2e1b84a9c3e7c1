"""The open-data page reads in the visitor's language, the scheme's name too; its 360Giving
file and CSV are one published data set, built in bokmål whoever asks first (one identifier,
one title: the scheme's name as published), and cached as such."""

import json

import pytest
from django.conf import settings

from tilskudd.models import Scheme
from tilskudd.seeding import KKT_NAMES

from .test_opendata import decided_round, malvik  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db

COOKIE = settings.LANGUAGE_COOKIE_NAME
COLUMN = {"nn": "Tilskot", "en": "Grants"}


@pytest.mark.parametrize("language", ["nn", "en"])
def test_the_page_follows_the_visitor_and_the_files_stay_in_bokmal(
    decided_round, open_round, client, language,  # noqa: F811
):
    Scheme.objects.filter(pk=open_round.scheme_id).update(
        name_nb=KKT_NAMES["nb"], name_nn=KKT_NAMES["nn"], name_en=KKT_NAMES["en"])
    client.cookies[COOKIE] = language

    page = client.get("/apne-data/").content.decode()
    package = client.get(f"/apne-data/kkt/{open_round.year}.json").content.decode()
    flat = client.get(f"/apne-data/kkt/{open_round.year}.csv").content.decode()

    assert f"{KKT_NAMES[language]} {open_round.year}" in page
    # its column of grants, «Grants» in English, not the reporting pages' one grant («Grant»)
    assert f'<th scope="col" class="text-end">{COLUMN[language]}</th>' in page
    data = json.loads(package)
    assert data["title"] == f"{KKT_NAMES['nb']} {open_round.year}: innvilgede tilskudd"
    assert {g["grantProgramme"][0]["title"] for g in data["grants"]} == {
        f"{KKT_NAMES['nb']} {open_round.year}"}
    assert KKT_NAMES[language] not in package
    assert KKT_NAMES["nb"] in flat and KKT_NAMES[language] not in flat
    client.cookies[COOKIE] = "nb"
    assert client.get(f"/apne-data/kkt/{open_round.year}.json").content.decode() == package
