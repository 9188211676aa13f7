"""Factories for contacts and campaigns, shared by tests, demo data and benchmarks."""

import factory

from campaigns import models


class OrganisationFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Netwerk Palliatieve Zorg Regio {n}")
    kind = models.Organisation.Kind.NETWORK
    region = models.Organisation.Region.UTRECHT

    class Meta:
        model = models.Organisation
        django_get_or_create = ["name"]


class ContactFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Coördinator {n}")
    email = factory.Sequence(lambda n: f"coordinator{n}@example.org")
    organisation = factory.SubFactory(OrganisationFactory)
    role = "Netwerkcoördinator"

    class Meta:
        model = models.Contact


class CampaignFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Campagne {n}")
    organisation_kinds = factory.LazyFunction(lambda: [models.Organisation.Kind.NETWORK])
    invitation_subject = "Uitnodiging: deel uw initiatief"
    invitation_body = (
        "Beste {naam},\n\nWilt u namens {organisatie} reageren op onze oproep? "
        "Dat kan tot {deadline} via uw persoonlijke link:\n{link}\n\nMet vriendelijke groet,\nZorg en Welzijn"
    )
    reminder_subject = "Herinnering: deel uw initiatief"
    reminder_body = "Beste {naam},\n\nWe hebben uw reactie nog niet ontvangen. Reageren kan tot {deadline}:\n{link}"
    reminder_days_before = factory.LazyFunction(lambda: [14, 3])

    class Meta:
        model = models.Campaign
