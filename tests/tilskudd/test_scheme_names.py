"""The scheme's name and rules summary in the reader's language (språklova): stored data,
in bokmål, nynorsk and English (tilskudd/translation.py), read in the active language and
in bokmål where that language's is empty; the seed and migration 0013 fill the known names."""

import pytest
from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import translation

from tests.tilskudd.factories import (
    OfficeFactory,
    RoundFactory,
    SchemeFactory,
    UserFactory,
    office_staff,
)
from tilskudd.models import Round, Scheme
from tilskudd.seeding import (
    KKT_NAMES,
    KKT_RULES,
    KKT_RULES_TRANSLATED,
    load_demo_data,
    load_reference_data,
)

NB, NN, EN = KKT_NAMES["nb"], KKT_NAMES["nn"], KKT_NAMES["en"]
COOKIE = settings.LANGUAGE_COOKIE_NAME


def translated(**extra) -> Scheme:
    return SchemeFactory(name_nb=NB, name_nn=NN, name_en=EN, **extra)


def test_the_known_names_are_real_translations():
    assert NB == "Kompetanse- og tjenesteutviklingstilskudd"
    assert NN == "Kompetanse- og tenesteutviklingstilskot"
    assert EN == "Competence and service development grant"
    assert "tilskot" in KKT_RULES_TRANSLATED["nn"] and "ikke" not in KKT_RULES_TRANSLATED["nn"]
    assert "grant" in KKT_RULES_TRANSLATED["en"]


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "expected"), [("nb", NB), ("nn", NN), ("en", EN)])
def test_the_name_and_the_round_title_are_in_the_active_language(language, expected):
    rnd = RoundFactory(scheme=translated(), year=2027)
    rnd = Round.objects.select_related("scheme").get(pk=rnd.pk)  # as the pages read it

    with translation.override(language):
        assert rnd.scheme.name == expected
        assert str(rnd.scheme) == expected
        assert rnd.title == f"{expected} 2027"
    assert str(rnd) == "KKT 2027"  # the code is the same in every language


@pytest.mark.django_db
@pytest.mark.parametrize("empty", [None, ""])
def test_an_empty_translation_reads_as_bokmal(empty):
    scheme = SchemeFactory(name_nb=NB, name_nn=empty, name_en=NN, rules_text_nb="Regler.",
                           rules_text_nn=empty)
    scheme.refresh_from_db()

    with translation.override("nn"):
        assert scheme.name == NB
        assert scheme.rules_text == "Regler."
    with translation.override("en"):
        assert scheme.name == NN  # what is there is read, whatever it says


@pytest.mark.django_db
def test_a_scheme_made_with_name_in_another_language_still_has_its_bokmal_name():
    """MODELTRANSLATION_AUTO_POPULATE = "default": Scheme(name=…) fills name_nb too, so a
    scheme made while a nynorsk page is active is not nameless in bokmål."""
    with translation.override("nn"):
        scheme = Scheme.objects.create(code="ny", name="Nytt tilskot", eligible_kinds=[])
    scheme.refresh_from_db()

    assert scheme.name_nb == "Nytt tilskot"
    with translation.override("nb"):
        assert scheme.name == "Nytt tilskot"


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "expected", "other"), [("nn", NN, NB), ("en", EN, NB),
                                                              ("nb", NB, NN)])
def test_the_start_page_names_the_open_round_in_the_readers_language(
    client, language, expected, other,
):
    RoundFactory(scheme=translated())
    client.cookies[COOKIE] = language

    page = client.get("/").content.decode()

    assert f'<html lang="{language}"' in page
    assert expected in page
    assert other not in page


@pytest.mark.django_db
def test_the_demo_seed_gives_the_scheme_its_three_names():
    load_reference_data()
    load_demo_data()
    load_demo_data()  # again: idempotent, still three names

    scheme = Scheme.objects.get(code="kkt")
    assert (scheme.name_nb, scheme.name_nn, scheme.name_en) == (NB, NN, EN)
    assert scheme.rules_text_nb == KKT_RULES
    assert scheme.rules_text_nn == KKT_RULES_TRANSLATED["nn"]
    assert scheme.rules_text_en == KKT_RULES_TRANSLATED["en"]


@pytest.mark.django_db
def test_the_admin_edits_the_three_names_and_staff_read_them(client):
    scheme = SchemeFactory(name_nb=NB)
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    url = f"/admin/tilskudd/scheme/{scheme.pk}/change/"

    page = client.get(url).content.decode()
    for field in ("name_nb", "name_nn", "name_en", "rules_text_nb", "rules_text_nn",
                  "rules_text_en"):
        assert f'name="{field}"' in page
    assert 'name="name"' not in page
    assert "Navn – Nynorsk:</label>" in page

    response = client.post(url, {
        "code": "kkt", "name_nb": NB, "name_nn": NN, "name_en": "", "budget_chapter": "761.68",
        "rules_text_nb": "", "rules_text_nn": "", "rules_text_en": "", "rules_url": "",
        "eligible_kinds": '["municipality"]',
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    scheme.refresh_from_db()
    assert (scheme.name_nb, scheme.name_nn, scheme.name_en) == (NB, NN, None)

    missing_bokmal = client.post(url, {
        "code": "kkt", "name_nb": "", "name_nn": "Anna", "name_en": "", "budget_chapter": "761.68",
        "rules_text_nb": "", "rules_text_nn": "", "rules_text_en": "", "rules_url": "",
        "eligible_kinds": '["municipality"]',
    })
    assert missing_bokmal.status_code == 200  # bokmål is the one the others fall back to
    assert set(missing_bokmal.context["adminform"].form.errors) == {"name_nb"}
    scheme.refresh_from_db()
    assert (scheme.name_nb, scheme.name_nn) == (NB, NN)  # nothing of the refused form saved

    listed = client.get("/admin/tilskudd/scheme/").content.decode()
    assert NB in listed and NN in listed  # a column per language

    client.force_login(office_staff(OfficeFactory()))
    read_only = client.get(url).content.decode()
    assert NN in read_only
    assert 'name="name_nn"' not in read_only


BEFORE = ("tilskudd", "0012_organisation_name_index")
AFTER = ("tilskudd", "0013_scheme_name_and_rules_in_nb_nn_en")


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_the_migration_fills_the_known_names_and_keeps_bokmal_going_back():
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    old = _migrate([BEFORE])
    try:
        OldScheme = old.get_model("tilskudd", "Scheme")
        OldScheme.objects.create(code="kkt", name=NB, rules_text=KKT_RULES, eligible_kinds=[])
        OldScheme.objects.create(code="annet", name="Et annet tilskudd", rules_text="Regler.",
                                 eligible_kinds=[])

        new = _migrate([AFTER])

        Migrated = new.get_model("tilskudd", "Scheme")
        kkt, other = Migrated.objects.get(code="kkt"), Migrated.objects.get(code="annet")
        assert (kkt.name_nb, kkt.name_nn, kkt.name_en) == (NB, NN, EN)
        assert kkt.rules_text_nb == KKT_RULES
        assert kkt.rules_text_nn == KKT_RULES_TRANSLATED["nn"]
        assert kkt.rules_text_en == KKT_RULES_TRANSLATED["en"]
        # one nobody has translated: bokmål only, the others read as bokmål
        assert (other.name_nb, other.name_nn, other.name_en) == ("Et annet tilskudd", None, None)
        assert other.rules_text_nb == "Regler."

        Migrated.objects.filter(code="kkt").update(name_nb="Endret i admin")
        back = _migrate([BEFORE])

        assert back.get_model("tilskudd", "Scheme").objects.get(code="kkt").name == (
            "Endret i admin")
    finally:
        _migrate(leaves)


def test_the_migration_and_the_seed_give_the_same_texts():
    """The migration keeps its own copy (it must say the same in a year); today they agree."""
    from importlib import import_module

    migration = import_module(f"tilskudd.migrations.{AFTER[1]}")

    assert migration.KNOWN_NAMES == {NB: {"nn": NN, "en": EN}}
    assert migration.KNOWN_RULES == {KKT_RULES: KKT_RULES_TRANSLATED}
