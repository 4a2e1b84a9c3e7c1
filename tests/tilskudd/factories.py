"""Factories for the shared model. Other apps' tests build on these."""

from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from tilskudd.models import (
    County,
    Membership,
    MembershipRole,
    Office,
    OfficeBudget,
    OfficeMembership,
    OfficeRole,
    Organisation,
    OrganisationKind,
    Round,
    Scheme,
    User,
)


class OfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Office
        django_get_or_create = ("code",)

    code = "trondelag"
    name = factory.LazyAttribute(lambda o: f"Statsforvalteren i {o.short_name}")
    short_name = "Trøndelag"


class CountyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = County
        django_get_or_create = ("number",)

    number = "50"
    name = "Trøndelag - Trööndelage"
    office = factory.SubFactory(OfficeFactory)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("municipality_number",)

    kind = OrganisationKind.MUNICIPALITY
    name = "Trondheim - Tråante kommune"
    org_number = "942110464"
    municipality_number = "5001"
    county = factory.SubFactory(CountyFactory)


def rogaland_county() -> County:
    office = OfficeFactory(code="rogaland", short_name="Rogaland")
    return CountyFactory(number="11", name="Rogaland", office=office)


def stavanger() -> Organisation:
    return OrganisationFactory(
        name="Stavanger kommune",
        org_number="964965226",
        municipality_number="1103",
        county=rogaland_county(),
    )


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"bruker{n}@example.no")
    full_name = factory.Sequence(lambda n: f"Bruker {n}")
    password = factory.django.Password("Passord-for-test-1")


def member(organisation: Organisation, role=MembershipRole.EDITOR, **user_kwargs) -> User:
    user = UserFactory(**user_kwargs)
    Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


def office_staff(office: Office, role=OfficeRole.CASEWORKER, **user_kwargs) -> User:
    user = UserFactory(is_staff=True, **user_kwargs)
    OfficeMembership.objects.create(user=user, office=office, role=role)
    return user


class SchemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Scheme
        django_get_or_create = ("code",)

    code = "kkt"
    name = "Kompetanse- og tjenesteutviklingstilskudd"
    eligible_kinds = factory.LazyFunction(lambda: list(OrganisationKind.values))


class RoundFactory(factory.django.DjangoModelFactory):
    """An open round by default: opened a month ago, deadline in a month."""

    class Meta:
        model = Round
        django_get_or_create = ("scheme", "year")

    scheme = factory.SubFactory(SchemeFactory)
    year = factory.LazyFunction(lambda: timezone.now().year + 1)
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=30))
    application_deadline = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))
    reporting_deadline = factory.LazyFunction(lambda: timezone.now() + timedelta(days=400))


class OfficeBudgetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OfficeBudget
        django_get_or_create = ("round", "office")

    round = factory.SubFactory(RoundFactory)
    office = factory.SubFactory(OfficeFactory)
    pot = Decimal("30667000")
