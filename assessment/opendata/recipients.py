"""The recipients' ids in the open data, which stay what they were first published as.

360Giving links a recipient's grants across publications and publishers by its id, so a
published id must not change (360Giving's identifier guidance: unique and persistent). The
best id is the organisation number (NO-BRC-…, org-id.guide's list for Enhetsregisteret), but
an organisation may be published before its number is known (a municipality new in 2024
whose number the fixtures did not have yet): it is then published under the portal's own id
(its municipality or county number, or its row), and keeps that id once its number is filled
in. So the id a recipient is first published under is recorded (PublishedRecipient, one row
an organisation) by the build of the files that first holds it, and read from there ever
after. A row is only ever inserted: no later organisation number, and no save of the
organisation, changes it.

The 360Giving schema (1.4.3) has no field for a second identifier of an organisation
(`charityNumber` and `companyNumber` are the UK's registers), so the organisation number of
a recipient published under the portal's id is not given beside it."""

from __future__ import annotations

from collections.abc import Iterable

from tilskudd.models import Organisation, OrganisationKind

from ..models import PublishedRecipient

#: The prefix of the identifiers the portal makes (grants; organisations without an
#: organisation number; the offices). Chosen here, not registered with 360Giving.
ID_PREFIX = "360G-hdir"
#: org-id.guide's list code for Brønnøysundregistrene (Enhetsregisteret).
ORG_ID_LIST = "NO-BRC"


def organisation_id(organisation: Organisation) -> str:
    """The id the organisation would be published under now: NO-BRC-<organisasjonsnummer>;
    without one (not known yet), the portal's own: the municipality or county number, or
    the organisation's row."""
    if organisation.org_number:
        return f"{ORG_ID_LIST}-{organisation.org_number}"
    if organisation.municipality_number:
        return f"{ID_PREFIX}-kommune-{organisation.municipality_number}"
    if organisation.kind == OrganisationKind.COUNTY_MUNICIPALITY:
        return f"{ID_PREFIX}-fylkeskommune-{organisation.county.number}"
    return f"{ID_PREFIX}-organisasjon-{organisation.pk}"


def recipient_ids(organisations: Iterable[Organisation]) -> dict[int, str]:
    """{organisation pk: its id in the open data} for these published recipients, read with
    `select_related("published_recipient")`: the id recorded when it was first published,
    or, for one published now for the first time, `organisation_id()`, recorded now. No
    query when each was published before; an insert and a read otherwise, the read because
    a build running at the same moment may have recorded one first (an insert never
    replaces a row)."""
    found: dict[int, str] = {}
    new: dict[int, str] = {}
    for organisation in organisations:
        try:
            found[organisation.pk] = organisation.published_recipient.identifier
        except PublishedRecipient.DoesNotExist:
            new[organisation.pk] = organisation_id(organisation)
    if new:
        PublishedRecipient.objects.bulk_create(
            [PublishedRecipient(organisation_id=pk, identifier=identifier)
             for pk, identifier in new.items()],
            ignore_conflicts=True,
        )
        found.update(PublishedRecipient.objects.filter(organisation_id__in=list(new))
                     .values_list("organisation_id", "identifier"))
    return found
