"""Factories for the newsletter, shared by the tests and ``seed_demo`` (as ``cms.factories`` are)."""

import factory
import wagtail_factories
from django.utils import timezone
from wagtail.rich_text import RichText

from newsletter import models

DEFAULT_CONSENT_TEXT = (
    "Ja, ik wil de nieuwsbrief van Zorg en Welzijn ontvangen over de onderwerpen die ik heb aangevinkt, "
    "ongeveer één keer per maand. Ik kan me altijd afmelden via de link onder elke nieuwsbrief."
)


class TopicFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Onderwerp {n}")
    slug = factory.Sequence(lambda n: f"onderwerp-{n}")

    class Meta:
        model = models.Topic
        django_get_or_create = ("slug",)


class ConsentTextFactory(factory.django.DjangoModelFactory):
    text = DEFAULT_CONSENT_TEXT
    privacy_statement_version = "2026-11"

    class Meta:
        model = models.ConsentText


class SubscriberFactory(factory.django.DjangoModelFactory):
    """A confirmed subscriber (pass ``status=Subscriber.Status.PENDING`` for one who has not confirmed)."""

    email = factory.Sequence(lambda n: f"abonnee{n}@example.org")
    name = factory.Sequence(lambda n: f"Abonnee {n}")
    status = models.Subscriber.Status.CONFIRMED
    confirmed_at = factory.LazyFunction(timezone.now)

    class Meta:
        model = models.Subscriber
        skip_postgeneration_save = True

    @factory.post_generation
    def topics(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.topics.set(extracted)


class NewsletterIndexPageFactory(wagtail_factories.PageFactory):
    title = "Nieuwsbrief"
    slug = "nieuwsbrief"
    intro = "Eén keer per maand het nieuws over zorg en welzijn in de palliatieve zorg."

    class Meta:
        model = models.NewsletterIndexPage


class NewsletterIssuePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Nieuwsbrief {n}")
    subject = factory.LazyAttribute(lambda page: page.title)
    preheader = "Nieuwe oproepen en voorbeelden uit de regio's."
    intro = "Dit is het nieuws van deze maand."
    body = factory.LazyFunction(lambda: [("text", RichText("<p>De tekst van deze nieuwsbrief.</p>"))])

    class Meta:
        model = models.NewsletterIssuePage
