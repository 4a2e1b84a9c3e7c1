"""Factories for applications and their lines. A factory writes rows directly: use it to
set the scene (many lines, a round that has closed); change state in a test through the
services."""

from decimal import Decimal

import factory

from applications.models import (
    PROJECT_CRITERIA,
    Application,
    BpaLine,
    BpaRole,
    CompetenceLine,
    EducationType,
    Project,
    ProjectTopic,
)
from tests.tilskudd.factories import OrganisationFactory, RoundFactory


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A draft with every header field the rules require filled in."""

    class Meta:
        model = Application
        django_get_or_create = ("organisation", "round")

    organisation = factory.SubFactory(OrganisationFactory)
    round = factory.SubFactory(RoundFactory)
    contact_name = "Kari Kontakt"
    contact_email = "kari@trondheim.example.no"
    purpose = "Styrke kompetansen i omsorgstjenesten."
    control_measures = "Månedlig budsjettoppfølging og revisjon."


class CompetenceLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CompetenceLine

    application = factory.SubFactory(ApplicationFactory)
    education_type = EducationType.FURTHER_MASTER
    description = "Videreutdanning i psykisk helsearbeid"
    employees = 3
    amount = Decimal("60000")
    is_mental_health = True


class BpaLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BpaLine

    application = factory.SubFactory(ApplicationFactory)
    role = BpaRole.WORK_LEADER
    persons = 2
    amount = Decimal("60000")


class ProjectFactory(factory.django.DjangoModelFactory):
    """A project with all nine criteria answered."""

    class Meta:
        model = Project

    application = factory.SubFactory(ApplicationFactory)
    title = factory.Sequence(lambda n: f"Prosjekt {n + 1}")
    topic = ProjectTopic.PREVENTION
    amount = Decimal("250000")

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        for field, label in PROJECT_CRITERIA:
            kwargs.setdefault(field, f"Svar om {str(label).lower()}.")
        return kwargs


def complete_application(**kwargs) -> Application:
    """A draft that satisfies every rule: header, one line in each part."""
    application = ApplicationFactory(**kwargs)
    CompetenceLineFactory(application=application)
    BpaLineFactory(application=application)
    ProjectFactory(application=application)
    return application
