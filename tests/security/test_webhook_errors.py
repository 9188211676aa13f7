"""Tracking webhooks tell a bad post from our own bug: the first is a 400 that stores nothing, the second a logged 503."""

import base64
import json
import logging

import pytest
from django.test import Client

from campaigns.factories import CampaignFactory, ContactFactory
from campaigns.models import Delivery, Suppression, TrackingEvent
from campaigns.services import tracking
from campaigns.services.launch import launch
from cms.factories import CallForInputPageFactory
from tests.campaigns import mailgun_events

SECRET = "zw-webhook:dit-is-een-lang-geheim"
POSTMARK = "/anymail/postmark/tracking/"
SENDGRID = "/anymail/sendgrid/tracking/"
BREVO = "/anymail/brevo/tracking/"
MESSAGE_ID = "883953f4-6105-42a2-a16a-77a8eac79483"
MALFORMED = "Malformed webhook payload."


@pytest.fixture(autouse=True)
def webhook_settings(settings):
    settings.ANYMAIL = {**settings.ANYMAIL, "WEBHOOK_SECRET": SECRET, "MAILGUN_WEBHOOK_SIGNING_KEY": mailgun_events.SIGNING_KEY}


@pytest.fixture
def delivery(site_tree):
    """An invitation the sending engine has handed to the ESP."""
    call = CallForInputPageFactory(parent=site_tree[2], notify_contact_person=False)
    ContactFactory()
    launch(CampaignFactory(call_page=call))
    Delivery.objects.update(status=Delivery.Status.SENT, provider_message_id=MESSAGE_ID)
    return Delivery.objects.select_related("recipient").get()


def post(url, payload):
    body = payload if isinstance(payload, str) else json.dumps(payload)
    authorization = "Basic " + base64.b64encode(SECRET.encode()).decode()
    return Client().post(url, body, content_type="application/json", HTTP_AUTHORIZATION=authorization)


def postmark_bounce(email):
    return {
        "RecordType": "Bounce",
        "ID": 4323372036854775807,
        "Type": "HardBounce",
        "MessageID": MESSAGE_ID,
        "Description": "The server was unable to deliver your message.",
        "Email": email,
        "BouncedAt": "2026-11-05T16:33:54.9070259Z",
        "Metadata": {},
    }


def nothing_changed(delivery):
    delivery.refresh_from_db()
    return delivery.status == Delivery.Status.SENT and not TrackingEvent.objects.exists() and not Suppression.objects.exists()


def test_our_own_bug_is_logged_with_its_traceback_and_the_esp_posts_the_event_again(monkeypatch, caplog, delivery):
    def broken_lookup(*args, **kwargs):
        raise AttributeError("'NoneType' object has no attribute 'recipient'")

    monkeypatch.setattr(tracking, "find_delivery", broken_lookup)
    with caplog.at_level(logging.ERROR, logger="campaigns"):
        response = post(POSTMARK, postmark_bounce(delivery.recipient.email))

    assert response.status_code == 503
    assert MALFORMED not in response.content.decode()
    [record] = [record for record in caplog.records if record.name == "campaigns.views.webhooks"]
    assert record.levelno == logging.ERROR
    assert record.exc_info and record.exc_info[0] is AttributeError
    assert nothing_changed(delivery)

    monkeypatch.undo()
    assert post(POSTMARK, postmark_bounce(delivery.recipient.email)).status_code == 200
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.BOUNCED


@pytest.mark.parametrize(
    "url, body",
    [
        pytest.param("/anymail/mailgun/tracking/", {}, id="mailgun-no-webhook-signing-key"),
        pytest.param(BREVO, {"items": []}, id="brevo-inbound-post-at-the-tracking-url"),
    ],
)
def test_a_configuration_error_is_logged_as_an_error_and_answered_503(settings, caplog, delivery, url, body):
    settings.ANYMAIL = {"WEBHOOK_SECRET": SECRET}

    with caplog.at_level(logging.ERROR, logger="campaigns"):
        response = post(url, body)

    assert response.status_code == 503
    assert MALFORMED not in response.content.decode()
    assert [record.levelno for record in caplog.records if record.name == "campaigns.views.webhooks"] == [logging.ERROR]
    assert nothing_changed(delivery)


@pytest.mark.parametrize(
    "url, body",
    [
        pytest.param(POSTMARK, {}, id="postmark-empty-object"),
        pytest.param(POSTMARK, {"foo": 1}, id="postmark-unknown-object"),
        pytest.param(POSTMARK, [{"RecordType": "Delivery", "MessageID": MESSAGE_ID}], id="postmark-json-list"),
        pytest.param(mailgun_events.URL, {}, id="mailgun-empty-object"),
        pytest.param(mailgun_events.URL, {"foo": 1}, id="mailgun-unknown-object"),
        pytest.param(mailgun_events.URL, {"signature": mailgun_events.signed({})["signature"]}, id="mailgun-signed-no-event"),
        pytest.param(mailgun_events.URL, mailgun_events.signed({"foo": 1}), id="mailgun-signed-unknown-event"),
        pytest.param(SENDGRID, [], id="sendgrid-no-events"),
        pytest.param(SENDGRID, {}, id="sendgrid-empty-object"),
    ],
)
def test_an_authenticated_post_that_holds_no_event_of_the_esp_is_refused(caplog, delivery, url, body):
    with caplog.at_level(logging.WARNING, logger="campaigns"):
        response = post(url, body)

    assert response.status_code == 400
    assert nothing_changed(delivery)
    # A bad post is the sender's mistake: a warning, no traceback of ours.
    assert not [record for record in caplog.records if record.name.startswith("campaigns") and record.exc_info]


def test_a_real_event_still_goes_through(delivery):
    assert post(POSTMARK, postmark_bounce(delivery.recipient.email)).status_code == 200

    assert TrackingEvent.objects.get().delivery == delivery
    assert Suppression.objects.get().email == delivery.recipient.email


@pytest.mark.parametrize("field", ["MessageID", "Recipient", "RecordType", "Details", "ID"])
def test_a_nul_character_in_an_event_is_dropped_not_a_server_error(delivery, field):
    """PostgreSQL stores no NUL character; an event carrying one is stored without it."""
    event = {
        "RecordType": "Delivery",
        "ID": 5,
        "MessageID": MESSAGE_ID,
        "Recipient": delivery.recipient.email,
        "DeliveredAt": "2026-11-05T16:33:54Z",
        "Details": "Delivered",
        "Metadata": {},
    }
    event[field] = f"{event[field]}\x00"

    assert post(POSTMARK, event).status_code == 200

    stored = TrackingEvent.objects.get()
    assert "\x00" not in json.dumps(stored.payload) + stored.event_id + stored.email
