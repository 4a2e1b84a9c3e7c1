"""Loading the reference data (offices, counties, organisations) and the demo data.

Both are idempotent: running them again changes nothing that is already right.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from datetime import datetime, time
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from stdnum.no import orgnr

from .budgets import Earmark, OfficeBudget
from .models import (
    County,
    MembershipRole,
    Office,
    OfficeRole,
    Organisation,
    OrganisationKind,
    Round,
    Scheme,
    User,
)
from .services import membership_grant, office_membership_grant

FIXTURES = Path(settings.BASE_DIR) / "fixtures"

#: Demo loaders of the domain apps, in INSTALLED_APPS order: each app's `demo.py`
#: registers one with @register_demo_loader; `seed --demo` runs them after the core data.
_demo_loaders: list = []


def register_demo_loader(fn):
    if fn not in _demo_loaders:
        _demo_loaders.append(fn)
    return fn


def run_app_demo_loaders(now: datetime | None = None) -> list[str]:
    """Import every app's demo module and run its loaders; returns what they report."""
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("demo")
    return [line for loader in _demo_loaders for line in (loader(now=now) or [])]
OSLO = ZoneInfo("Europe/Oslo")


@dataclass(frozen=True)
class ReferenceCounts:
    offices: int
    counties: int
    municipalities: int
    county_municipalities: int


def _save(obj):
    obj.full_clean()
    obj.save()
    return obj


def municipality_organisation_name(ssb_name: str) -> str:
    """'Trondheim - Tråante' -> 'Trondheim - Tråante kommune';
    'Herøy (Nordland)' -> 'Herøy kommune (Nordland)'."""
    if ssb_name.endswith(")") and " (" in ssb_name:
        base, county = ssb_name.split(" (", 1)
        return f"{base} kommune ({county}"
    return f"{ssb_name} kommune"


@transaction.atomic
def load_reference_data() -> ReferenceCounts:
    data = json.loads((FIXTURES / "offices.json").read_text(encoding="utf-8"))
    known_org_numbers: dict[str, str] = data["known_org_numbers"]
    counties: dict[str, County] = {}
    for entry in data["offices"]:
        office, _ = Office.objects.update_or_create(
            code=entry["code"],
            defaults={"name": entry["name"], "short_name": entry["short_name"]},
        )
        for c in entry["counties"]:
            county, _ = County.objects.update_or_create(
                number=c["number"], defaults={"name": c["name"], "office": office}
            )
            counties[county.number] = county
            if not c["county_municipality"]:
                continue  # Oslo: Oslo kommune (0301) carries the county's tasks too
            cm = Organisation.objects.filter(
                kind=OrganisationKind.COUNTY_MUNICIPALITY, county=county
            ).first() or Organisation(kind=OrganisationKind.COUNTY_MUNICIPALITY, county=county)
            cm.name = c["county_municipality"]
            _save(cm)

    with (FIXTURES / "municipalities_2024.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            org = Organisation.objects.filter(municipality_number=row["number"]).first()
            if org is None:
                org = Organisation(
                    kind=OrganisationKind.MUNICIPALITY, municipality_number=row["number"]
                )
            org.name = municipality_organisation_name(row["name"])
            org.county = counties[row["county_number"]]
            if not org.org_number:
                org.org_number = known_org_numbers.get(row["number"], "")
            _save(org)

    load_organisation_numbers()
    return ReferenceCounts(
        offices=Office.objects.count(),
        counties=County.objects.count(),
        municipalities=Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY).count(),
        county_municipalities=Organisation.objects.filter(
            kind=OrganisationKind.COUNTY_MUNICIPALITY
        ).count(),
    )


def load_organisation_numbers() -> int:
    """Fill in the organisation numbers of municipalities and county municipalities from
    fixtures/organisation_numbers_2024.csv (where they come from: the README) where one is
    empty. A number already set is never changed, a number another organisation has is left
    alone, and an empty cell stays empty. Returns how many were filled."""
    by_key = {
        (org.kind, org.municipality_number or org.county.number): org
        for org in Organisation.objects.filter(
            kind__in=[OrganisationKind.MUNICIPALITY, OrganisationKind.COUNTY_MUNICIPALITY]
        ).select_related("county")
    }
    taken = set(Organisation.objects.exclude(org_number="").values_list("org_number", flat=True))
    filled = 0
    with (FIXTURES / "organisation_numbers_2024.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            number = row["org_number"]
            if not number:
                continue
            if not orgnr.is_valid(number):
                raise ValueError(f"{row['name']}: {number} fails the mod-11 check")
            org = by_key.get((row["kind"], row["number"]))
            if org is None or org.org_number or number in taken:
                continue
            org.org_number = number
            _save(org)
            taken.add(number)
            filled += 1
    return filled


KKT_RULES = (
    "Kompetanse- og tjenesteutviklingstilskudd (kap. 761 post 68) skal bidra til færre ansatte "
    "uten relevant formell utdanning i omsorgstjenesten og til bærekraftige tjenester. "
    "Kommuner, interkommunale selskap og universiteter/høgskoler kan søke; fylkeskommuner "
    "bare om kompetansetiltak innen psykisk helse og rus. Høyst fem tjenesteutviklingsprosjekter "
    "per søknad. Tilskudd på kr 200 000 eller mer krever revisorattestasjon i rapporten."
)

#: The scheme's name and rules summary in nynorsk and English (tilskudd/translation.py);
#: migration 0013 gives an existing KKT row the same.
KKT_NAMES = {
    "nb": "Kompetanse- og tjenesteutviklingstilskudd",
    "nn": "Kompetanse- og tenesteutviklingstilskot",
    "en": "Competence and service development grant",
}
KKT_RULES_TRANSLATED = {
    "nn": (
        "Kompetanse- og tenesteutviklingstilskot (kap. 761 post 68) skal bidra til færre "
        "tilsette utan relevant formell utdanning i omsorgstenesta og til berekraftige "
        "tenester. Kommunar, interkommunale selskap og universitet/høgskular kan søkje; "
        "fylkeskommunar berre om kompetansetiltak innan psykisk helse og rus. Høgst fem "
        "tenesteutviklingsprosjekt per søknad. Tilskot på kr 200 000 eller meir krev "
        "revisorattestasjon i rapporten."
    ),
    "en": (
        "The competence and service development grant (chapter 761, item 68) is to reduce "
        "the number of staff without relevant formal education in the care services and "
        "make the services sustainable. Municipalities, inter-municipal companies and "
        "universities/university colleges may apply; county municipalities only for "
        "competence measures in mental health and substance abuse. At most five service "
        "development projects per application. A grant of NOK 200 000 or more requires an "
        "auditor's statement in the report."
    ),
}

# Demo pots per office (kr). Trøndelag's is the published figure for 2025.
DEMO_POTS = {
    "agder": 22_400_000,
    "innlandet": 31_900_000,
    "more-og-romsdal": 21_500_000,
    "nordland": 26_800_000,
    "ostfold-buskerud-oslo-akershus": 112_300_000,
    "rogaland": 32_100_000,
    "troms-og-finnmark": 24_600_000,
    "trondelag": 30_667_000,
    "vestfold-og-telemark": 26_200_000,
    "vestland": 42_500_000,
}
RESPITE_EARMARK = "Fleksible avlastningsmodeller"


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    password: str


DEMO_PASSWORD = "Tilskudd-demo-2026"  # noqa: S105 - printed demo login, DEBUG only
DEMO_LOGINS = [
    DemoLogin("Utfyller, Trondheim kommune", "utfyller@trondheim.example.no", DEMO_PASSWORD),
    DemoLogin("Signaturberettiget, Trondheim kommune", "signatur@trondheim.example.no",
              DEMO_PASSWORD),
    DemoLogin("Saksbehandler, Statsforvalteren i Trøndelag", "saksbehandler@sftl.example.no",
              DEMO_PASSWORD),
    DemoLogin("Godkjenner, Statsforvalteren i Trøndelag", "godkjenner@sftl.example.no",
              DEMO_PASSWORD),
    DemoLogin("Superbruker", "admin@tilskudd.example.no", DEMO_PASSWORD),
]


def _oslo(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=OSLO)


def demo_round_years(now: datetime | None = None) -> tuple[int, int]:
    """(open round's year, last year's closed round). The open round's deadline is
    17 March at 23:59 Oslo time, so after that day the open round is next year's."""
    now = (now or timezone.now()).astimezone(OSLO)
    open_year = now.year if now < _oslo(now.year, 3, 17, 23, 59) else now.year + 1
    return open_year, open_year - 1


def _round(scheme: Scheme, year: int, opens_at: datetime) -> Round:
    existing = Round.objects.filter(scheme=scheme, year=year).first()
    if existing:
        return existing
    return _save(
        Round(
            scheme=scheme,
            year=year,
            opens_at=opens_at,
            application_deadline=_oslo(year, 3, 17, 23, 59),
            reporting_opens_at=_oslo(year, 11, 1),
            reporting_deadline=_oslo(year + 1, 3, 1, 23, 59),
            change_deadline=_oslo(year, 10, 1, 23, 59),
        )
    )


def _user(email: str, full_name: str, **extra) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=DEMO_PASSWORD, full_name=full_name)
    for key, value in extra.items():
        setattr(user, key, value)
    user.save()
    return user


@transaction.atomic
def load_demo_data(now: datetime | None = None) -> list[DemoLogin]:
    now = now or timezone.now()
    scheme, _ = Scheme.objects.update_or_create(
        code="kkt",
        defaults={
            **{f"name_{lang}": name for lang, name in KKT_NAMES.items()},
            "budget_chapter": "761.68",
            "rules_text_nb": KKT_RULES,
            **{f"rules_text_{lang}": text for lang, text in KKT_RULES_TRANSLATED.items()},
            "rules_url": "https://www.helsedirektoratet.no/tilskudd/kompetanse-og-tjenesteutviklingstilskudd",
            "eligible_kinds": list(OrganisationKind.values),
        },
    )
    open_year, closed_year = demo_round_years(now)
    opens = min(
        _oslo(open_year - 1, 11, 1),
        datetime.combine(now.astimezone(OSLO).date(), time(0), tzinfo=OSLO),
    )
    open_round = _round(scheme, open_year, opens)
    closed_round = _round(scheme, closed_year, _oslo(closed_year - 1, 11, 1))

    for rnd in (open_round, closed_round):
        for office in Office.objects.all():
            budget, _ = OfficeBudget.objects.get_or_create(
                round=rnd, office=office, defaults={"pot": Decimal(DEMO_POTS[office.code])}
            )
            if office.code == "trondelag":
                Earmark.objects.get_or_create(
                    budget=budget, key="respite",
                    defaults={"name": RESPITE_EARMARK, "amount": Decimal(415_000)},
                )

    trondheim = Organisation.objects.get(municipality_number="5001")
    trondelag = Office.objects.get(code="trondelag")
    editor = _user(DEMO_LOGINS[0].email, "Ulrikke Utfyller")
    signatory = _user(DEMO_LOGINS[1].email, "Sigurd Signatur")
    # memberships through the services, as the admin grants them (audited, idempotent)
    for user, role in ((editor, MembershipRole.EDITOR), (signatory, MembershipRole.SIGNATORY)):
        membership_grant(organisation=trondheim, user=user, role=role, granted_by=None)
    caseworker = _user(DEMO_LOGINS[2].email, "Sara Saksbehandler", is_staff=True)
    approver = _user(DEMO_LOGINS[3].email, "Gunnar Godkjenner", is_staff=True)
    for user, role in ((caseworker, OfficeRole.CASEWORKER), (approver, OfficeRole.APPROVER)):
        office_membership_grant(office=trondelag, user=user, role=role, granted_by=None)
    _user(DEMO_LOGINS[4].email, "Admin Adminsen", is_staff=True, is_superuser=True)
    return DEMO_LOGINS
