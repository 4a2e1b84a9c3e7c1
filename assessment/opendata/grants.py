"""The grants of a published round in the 360Giving Data Standard (schema 1.4): one grant
per decision that grants something, built from the decisions (assessment.selectors) and the
applications (applications.selectors) in four queries whatever their number (two more when
a recipient is published for the first time, to record its id: .recipients).

What a grant holds, and nothing else: the grant's id (360G-hdir- and the application's
reference), a title and a description made here from the amounts (never the applicant's
own text), the amounts applied for and awarded, the date of the decision, the recipient
(its id as first published, NO-BRC-… or the portal's own: .recipients; name; municipality
or county number as location), the office that decided and Helsedirektoratet as the owner
of the scheme, the scheme and round as the grant programme, and NOK. No person is named:
contact people, signatories, e-mail addresses, telephone numbers, justifications and
internal notes never appear."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from applications import selectors as application_selectors
from tilskudd.models import Organisation, Round
from tilskudd.money import format_nok

from .. import selectors
from ..cases import live_reference
from ..models import Part
from .publication import PublishedRound, published_grants
from .recipients import ID_PREFIX, ORG_ID_LIST, recipient_ids

PROGRAMME_OWNER = {"id": f"{ORG_ID_LIST}-983544622", "name": "Helsedirektoratet"}
STANDARD_VERSION = "1.4"
#: The Norwegian Licence for Open Government Data (NLOD) 2.0.
LICENSE_URL = "https://data.norge.no/nlod/no/2.0"
CURRENCY = "NOK"


def location(organisation: Organisation) -> dict[str, str]:
    """Where the recipient is: its municipality number, or its county's number."""
    if organisation.municipality_number:
        return {"name": organisation.name, "countryCode": "NO",
                "geoCode": organisation.municipality_number, "geoCodeType": "kommunenummer"}
    county = organisation.county
    return {"name": county.name, "countryCode": "NO", "geoCode": county.number,
            "geoCodeType": "fylkesnummer"}


def _iso(moment: datetime) -> str:
    return timezone.localtime(moment).isoformat(timespec="seconds")


def _number(amount: Decimal) -> int:
    return int(amount)


def programme(rnd: Round) -> dict[str, str]:
    found = {"code": f"{rnd.scheme.code}-{rnd.year}",
             "title": _("%(scheme)s %(year)s") % {"scheme": rnd.scheme.name, "year": rnd.year}}
    if rnd.scheme.rules_url:
        found["url"] = rnd.scheme.rules_url
    return found


def _description(decision: selectors.Decision, application, rnd: Round) -> str:
    labels = dict(Part.choices)
    parts = []
    for part in Part.values:
        awarded = sum((line.granted for line in decision.lines if line.part == part),
                      Decimal(0))
        if awarded > 0:
            parts.append(_("%(part)s %(amount)s") % {"part": str(labels[part]).lower(),
                                                      "amount": format_nok(awarded)})
    values = {
        "office": application.organisation.county.office.name,
        "organisation": application.organisation.name,
        "parts": ", ".join(parts),
        "scheme": rnd.scheme.name,
        "chapter": rnd.scheme.budget_chapter,
        "year": rnd.year,
    }
    if rnd.scheme.budget_chapter:
        return _("%(office)s har gitt %(organisation)s tilskudd til %(parts)s fra "
                 "%(scheme)s (kap. %(chapter)s) for %(year)s.") % values
    return _("%(office)s har gitt %(organisation)s tilskudd til %(parts)s fra %(scheme)s "
             "for %(year)s.") % values


def _grant(decision: selectors.Decision, application, recipient_id: str,
           page_url: str) -> dict[str, Any]:
    rnd = application.round
    organisation = application.organisation
    office = organisation.county.office
    reference = application.reference or f"{rnd.scheme.code.upper()}-{rnd.year}-A{application.pk}"
    place = location(organisation)
    return {
        "id": f"{ID_PREFIX}-{reference}",
        "title": _("%(scheme)s %(year)s til %(organisation)s") % {
            "scheme": rnd.scheme.name, "year": rnd.year, "organisation": organisation.name},
        "description": _description(decision, application, rnd),
        "currency": CURRENCY,
        "amountAppliedFor": _number(decision.applied_total),
        "amountAwarded": _number(decision.granted_total),
        "awardDate": _iso(decision.decided_at),
        "recipientOrganization": [{
            "id": recipient_id,
            "name": organisation.name,
            "location": [place],
        }],
        "beneficiaryLocation": [place],
        "fundingOrganization": [
            {"id": f"{ID_PREFIX}-statsforvalter-{office.code}", "name": office.name},
            dict(PROGRAMME_OWNER),
        ],
        "grantProgramme": [programme(rnd)],
        "fromOpenCall": "Yes",
        "dataSource": page_url,
    }


def grants_for(published: PublishedRound) -> list[dict[str, Any]]:
    """The round's published grants, by office and recipient. Records the id of a recipient
    published for the first time (.recipients)."""
    rnd = published.round
    ids = list(
        published_grants(rnd.pk, {office.pk for office in published.offices})
        .order_by("application_id").values_list("application_id", flat=True)
    )
    decisions = selectors.decisions_for(ids)
    applications = application_selectors.applications_with_ids(ids).select_related(
        "organisation__published_recipient"
    ).annotate(reference=live_reference())
    page_url = settings.SITE_URL.rstrip("/") + reverse("opendata:index")
    ordered = [a for a in sorted(applications, key=lambda a: (
        a.organisation.county.office.name, a.organisation.name, a.pk)) if a.pk in decisions]
    ids = recipient_ids(a.organisation for a in ordered)
    return [_grant(decisions[a.pk], a, ids[a.organisation_id], page_url) for a in ordered]


@dataclass(frozen=True)
class Files:
    json: str
    csv: str


def file_names(published: PublishedRound) -> Files:
    stem = f"360giving-{published.scheme_code}-{published.year}"
    return Files(json=f"{stem}.json", csv=f"{stem}.csv")


def package_for(published: PublishedRound) -> dict[str, Any]:
    """The round's 360Giving package: its grants and who publishes them."""
    rnd = published.round
    site = settings.SITE_URL.rstrip("/")
    return {
        "version": STANDARD_VERSION,
        "title": _("%(scheme)s %(year)s: innvilgede tilskudd") % {
            "scheme": rnd.scheme.name, "year": rnd.year},
        "description": _(
            "Vedtak om tilskudd i %(scheme)s %(year)s fra %(offices)s. Avslag er ikke med."
        ) % {"scheme": rnd.scheme.name, "year": rnd.year,
             "offices": ", ".join(office.name for office in published.offices)},
        "identifier": f"{ID_PREFIX}-{rnd.scheme.code}-{rnd.year}",
        "modified": _iso(timezone.now()),
        "publisher": {"identifier": PROGRAMME_OWNER["id"], "name": PROGRAMME_OWNER["name"],
                      "website": "https://www.helsedirektoratet.no/"},
        "license": LICENSE_URL,
        "accessURL": site + reverse("opendata:index"),
        "downloadURL": site + reverse("opendata:package", args=[rnd.scheme.code, rnd.year]),
        "grants": grants_for(published),
    }
