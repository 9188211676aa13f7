"""Leaving from an issue: RFC 8058 one-click POST (no cookie, no CSRF token, any body, no redirect), or a button."""

import pytest
from django.test import Client

from campaigns.factories import CampaignFactory, ContactFactory
from campaigns.models import Campaign, Recipient, Suppression
from campaigns.services.launch import launch
from cms.factories import CallForInputPageFactory
from campaigns.tokens import UNSUBSCRIBE, new_nonce, recipient_token, token_hashes
from newsletter.factories import SubscriberFactory
from newsletter.models import Subscriber


@pytest.fixture
def mailing(db):
    return Campaign.objects.create(
        kind=Campaign.Kind.NEWSLETTER, name="Nieuwsbrief mei", invitation_subject="Nieuwsbrief mei", invitation_body="-"
    )


def recipient_of(campaign, subscriber):
    nonce = new_nonce()
    return Recipient.objects.create(
        campaign=campaign,
        subscriber=subscriber,
        email=subscriber.email,
        name=subscriber.name,
        token_nonce=nonce,
        **token_hashes(campaign.pk, subscriber.email, nonce),
    )


@pytest.fixture
def subscriber(topics):
    return SubscriberFactory(email="sanne@example.org", topics=topics)


@pytest.fixture
def recipient(mailing, subscriber):
    return recipient_of(mailing, subscriber)


@pytest.fixture
def mail_client():
    """What a mail client sends: no cookies, no CSRF token, and CSRF checks on."""
    return Client(enforce_csrf_checks=True)


def link(recipient):
    return f"/nieuwsbrief/afmelden/{recipient_token(recipient, UNSUBSCRIBE)}/"


def assert_left_for_good(subscriber, mailing):
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED
    assert not subscriber.topics.exists()
    entry = Suppression.objects.get()
    assert (entry.email, entry.scope, entry.reason) == (subscriber.email, Suppression.Scope.NEWSLETTER, Suppression.Reason.UNSUBSCRIBED)
    assert entry.campaign == mailing, "counted as an unsubscribe caused by this mailing"


BODIES = {
    "urlencoded": ("List-Unsubscribe=One-Click", "application/x-www-form-urlencoded"),
    "multipart": (
        '--grens\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--grens--\r\n',
        "multipart/form-data; boundary=grens",
    ),
    "broken multipart": ("dit is geen multipart", "multipart/form-data; boundary=ontbreekt"),
    "json": ('{"unsubscribe": true}', "application/json"),
    "empty": ("", "text/plain"),
}


@pytest.mark.parametrize("body", BODIES)
def test_one_click_post_unsubscribes_at_once_whatever_the_body(mail_client, recipient, subscriber, mailing, body):
    data, content_type = BODIES[body]

    response = mail_client.generic("POST", link(recipient), data, content_type=content_type)

    assert response.status_code == 200
    assert "U bent afgemeld" in response.content.decode()
    assert response["Cache-Control"] == "private, no-store"
    assert_left_for_good(subscriber, mailing)


def test_a_repeated_one_click_is_200_again_and_changes_nothing(mail_client, recipient, subscriber, mailing):
    url = link(recipient)
    first = mail_client.generic("POST", url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    second = mail_client.post(url)

    assert first.status_code == second.status_code == 200
    assert_left_for_good(subscriber, mailing)
    assert "U bent al afgemeld" in mail_client.get(url).content.decode()


def test_get_shows_one_button_and_changes_nothing(client, recipient, subscriber, topics):
    page = client.get(link(recipient))

    assert page.status_code == 200
    main = page.content.decode().split("<main", 1)[1].split("</main>", 1)[0]
    assert main.count("<button") == 1 and "Ja, meld mij af" in main
    assert 'method="post"' in main
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED
    assert set(subscriber.topics.all()) == set(topics)
    assert not Suppression.objects.exists()


def test_a_recipient_whose_subscriber_row_is_gone_is_still_suppressed(mail_client, mailing):
    recipient = recipient_of(mailing, SubscriberFactory(email="weg@example.org"))
    url = link(recipient)
    Subscriber.objects.all().delete()

    assert mail_client.post(url).status_code == 200
    entry = Suppression.objects.get()
    assert (entry.email, entry.scope, entry.campaign) == ("weg@example.org", Suppression.Scope.NEWSLETTER, mailing)


def test_the_unsubscribe_link_of_a_call_campaign_does_not_work_here(mail_client, site_tree):
    _, _, calls = site_tree
    ContactFactory()
    launch(CampaignFactory(call_page=CallForInputPageFactory(parent=calls, notify_contact_person=False)))
    call_recipient = Recipient.objects.get()

    assert mail_client.post(link(call_recipient)).status_code == 404
    assert not Suppression.objects.exists()


@pytest.mark.parametrize("token", ["onbekend", "A" * 43, "A" * 200])
def test_an_unknown_link_is_the_dutch_404(mail_client, recipient, token):
    response = mail_client.post(f"/nieuwsbrief/afmelden/{token}/", "x", content_type="text/plain")

    assert response.status_code == 404
    assert "Deze link werkt niet" in response.content.decode()
    assert not Suppression.objects.exists()


def test_the_sample_link_unsubscribes_nobody(mail_client, recipient):
    assert mail_client.get("/nieuwsbrief/afmelden/voorbeeld/").status_code == 200
    response = mail_client.post("/nieuwsbrief/afmelden/voorbeeld/")

    assert response.status_code == 200
    assert "meldt deze link niemand af" in response.content.decode()
    assert not Suppression.objects.exists()
