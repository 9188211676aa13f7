"""Signing up: one answer for every address, one subscriber per address, and a clear Dutch message for bad input."""

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils import timezone

from campaigns.models import Suppression
from campaigns.services.suppression import suppress
from cms.factories import ArticlePageFactory, CallForInputPageFactory
from newsletter.factories import ConsentTextFactory, NewsletterIssuePageFactory, SubscriberFactory
from newsletter.models import ConsentRecord, Subscriber

SIGNUP = "/nieuwsbrief/aanmelden/"


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    cache.clear()


@pytest.fixture
def privacy_page(site_tree):
    from cms.factories import StandardPageFactory

    home, _, _ = site_tree
    return StandardPageFactory(parent=home, title="Privacyverklaring", slug="privacy")


@pytest.fixture
def consent(privacy_page):
    return ConsentTextFactory(privacy_statement_version="2026-11", privacy_page=privacy_page)


def form_data(topics, email="sanne@example.org", **extra):
    return {"email": email, "name": "Sanne Bakker", "topics": [topic.pk for topic in topics], "consent": "on", **extra}


def without_csrf(html):
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def test_sign_up_page_shows_topics_the_consent_text_and_the_privacy_statement(client, topics, consent):
    page = client.get(SIGNUP)

    assert page.status_code == 200
    html = page.content.decode()
    assert "Aanmelden voor de nieuwsbrief" in html
    for topic in topics:
        assert topic.name in html
    assert consent.text in html
    assert 'href="/privacy/"' in html
    assert 'autocomplete="email"' in html and 'autocomplete="name"' in html
    assert f'name="consent_version" value="{consent.version}"' in html


def test_sign_up_answers_check_your_mailbox_and_records_the_consent(client, topics, consent):
    page = client.post(SIGNUP, form_data(topics[:2]), REMOTE_ADDR="192.0.2.10")

    assert page.status_code == 200
    assert "Kijk in uw mailbox" in page.content.decode()
    assert page["Cache-Control"] == "private, no-store"
    subscriber = Subscriber.objects.get()
    assert subscriber.email == "sanne@example.org"
    assert subscriber.status == Subscriber.Status.PENDING
    assert list(subscriber.topics.all()) == [], "topics join only after the confirmation"
    record = subscriber.consents.get()
    assert record.source == ConsentRecord.Source.SIGNUP_PAGE
    assert record.page_url == "http://testserver/nieuwsbrief/aanmelden/"
    assert record.ip_address == "192.0.2.10"
    assert record.consent_text == consent
    assert record.privacy_statement_version == "2026-11"
    assert set(record.topics.all()) == set(topics[:2])
    assert record.topic_names == ["Algemene nieuwsbrief", "Zorg en welzijn"]
    assert record.name == "Sanne Bakker"
    assert record.requested_at is not None
    assert timedelta(days=6, hours=23) < record.expires_at - timezone.now() <= timedelta(days=7)
    assert record.confirmation_mails == 1 and record.confirmation_nonce
    assert record.confirmed_at is None


def test_the_answer_is_the_same_for_a_known_and_an_unknown_address(client, topics, consent):
    SubscriberFactory(email="bekend@example.org", topics=topics)
    suppress("geblokkeerd@example.org", Suppression.Scope.ALL, Suppression.Reason.HARD_BOUNCE)

    answers = [
        without_csrf(client.post(SIGNUP, form_data(topics, email=email)).content.decode()).replace(email, "ADRES")
        for email in ("nieuw@example.org", "bekend@example.org", "geblokkeerd@example.org")
    ]

    assert answers[0] == answers[1] == answers[2]


def test_an_uppercase_variant_is_the_same_subscriber(client, topics, consent):
    client.post(SIGNUP, form_data(topics[:1], email="Sanne@Example.org"))
    client.post(SIGNUP, form_data(topics[:1], email="  SANNE@EXAMPLE.ORG "))

    assert list(Subscriber.objects.values_list("email", flat=True)) == ["sanne@example.org"]
    assert ConsentRecord.objects.count() == 2


def test_a_second_sign_up_with_more_topics_keeps_one_subscriber_and_adds_a_record(client, topics, consent):
    SubscriberFactory(email="sanne@example.org", topics=topics[:1])

    client.post(SIGNUP, form_data(topics))

    subscriber = Subscriber.objects.get()
    assert subscriber.status == Subscriber.Status.CONFIRMED
    assert list(subscriber.topics.all()) == topics[:1], "the new topics wait for their confirmation"
    record = subscriber.consents.get()
    assert set(record.topics.all()) == set(topics)
    assert record.confirmation_mails == 1


def test_a_pending_address_gets_at_most_one_mail_per_ten_minutes(client, topics, consent):
    for _ in range(3):
        client.post(SIGNUP, form_data(topics[:1]))

    records = ConsentRecord.objects.order_by("pk")
    assert [record.confirmation_mails for record in records] == [1, 0, 0]

    records.update(confirmation_sent_at=timezone.now() - timedelta(minutes=11))
    client.post(SIGNUP, form_data(topics[:1]))
    assert ConsentRecord.objects.order_by("pk").last().confirmation_mails == 1


def test_one_address_gets_a_few_mails_a_day_at_most(client, topics, consent, settings):
    settings.NEWSLETTER_MAX_CONFIRMATIONS_PER_DAY = 2
    settings.FORM_RATE_LIMIT = "100/m"
    for hours_ago in (5, 3):
        client.post(SIGNUP, form_data(topics[:1], email="slachtoffer@example.org"))
        ConsentRecord.objects.filter(confirmation_sent_at__isnull=False).filter(
            confirmation_sent_at__gt=timezone.now() - timedelta(minutes=1)
        ).update(confirmation_sent_at=timezone.now() - timedelta(hours=hours_ago))

    page = client.post(SIGNUP, form_data(topics[:1], email="slachtoffer@example.org"))

    assert "Kijk in uw mailbox" in page.content.decode()
    assert [r.confirmation_mails for r in ConsentRecord.objects.order_by("pk")] == [1, 1, 0]


def test_a_hard_bounced_address_gets_no_mail(client, topics, consent):
    suppress("weg@example.org", Suppression.Scope.ALL, Suppression.Reason.HARD_BOUNCE)

    client.post(SIGNUP, form_data(topics, email="weg@example.org"))

    assert ConsentRecord.objects.get().confirmation_mails == 0


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("", "Vul uw e-mailadres in."),
        ("sanne@", "Vul een geldig e-mailadres in"),
        ("sanne bakker@example.org", "Vul een geldig e-mailadres in"),
        ("a" * 250 + "@example.org", "te lang"),
        ("josé@example.org", "letters met accenten"),
    ],
)
def test_a_bad_address_is_explained_in_dutch_and_nothing_is_lost(client, topics, consent, email, message):
    page = client.post(SIGNUP, form_data(topics[1:2], email=email))

    assert page.status_code == 200
    html = page.content.decode()
    assert "Er ging iets mis" in html
    assert message in html
    assert 'value="Sanne Bakker"' in html
    assert f'value="{topics[1].pk}" id="id_topics_1" checked' in html
    assert 'name="consent" id="id_consent" checked' in html or 'id="id_consent" checked' in html
    assert not Subscriber.objects.exists()


def test_an_internationalised_domain_is_accepted(client, topics, consent):
    client.post(SIGNUP, form_data(topics[:1], email="info@zorg-en-wélzijn.nl"))

    assert Subscriber.objects.get().email == "info@zorg-en-wélzijn.nl"


def test_topics_and_consent_are_required(client, topics, consent):
    page = client.post(SIGNUP, {"email": "sanne@example.org", "topics": ["999999", "geen"]})

    html = page.content.decode()
    assert "Dit onderwerp bestaat niet meer" in html or "Kies minstens één onderwerp" in html
    assert "Vink aan dat u toestemming geeft" in html
    assert 'value="sanne@example.org"' in html
    assert 'aria-invalid="true"' in html
    assert not Subscriber.objects.exists()


def test_without_a_consent_text_nobody_can_sign_up(client, topics):
    page = client.get(SIGNUP)

    assert "Aanmelden kan op dit moment niet" in page.content.decode()
    assert client.post(SIGNUP, form_data(topics)).status_code == 200
    assert not Subscriber.objects.exists()


def test_the_version_of_the_consent_text_shown_is_the_one_recorded(client, topics, consent):
    shown = consent.version
    ConsentTextFactory(text="Een nieuwere tekst.", privacy_statement_version="2027-01")

    client.post(SIGNUP, form_data(topics[:1], consent_version=str(shown)))

    record = ConsentRecord.objects.get()
    assert record.consent_text == consent
    assert record.privacy_statement_version == "2026-11"


def test_a_flood_from_one_client_is_rate_limited_with_nothing_lost(client, topics, consent, settings):
    settings.FORM_RATE_LIMIT = "3/h"
    for number in range(3):
        assert client.post(SIGNUP, form_data(topics[:1], email=f"adres{number}@example.org")).status_code == 200

    page = client.post(SIGNUP, form_data(topics[:1], email="nog.een@example.org"))

    assert page.status_code == 429
    html = page.content.decode()
    assert "Wacht een minuut" in html
    assert 'value="nog.een@example.org"' in html
    assert Subscriber.objects.count() == 3


@pytest.mark.parametrize("kind", ["home", "article", "call"])
def test_the_compact_form_is_on_the_home_article_and_call_pages(client, site_tree, topics, consent, kind):
    home, articles, calls = site_tree
    page = {
        "home": lambda: home,
        "article": lambda: ArticlePageFactory(parent=articles),
        "call": lambda: CallForInputPageFactory(parent=calls, notify_contact_person=False),
    }[kind]()

    html = client.get(page.url).content.decode()

    assert 'action="/nieuwsbrief/aanmelden/"' in html
    assert 'name="source" value="compact_form"' in html
    assert f'name="page_id" value="{page.pk}"' in html
    assert consent.text in html


def test_no_compact_form_without_a_consent_text(client, site_tree, topics):
    home, _, _ = site_tree

    assert 'action="/nieuwsbrief/aanmelden/"' not in client.get(home.url).content.decode()


def test_a_sign_up_from_the_compact_form_records_its_page(client, site_tree, topics, consent):
    _, articles, _ = site_tree
    article = ArticlePageFactory(parent=articles, title="Samenwerken met het wijkteam")

    client.post(SIGNUP, form_data(topics[:1], source="compact_form", page_id=str(article.pk)))

    record = ConsentRecord.objects.get()
    assert record.source == ConsentRecord.Source.COMPACT_FORM
    assert record.page.pk == article.pk
    assert record.page_url == f"http://localhost{article.url}" or record.page_url.endswith(article.url)


def test_errors_from_the_compact_form_land_on_the_sign_up_page_with_the_values_kept(client, site_tree, topics, consent):
    home, _, _ = site_tree

    page = client.post(SIGNUP, {"email": "sanne@example", "name": "Sanne", "source": "compact_form", "page_id": str(home.pk)})

    html = page.content.decode()
    assert "Aanmelden voor de nieuwsbrief" in html and "Er ging iets mis" in html
    assert 'value="sanne@example"' in html
    assert 'name="source" value="compact_form"' in html
    assert f'name="page_id" value="{home.pk}"' in html


@pytest.mark.parametrize("slug", ["aanmelden", "bevestigen", "voorkeuren", "afmelden"])
def test_an_issue_cannot_take_the_address_of_a_subscriber_page(newsletter_index, slug):
    with pytest.raises(ValidationError) as error:
        NewsletterIssuePageFactory(parent=newsletter_index, slug=slug)

    assert "al in gebruik voor een pagina van de nieuwsbrief" in str(error.value)
    assert NewsletterIssuePageFactory(parent=newsletter_index, slug="mei-2026").slug == "mei-2026"
