"""Mail sent over SMTP (e.g. an ESP's relay) is tracked too: webhook keys come from their own variables.

Each test sends a real invitation to an aiosmtpd server, takes the
Message-ID and headers from the mail that arrived, and posts the event an
ESP documents for it while ``EMAIL_URL`` is still ``smtp://``.
"""

import base64
import json
import logging
import re
import time

import pytest
from django.test import Client

from campaigns.models import Delivery, Suppression, TrackingEvent
from campaigns.services import sending
from campaigns.services.launch import launch
from cms.settings.email import email_settings, webhook_settings
from tests.test_settings import read_settings

from . import mailgun_events

SECRET = "zw-webhook:dit-is-een-lang-geheim"
POSTMARK = "/anymail/postmark/tracking/"
BREVO = "/anymail/brevo/tracking/"
POSTMARK_MESSAGE_ID = "0a129aee-e1cd-480d-b08d-4f48548ff48d"
BREVO_MESSAGE_ID = "<202611051633.81236540963@smtp-relay.mailin.fr>"


@pytest.fixture
def smtp_route(settings, smtp_sink, monkeypatch, tmp_path):
    """Settings as ``EMAIL_URL=smtp://...`` plus the webhook variables give them, sending to the sink."""
    monkeypatch.setenv("ANYMAIL_WEBHOOK_SECRET", SECRET)
    monkeypatch.setenv("MAILGUN_WEBHOOK_SIGNING_KEY", mailgun_events.SIGNING_KEY)
    configured = email_settings(smtp_sink.url, tmp_path)
    settings.ANYMAIL = {**configured.pop("ANYMAIL"), **webhook_settings()}
    for name, value in configured.items():
        setattr(settings, name, value)
    return smtp_sink


@pytest.fixture
def sent(smtp_route, campaign, make_contacts):
    """Two invitations sent over SMTP: ``(delivery, received mail)`` of the first."""
    make_contacts(2)
    launch(campaign)
    sending.send_due()
    mails = {mail["To"].addresses[0].addr_spec: mail for mail in smtp_route.wait_for(2)}
    delivery = Delivery.objects.select_related("recipient").order_by("pk").first()
    assert delivery.status == Delivery.Status.SENT
    return delivery, mails[delivery.recipient.email]


def auth(secret=SECRET):
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(secret.encode()).decode()}


def post_json(url, payload, **headers):
    return Client().post(url, json.dumps(payload), content_type="application/json", **headers)


def status_of(delivery):
    delivery.refresh_from_db()
    return delivery.status


def nothing_changed(delivery):
    unchanged = status_of(delivery) == Delivery.Status.SENT
    return unchanged and not TrackingEvent.objects.exists() and not Suppression.objects.exists()


def hard_bounce_suppressed(delivery):
    suppression = Suppression.objects.get()
    return (suppression.email, suppression.scope, suppression.reason) == (
        delivery.recipient.email,
        Suppression.Scope.ALL,
        Suppression.Reason.HARD_BOUNCE,
    )


# Postmark's webhook bodies (postmarkapp.com/developer/webhooks): over SMTP, MessageID is
# Postmark's own; the X-PM-Metadata-* headers of the mail come back as Metadata.
def postmark_metadata(mail):
    prefix = "x-pm-metadata-"
    return {name[len(prefix) :]: value for name, value in mail.items() if name.lower().startswith(prefix)}


def postmark_delivery(mail, email):
    return {
        "RecordType": "Delivery",
        "ServerID": 23,
        "MessageStream": "outbound",
        "MessageID": POSTMARK_MESSAGE_ID,
        "Recipient": email,
        "Tag": "",
        "DeliveredAt": "2026-11-05T16:33:54.9070259Z",
        "Details": "smtp;250 2.0.0 OK",
        "Metadata": postmark_metadata(mail),
    }


def postmark_bounce(mail, email):
    return {
        "RecordType": "Bounce",
        "ID": 4323372036854775807,
        "Type": "HardBounce",
        "TypeCode": 1,
        "Name": "Hard bounce",
        "Tag": "",
        "MessageID": POSTMARK_MESSAGE_ID,
        "ServerID": 23,
        "MessageStream": "outbound",
        "Description": "The server was unable to deliver your message (ex: unknown user, mailbox not found).",
        "Details": "smtp;550 5.1.1 The email account that you tried to reach does not exist.",
        "Email": email,
        "From": "noreply@example.org",
        "BouncedAt": "2026-11-05T16:33:54.9070259Z",
        "DumpAvailable": False,
        "Inactive": True,
        "CanActivate": True,
        "Subject": mail["Subject"],
        "Metadata": postmark_metadata(mail),
    }


# Brevo's transactional webhook bodies (developers.brevo.com/docs/transactional-webhooks):
# "message-id" is Brevo's; the mail's X-Mailin-custom header comes back as it was sent.
def brevo_event(mail, email, event="delivered", **fields):
    now = time.time()
    return {
        "event": event,
        "email": email,
        "id": 26224,
        "date": "2026-11-05 17:33:54",
        "ts": int(now),
        "message-id": BREVO_MESSAGE_ID,
        "ts_event": int(now),
        "subject": mail["Subject"],
        "X-Mailin-custom": mail["X-Mailin-custom"],
        "tag": "",
        "sending_ip": "185.41.28.109",
        "ts_epoch": int(now * 1000),
        **fields,
    }


def brevo_hard_bounce(mail, email):
    return brevo_event(mail, email, "hard_bounce", reason="550 5.1.1 No such user")


def mailgun_delivered(mail, email):
    return mailgun_events.delivered(email, mail["Message-ID"].strip("<>"))


def mailgun_failed(mail, email):
    return mailgun_events.failed(email, mail["Message-ID"].strip("<>"))


def test_the_message_id_is_opaque_and_the_same_as_the_ledger_keeps(sent):
    delivery, mail = sent

    assert re.fullmatch(r"<[0-9a-f]{32}@example\.org>", mail["Message-ID"])
    assert not re.search(r"campaign|delivery", mail["Message-ID"])
    assert delivery.provider_message_id == mail["Message-ID"]
    other = Delivery.objects.exclude(pk=delivery.pk).get()
    assert other.message_id_key != delivery.message_id_key


@pytest.mark.parametrize(
    "url, event, status",
    [
        pytest.param(mailgun_events.URL, mailgun_delivered, Delivery.Status.DELIVERED, id="mailgun-delivered"),
        pytest.param(POSTMARK, postmark_delivery, Delivery.Status.DELIVERED, id="postmark-delivered"),
        pytest.param(BREVO, brevo_event, Delivery.Status.DELIVERED, id="brevo-delivered"),
        pytest.param(mailgun_events.URL, mailgun_failed, Delivery.Status.BOUNCED, id="mailgun-hard-bounce"),
        pytest.param(POSTMARK, postmark_bounce, Delivery.Status.BOUNCED, id="postmark-hard-bounce"),
        pytest.param(BREVO, brevo_hard_bounce, Delivery.Status.BOUNCED, id="brevo-hard-bounce"),
    ],
)
def test_an_esp_event_for_a_mail_sent_over_smtp_moves_its_delivery(sent, url, event, status):
    delivery, mail = sent
    other = Delivery.objects.exclude(pk=delivery.pk).get()

    response = post_json(url, event(mail, delivery.recipient.email), **auth())

    assert response.status_code == 200
    assert status_of(delivery) == status
    assert TrackingEvent.objects.get().delivery == delivery
    assert status_of(other) == Delivery.Status.SENT
    if status == Delivery.Status.BOUNCED:
        assert hard_bounce_suppressed(delivery)
    else:
        assert not Suppression.objects.exists()


def test_an_event_for_a_send_the_worker_never_recorded_reconciles_the_row(sent):
    """The worker died after the SMTP server accepted the mail: the Message-ID still finds the row."""
    delivery, mail = sent
    Delivery.objects.filter(pk=delivery.pk).update(status=Delivery.Status.SENDING, provider_message_id="", sent_at=None)

    assert post_json(mailgun_events.URL, mailgun_delivered(mail, delivery.recipient.email), **auth()).status_code == 200

    assert status_of(delivery) == Delivery.Status.DELIVERED
    assert delivery.sent_at is not None


def test_our_message_id_counts_only_with_its_own_address(sent):
    delivery, mail = sent
    other = Delivery.objects.exclude(pk=delivery.pk).select_related("recipient").get()

    post_json(mailgun_events.URL, mailgun_failed(mail, other.recipient.email), **auth())

    assert status_of(delivery) == Delivery.Status.SENT
    assert status_of(other) == Delivery.Status.SENT
    assert TrackingEvent.objects.get().delivery is None


def test_a_wrong_mailgun_signature_is_a_400_and_changes_nothing(sent):
    delivery, mail = sent
    payload = mailgun_failed(mail, delivery.recipient.email)
    payload["signature"]["signature"] = "0" * 64

    assert post_json(mailgun_events.URL, payload, **auth()).status_code == 400
    assert nothing_changed(delivery)


@pytest.mark.parametrize(
    "url, event",
    [
        pytest.param(mailgun_events.URL, mailgun_failed, id="mailgun"),
        pytest.param(POSTMARK, postmark_bounce, id="postmark"),
        pytest.param(BREVO, brevo_hard_bounce, id="brevo"),
    ],
)
def test_a_wrong_basic_auth_secret_is_a_400_and_changes_nothing(sent, url, event):
    delivery, mail = sent

    response = post_json(url, event(mail, delivery.recipient.email), **auth("zw-webhook:fout"))

    assert response.status_code == 400
    assert nothing_changed(delivery)


def test_without_a_mailgun_signing_key_the_event_is_kept_for_later(settings, sent, caplog):
    """A 503, not a 400: Mailgun posts the event again once the key is set."""
    delivery, mail = sent
    settings.ANYMAIL = {key: value for key, value in settings.ANYMAIL.items() if key != "MAILGUN_WEBHOOK_SIGNING_KEY"}

    with caplog.at_level(logging.ERROR, logger="campaigns"):
        response = post_json(mailgun_events.URL, mailgun_failed(mail, delivery.recipient.email), **auth())

    assert response.status_code == 503
    [record] = [record for record in caplog.records if record.name == "campaigns.views.webhooks"]
    assert record.levelno == logging.ERROR and "not configured" in record.getMessage()
    assert nothing_changed(delivery)


def test_webhook_keys_come_from_their_own_variables_whatever_the_sending_route():
    env = {
        "EMAIL_URL": "smtp://postmaster%40mg.example.org:pw@smtp.eu.mailgun.org:587?starttls=1",
        "ANYMAIL_WEBHOOK_SECRET": "hook:secret",
        "MAILGUN_WEBHOOK_SIGNING_KEY": "signing-key-from-env",
        "MANDRILL_WEBHOOK_KEY": "mandrill-key",
    }

    anymail = read_settings(env, ["ANYMAIL"])["ANYMAIL"]

    assert anymail == {
        "WEBHOOK_SECRET": "hook:secret",
        "MAILGUN_WEBHOOK_SIGNING_KEY": "signing-key-from-env",
        "MANDRILL_WEBHOOK_KEY": "mandrill-key",
    }


def test_a_webhook_variable_wins_over_the_same_option_in_an_esp_url():
    env = {
        "EMAIL_URL": "mailgun://key-123@?sender_domain=mg.example.org&webhook_signing_key=from-url",
        "MAILGUN_WEBHOOK_SIGNING_KEY": "from-env",
    }

    anymail = read_settings(env, ["ANYMAIL"])["ANYMAIL"]

    assert anymail["MAILGUN_WEBHOOK_SIGNING_KEY"] == "from-env"
    assert anymail["MAILGUN_API_KEY"] == "key-123"
