"""The demo's newsletter: topics, the consent text and privacy statement, a few subscribers, one sent issue.

Every subscriber is invented and has an example.org address; IP addresses
are from the documentation ranges (RFC 5737). As in ``builder``, everything
is looked up before it is made and nothing that exists is changed.

The sent issue is recorded the way the ledger holds a finished mailing (one
Recipient and one sent Delivery per subscriber of its topics), without
running the pre-send check: that needs Chromium, which ``make run`` does not.
"""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from wagtail.rich_text import RichText

from campaigns.models import Campaign, Delivery, Message
from cms import factories, models
from newsletter.models import ConsentRecord, ConsentText, IssueMailing, NewsletterIndexPage, NewsletterIssuePage, Subscriber, Topic
from newsletter.services import subscriptions
from newsletter.services.mailing import frozen_recipient

from . import content

TOPICS = [
    {
        "slug": "algemeen",
        "name": "Algemene nieuwsbrief",
        "description": "Eén keer per maand: nieuwe artikelen, oproepen en goede voorbeelden.",
    },
    {
        "slug": "zorg-en-welzijn",
        "name": "Zorg en welzijn",
        "description": "Samenwerking tussen zorg en sociaal domein rond mensen in hun laatste levensfase.",
    },
    {
        "slug": "netwerken",
        "name": "Netwerken palliatieve zorg",
        "description": "Voor coördinatoren en partners van de regionale netwerken palliatieve zorg.",
    },
]

PRIVACY_STATEMENT_VERSION = "2026-1"
CONSENT_TEXT = (
    "Ja, ik wil de nieuwsbrief van het Landelijk Steunpunt Zorg en Welzijn ontvangen over de onderwerpen die ik "
    "heb aangevinkt, ongeveer één keer per maand. Mijn e-mailadres en naam worden alleen daarvoor gebruikt. Ik kan "
    "me altijd afmelden via de link onder elke nieuwsbrief."
)

PRIVACY = {
    "slug": "privacyverklaring",
    "title": "Privacyverklaring",
    "intro": "Welke gegevens we van u bewaren, waarom, hoe lang, en wat u daarover te zeggen heeft.",
    "body": [
        ("heading", "Wie wij zijn"),
        (
            "paragraph",
            "<p>Het Landelijk Steunpunt Zorg en Welzijn is verantwoordelijk voor de gegevens die via deze website "
            "worden verzameld. Vragen over privacy stelt u aan "
            '<a href="mailto:privacy@example.org">privacy@example.org</a>.</p>',
        ),
        ("heading", "Nieuwsbrief"),
        (
            "paragraph",
            "<p>Meldt u zich aan voor de nieuwsbrief, dan bewaren we uw e-mailadres, uw naam als u die opgeeft, "
            "de onderwerpen die u kiest en het bewijs van uw toestemming: wanneer en via welk formulier u zich "
            "aanmeldde, vanaf welk IP-adres, welke toestemmingstekst u zag en wanneer u bevestigde. Een aanmelding "
            "die u niet binnen 7 dagen bevestigt, verwijderen we.</p>"
            "<p>We meten niet of u de nieuwsbrief opent of op links klikt.</p>",
        ),
        ("heading", "Reacties op oproepen"),
        (
            "paragraph",
            "<p>Uw reactie op een oproep gebruiken we om de oproep uit te werken. Na het sluiten van de oproep "
            "maken we de reacties na een vaste termijn anoniem.</p>",
        ),
        ("heading", "Uw rechten"),
        (
            "paragraph",
            "<p>U kunt ons vragen welke gegevens we van u hebben, en ze laten verwijderen. Na verwijdering bewaren "
            "we alleen een onherleidbare code van uw e-mailadres, zodat we u nooit per ongeluk opnieuw mailen. U "
            "kunt ook een klacht indienen bij de Autoriteit Persoonsgegevens.</p>",
        ),
    ],
}

INDEX = {
    "slug": "nieuwsbrief",
    "title": "Nieuwsbrief",
    "intro": "Eén keer per maand het nieuws over zorg en welzijn in de palliatieve zorg. Hier vindt u alle eerdere nummers.",
}

ISSUE = {
    "slug": "nieuwe-oproep-en-de-koffietafel-in-de-wijk",
    "title": "Nieuwe oproep en de koffietafel in de wijk",
    "subject": "Nieuwe oproep: deel uw initiatief voor zorg en welzijn",
    "preheader": "Tot de sluitingsdatum kunt u uw initiatief insturen; en: wat een koffietafel voor mantelzorgers oplevert.",
    "intro": "In deze nieuwsbrief een nieuwe oproep aan netwerken, gemeenten en welzijnsorganisaties, en een verhaal uit de praktijk.",
    "text": (
        "<p>Beste lezer, samen met de regionale netwerken zoeken we initiatieven waarin zorg en welzijn elkaar "
        "vinden rond mensen in hun laatste levensfase. Heeft u zo'n initiatief? Deel het via de oproep hieronder.</p>"
    ),
    "call_to_action": "Alle oproepen bekijken",
    "days_ago": 12,
    "topics": ["algemeen", "zorg-en-welzijn"],
}

# (name, e-mail, status, topic slugs, source, days ago)
SUBSCRIBERS = [
    ("Marieke de Vries", "marieke.de.vries@example.org", "confirmed", ["algemeen", "zorg-en-welzijn", "netwerken"], "signup_page", 40),
    ("Jan Bakker", "jan.bakker@example.org", "confirmed", ["algemeen", "zorg-en-welzijn"], "compact_form", 30),
    ("Samira Ouali", "samira.ouali@example.org", "confirmed", ["netwerken"], "import", 25),
    ("", "lezer.utrecht@example.org", "confirmed", ["algemeen"], "signup_page", 20),
    ("Peter Smits", "peter.smits@example.org", "pending", ["algemeen"], "signup_page", 0),
    ("Ellen Kramer", "ellen.kramer@example.org", "unsubscribed", ["zorg-en-welzijn"], "signup_page", 35),
]
IMPORT_SOURCE = "Presentielijst symposium Netwerken palliatieve zorg, met aangevinkte toestemming"


class NewsletterSeeder:
    """Adds the newsletter to the demo site that ``DemoSeeder`` built; counts what it created in ``created``."""

    def __init__(self, seeder):
        self.seeder = seeder
        self.created = seeder.created
        self.now = seeder.now

    def run(self, home):
        topics = {spec["slug"]: self.topic(spec) for spec in TOPICS}
        privacy_page = self.privacy_statement(home)
        consent_text = self.consent_text(privacy_page)
        index = self.index(home)
        for spec in SUBSCRIBERS:
            self.subscriber(spec, topics, consent_text, index)
        issue = self.issue(index)
        self.sent_mailing(issue, [topics[slug] for slug in ISSUE["topics"]])

    def topic(self, spec):
        topic, created = Topic.objects.get_or_create(
            slug=spec["slug"],
            defaults={"name": spec["name"], "description": spec["description"], "sort_order": TOPICS.index(spec) + 1},
        )
        if created:
            self.created["newsletter topics"] += 1
        return topic

    def privacy_statement(self, home):
        page = models.StandardPage.objects.child_of(home).filter(slug=PRIVACY["slug"]).first()
        if page is None:
            page = factories.StandardPageFactory(
                parent=home,
                slug=PRIVACY["slug"],
                title=PRIVACY["title"],
                intro=PRIVACY["intro"],
                body=self.seeder.stream(PRIVACY["body"]),
            )
            self.seeder.publish(page)
            self.seeder.created_page(page)
        return page

    def consent_text(self, privacy_page):
        current = ConsentText.current()
        if current is None:
            current = ConsentText.objects.create(
                text=CONSENT_TEXT, privacy_statement_version=PRIVACY_STATEMENT_VERSION, privacy_page=privacy_page
            )
            self.created["consent texts"] += 1
        return current

    def index(self, home):
        index = NewsletterIndexPage.objects.child_of(home).filter(slug=INDEX["slug"]).first()
        if index is None:
            index = home.add_child(instance=NewsletterIndexPage(title=INDEX["title"], slug=INDEX["slug"], intro=INDEX["intro"]))
            self.seeder.publish(index)
            self.seeder.created_page(index)
        return index

    def subscriber(self, spec, topics, consent_text, index):
        name, email, status, slugs, source, days_ago = spec
        if Subscriber.objects.filter(email=email).exists():
            return
        chosen = [topics[slug] for slug in slugs]
        requested_at = self.now - datetime.timedelta(days=days_ago)
        confirmed_at = requested_at + datetime.timedelta(minutes=7) if status != "pending" else None
        with transaction.atomic():
            subscriber = Subscriber.objects.create(
                email=email,
                name=name,
                status=Subscriber.Status.PENDING if status == "pending" else Subscriber.Status.CONFIRMED,
                confirmed_at=confirmed_at,
            )
            # created_at is set on creation (auto_now_add); the demo dates it back to the sign-up.
            Subscriber.objects.filter(pk=subscriber.pk).update(created_at=requested_at)
            if confirmed_at:
                subscriber.topics.set(chosen)
            self.consent_record(subscriber, chosen, source, consent_text, index, requested_at, confirmed_at)
            if status == "unsubscribed":
                subscriptions.unsubscribe(subscriber, detail="Afgemeld via de voorkeurenpagina")
        self.created["newsletter subscribers"] += 1

    def consent_record(self, subscriber, topics, source, consent_text, index, requested_at, confirmed_at):
        page = self.seeder.pages.get(content.MAIN_ARTICLE_SLUG) if source == "compact_form" else index
        record = ConsentRecord.objects.create(
            subscriber=subscriber,
            source=source,
            source_detail=IMPORT_SOURCE if source == "import" else "",
            page=None if source == "import" else page,
            page_url="" if source == "import" else page.full_url or "",
            consent_text=consent_text,
            privacy_statement_version=consent_text.privacy_statement_version,
            topic_names=[topic.name for topic in topics],
            name=subscriber.name,
            ip_address=None if source == "import" else f"192.0.2.{10 + subscriber.pk % 200}",
            confirmation_sent_at=requested_at,
            confirmation_mails=1,
            expires_at=requested_at + datetime.timedelta(days=7),
            confirmed_at=confirmed_at,
            confirmed_ip_address=f"198.51.100.{10 + subscriber.pk % 200}" if confirmed_at else None,
        )
        record.topics.set(topics)
        # requested_at is set on creation (auto_now_add); the demo dates it back.
        ConsentRecord.objects.filter(pk=record.pk).update(requested_at=requested_at)

    def issue(self, index):
        spec = ISSUE
        issue = NewsletterIssuePage.objects.child_of(index).filter(slug=spec["slug"]).first()
        if issue is not None:
            return issue
        pages = self.seeder.pages
        body = [
            ("text", RichText(spec["text"])),
            ("page_teaser", {"page": pages[content.CALL_SLUG]}),
            ("page_teaser", {"page": pages[content.MAIN_ARTICLE_SLUG]}),
            ("call_to_action", {"text": spec["call_to_action"], "page": pages[content.CALL_SLUG].get_parent(), "url": ""}),
        ]
        issue = index.add_child(
            instance=NewsletterIssuePage(
                title=spec["title"],
                slug=spec["slug"],
                subject=spec["subject"],
                preheader=spec["preheader"],
                intro=spec["intro"],
                body=body,
            )
        )
        self.seeder.publish(issue, self.now - datetime.timedelta(days=spec["days_ago"]))
        self.seeder.created_page(issue)
        return issue

    def sent_mailing(self, issue, topics):
        """The issue's mailing as the ledger keeps it once sent: every subscriber of its topics got it."""
        if IssueMailing.objects.filter(issue=issue).exists():
            return
        issue.refresh_from_db()
        sent_at = issue.last_published_at + datetime.timedelta(hours=1)
        manager = get_user_model().objects.filter(username="campagnebeheerder").first()
        subscribers = (
            Subscriber.objects.filter(status=Subscriber.Status.CONFIRMED, topics__in=topics).distinct().order_by("email")
        )
        with transaction.atomic():
            campaign = Campaign.objects.create(
                kind=Campaign.Kind.NEWSLETTER,
                name=f"Nieuwsbrief: {issue.subject}",
                invitation_subject=issue.subject,
                invitation_body="",
                status=Campaign.Status.SENT,
                launched_at=sent_at,
                launched_by=manager,
            )
            mailing = IssueMailing.objects.create(campaign=campaign, issue=issue, revision=issue.live_revision)
            mailing.topics.set(topics)
            message = Message.objects.create(
                campaign=campaign, kind=Message.Kind.NEWSLETTER, sequence=0, subject=issue.subject, body=""
            )
            for subscriber in subscribers:
                recipient = frozen_recipient(campaign, subscriber)
                recipient.save()
                Delivery.objects.create(
                    message=message, recipient=recipient, status=Delivery.Status.SENT, attempts=1, sent_at=sent_at
                )
        self.created["newsletter mailings"] += 1
