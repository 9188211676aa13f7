"""The preference page: no login, the personal link is the key; name and topics change, and leaving is one button."""

import re

import pytest

from campaigns.models import Suppression
from newsletter import links
from newsletter.factories import SubscriberFactory, TopicFactory
from newsletter.models import ConsentRecord, Subscriber
from newsletter.tokens import preferences_token


@pytest.fixture
def subscriber(topics, consent_text):
    return SubscriberFactory(email="sanne@example.org", name="Sanne", topics=topics[:1])


def path(subscriber):
    return f"/nieuwsbrief/voorkeuren/{preferences_token(subscriber)}/"


def test_the_page_shows_name_and_topics_and_is_private(client, subscriber, topics):
    page = client.get(path(subscriber))

    assert page.status_code == 200
    html = page.content.decode()
    assert 'value="Sanne"' in html
    assert re.search(f'value="{topics[0].pk}"[^>]*checked>', html)
    assert re.search(f'value="{topics[1].pk}"[^>]*id="id_topics_1">', html)
    assert "Afmelden voor alles" in html
    assert page["Cache-Control"] == "private, no-store"
    assert page["Referrer-Policy"] == "same-origin"
    assert links.preferences_link(subscriber).endswith(path(subscriber))


def test_saving_changes_name_and_topics_and_records_consent_for_the_added_ones(client, subscriber, topics, consent_text):
    page = client.post(path(subscriber), {"name": "Sanne Bakker", "topics": [topics[1].pk, topics[2].pk]}, REMOTE_ADDR="192.0.2.8")

    assert page.status_code == 200
    assert "Uw voorkeuren zijn opgeslagen" in page.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.name == "Sanne Bakker"
    assert set(subscriber.topics.all()) == {topics[1], topics[2]}
    assert subscriber.status == Subscriber.Status.CONFIRMED
    record = subscriber.consents.get()
    assert record.source == ConsentRecord.Source.PREFERENCES
    assert set(record.topics.all()) == {topics[1], topics[2]}
    assert record.consent_text == consent_text
    assert record.confirmed_at is not None and record.confirmed_ip_address == "192.0.2.8"


def test_removing_a_topic_records_no_new_consent(client, subscriber, topics):
    subscriber.topics.add(topics[1])

    client.post(path(subscriber), {"name": "Sanne", "topics": [topics[1].pk]})

    assert list(subscriber.topics.all()) == [topics[1]]
    assert not subscriber.consents.exists()


def test_no_topics_left_is_an_unsubscribe(client, subscriber):
    client.post(path(subscriber), {"name": "Sanne"})

    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED
    assert not subscriber.topics.exists()
    assert Suppression.objects.get().scope == Suppression.Scope.NEWSLETTER


def test_the_unsubscribe_all_button_leaves_every_topic(client, subscriber, topics):
    page = client.post(path(subscriber), {"afmelden": "1", "topics": [topics[1].pk]})

    assert "U bent afgemeld" in page.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED
    assert subscriber.unsubscribed_at is not None
    entry = Suppression.objects.get()
    assert (entry.scope, entry.reason) == (Suppression.Scope.NEWSLETTER, Suppression.Reason.UNSUBSCRIBED)


def test_an_unsubscribed_person_can_choose_topics_again(client, subscriber, topics):
    client.post(path(subscriber), {"afmelden": "1"})
    assert "U bent afgemeld en krijgt geen nieuwsbrief" in client.get(path(subscriber)).content.decode()

    client.post(path(subscriber), {"name": "Sanne", "topics": [topics[2].pk]})

    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED
    assert list(subscriber.topics.all()) == [topics[2]]
    assert not Suppression.objects.exists()


def test_an_inactive_topic_the_subscriber_has_can_still_be_switched_off(client, subscriber):
    old = TopicFactory(name="Oud onderwerp", slug="oud", active=False)
    subscriber.topics.add(old)

    assert "Oud onderwerp" in client.get(path(subscriber)).content.decode()
    assert "Oud onderwerp" not in client.get("/nieuwsbrief/aanmelden/").content.decode()


def test_an_unknown_topic_is_explained_and_nothing_changes(client, subscriber, topics):
    page = client.post(path(subscriber), {"name": "Iemand anders", "topics": ["999999"]})

    assert "Dit onderwerp bestaat niet meer" in page.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.name == "Sanne"
    assert list(subscriber.topics.all()) == topics[:1]


def test_the_sample_link_changes_nothing(client, subscriber, topics):
    page = client.get("/nieuwsbrief/voorkeuren/voorbeeld/")
    assert page.status_code == 200
    assert "voorkeurenpagina uit een testmail" in page.content.decode()

    posted = client.post("/nieuwsbrief/voorkeuren/voorbeeld/", {"name": "X", "afmelden": "1"})

    assert posted.status_code == 200
    assert "Er is niets opgeslagen" in posted.content.decode()
    assert Subscriber.objects.get().status == Subscriber.Status.CONFIRMED
    assert not Suppression.objects.exists()


@pytest.mark.parametrize("token", ["onbekend", "1-" + "x" * 43, "%C2%B2-" + "A" * 43])
def test_a_tampered_link_gets_the_dutch_404_and_changes_nothing(client, subscriber, token):
    for method in (client.get, client.post):
        page = method(f"/nieuwsbrief/voorkeuren/{token}/")
        assert page.status_code == 404
        assert "Deze link werkt niet" in page.content.decode()
    tampered = preferences_token(subscriber)[:-2] + "zz"
    assert client.post(f"/nieuwsbrief/voorkeuren/{tampered}/", {"afmelden": "1"}).status_code == 404
    assert Subscriber.objects.get().status == Subscriber.Status.CONFIRMED
