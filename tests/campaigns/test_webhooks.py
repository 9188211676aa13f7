"""ESP tracking webhooks: authenticated, deduplicated, moving deliveries forward, suppressing bad addresses."""

import base64
import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from campaigns.models import Delivery, Suppression, TrackingEvent
from campaigns.services import sending
from campaigns.services.launch import launch
from campaigns.services.rendering import build_email

from . import mailgun_events

SECRET = "zw-webhook:dit-is-een-lang-geheim"
POSTMARK = "/anymail/postmark/tracking/"
MESSAGE_ID = "883953f4-6105-42a2-a16a-77a8eac79483"


@pytest.fixture(autouse=True)
def webhook_settings(settings):
    settings.ANYMAIL = {**settings.ANYMAIL, "WEBHOOK_SECRET": SECRET, "MAILGUN_WEBHOOK_SIGNING_KEY": mailgun_events.SIGNING_KEY}
    settings.CAMPAIGNS_TRACK_OPENS_AND_CLICKS = False


@pytest.fixture
def deliveries(campaign, make_contacts):
    """Two invitations the sending engine has handed to the ESP, one provider message id each."""
    make_contacts(2)
    launch(campaign)
    for number, delivery in enumerate(Delivery.objects.order_by("pk")):
        delivery.status = Delivery.Status.SENT
        delivery.provider_message_id = MESSAGE_ID if number == 0 else f"other-{number}"
        delivery.save()
    return list(Delivery.objects.select_related("recipient").order_by("pk"))


@pytest.fixture
def delivery(deliveries):
    return deliveries[0]


def auth(secret=SECRET):
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(secret.encode()).decode()}


def post_json(url, payload, **headers):
    body = payload if isinstance(payload, str) else json.dumps(payload)
    return Client().post(url, body, content_type="application/json", **headers)


# Postmark's webhook formats, as in Postmark's and anymail's documentation.
def postmark_delivery(email):
    return {
        "RecordType": "Delivery",
        "ServerID": 23,
        "MessageStream": "outbound",
        "MessageID": MESSAGE_ID,
        "Recipient": email,
        "Tag": "uitnodiging",
        "DeliveredAt": "2026-11-05T16:33:54.9070259Z",
        "Details": "Test delivery webhook details",
        "Metadata": {},
    }


def postmark_bounce(email, bounce_type="HardBounce", event_id=4323372036854775807):
    return {
        "RecordType": "Bounce",
        "ID": event_id,
        "Type": bounce_type,
        "TypeCode": 1,
        "Name": "Hard bounce",
        "Tag": "uitnodiging",
        "MessageID": MESSAGE_ID,
        "ServerID": 23,
        "MessageStream": "outbound",
        "Description": "The server was unable to deliver your message (ex: unknown user, mailbox not found).",
        "Details": "smtp;550 5.1.1 The email account that you tried to reach does not exist.",
        "Email": email,
        "From": "noreply@example.org",
        "BouncedAt": "2026-11-05T16:33:54.9070259Z",
        "DumpAvailable": True,
        "Inactive": True,
        "CanActivate": True,
        "Subject": "Uitnodiging: deel uw initiatief",
        "Metadata": {},
    }


def postmark_complaint(email):
    return {**postmark_bounce(email, "SpamComplaint", event_id=42), "RecordType": "SpamComplaint", "Name": "Spam complaint"}


def postmark_open(email):
    return {
        "RecordType": "Open",
        "FirstOpen": True,
        "MessageID": MESSAGE_ID,
        "Recipient": email,
        "ReceivedAt": "2026-11-05T16:40:00Z",
        "Platform": "WebMail",
        "UserAgent": "Mozilla/5.0",
        "Metadata": {},
    }


def postmark_unsubscribe(email):
    return {
        "RecordType": "SubscriptionChange",
        "MessageID": MESSAGE_ID,
        "ServerID": 23,
        "MessageStream": "outbound",
        "ChangedAt": "2026-11-05T16:50:00Z",
        "Recipient": email,
        "Origin": "Recipient",
        "SuppressSending": True,
        "SuppressionReason": "ManualSuppression",
        "Tag": "uitnodiging",
        "Metadata": {},
    }


def status_of(delivery):
    delivery.refresh_from_db()
    return delivery.status


def test_delivery_event_marks_the_delivery_delivered(delivery, deliveries):
    response = post_json(POSTMARK, postmark_delivery(delivery.recipient.email), **auth())

    assert response.status_code == 200
    assert status_of(delivery) == Delivery.Status.DELIVERED
    assert status_of(deliveries[1]) == Delivery.Status.SENT
    event = TrackingEvent.objects.get()
    assert (event.esp, event.event_type, event.delivery, event.email) == ("Postmark", "delivered", delivery, delivery.recipient.email)


def test_hard_bounce_marks_bounced_and_suppresses_the_address_for_every_mailing(delivery):
    post_json(POSTMARK, postmark_bounce(delivery.recipient.email), **auth())

    assert status_of(delivery) == Delivery.Status.BOUNCED
    suppression = Suppression.objects.get()
    assert (suppression.email, suppression.scope, suppression.reason) == (
        delivery.recipient.email,
        Suppression.Scope.ALL,
        Suppression.Reason.HARD_BOUNCE,
    )


def test_soft_bounce_is_recorded_but_suppresses_nobody(delivery):
    post_json(POSTMARK, postmark_bounce(delivery.recipient.email, "SoftBounce"), **auth())

    assert status_of(delivery) == Delivery.Status.SENT
    assert TrackingEvent.objects.count() == 1
    assert not Suppression.objects.exists()


def test_complaint_marks_complained_and_suppresses_the_address(delivery):
    post_json(POSTMARK, postmark_complaint(delivery.recipient.email), **auth())

    assert status_of(delivery) == Delivery.Status.COMPLAINED
    assert Suppression.objects.get().reason == Suppression.Reason.COMPLAINT
    assert Suppression.objects.get().scope == Suppression.Scope.ALL


def test_unsubscribe_at_the_esp_stops_campaign_mailings_only(delivery):
    post_json(POSTMARK, postmark_unsubscribe(delivery.recipient.email), **auth())

    suppression = Suppression.objects.get()
    assert (suppression.scope, suppression.reason) == (Suppression.Scope.CAMPAIGNS, Suppression.Reason.UNSUBSCRIBED)
    assert status_of(delivery) == Delivery.Status.SENT


@pytest.mark.parametrize("headers", [{}, auth("zw-webhook:fout"), {"HTTP_AUTHORIZATION": "Bearer " + SECRET}])
def test_wrong_or_missing_secret_is_a_400_and_changes_nothing(delivery, headers):
    response = post_json(POSTMARK, postmark_bounce(delivery.recipient.email), **headers)

    assert response.status_code == 400
    assert not TrackingEvent.objects.exists()
    assert not Suppression.objects.exists()
    assert status_of(delivery) == Delivery.Status.SENT


def test_without_a_configured_secret_every_post_is_refused(settings, delivery):
    settings.ANYMAIL = {**settings.ANYMAIL, "WEBHOOK_SECRET": ""}

    response = post_json(POSTMARK, postmark_bounce(delivery.recipient.email))

    assert response.status_code == 400
    assert not TrackingEvent.objects.exists()
    assert not Suppression.objects.exists()


@pytest.mark.parametrize("payload", [postmark_bounce, postmark_delivery], ids=["with-event-id", "without-event-id"])
def test_replayed_event_is_stored_once(delivery, payload):
    for _ in range(3):
        assert post_json(POSTMARK, payload(delivery.recipient.email), **auth()).status_code == 200

    assert TrackingEvent.objects.count() == 1
    assert Suppression.objects.count() == (1 if payload is postmark_bounce else 0)


def test_status_never_moves_backwards(settings, delivery):
    settings.CAMPAIGNS_TRACK_OPENS_AND_CLICKS = True

    post_json(POSTMARK, postmark_open(delivery.recipient.email), **auth())
    post_json(POSTMARK, postmark_delivery(delivery.recipient.email), **auth())

    assert status_of(delivery) == Delivery.Status.OPENED
    assert TrackingEvent.objects.count() == 2


def test_opens_are_ignored_while_tracking_is_off(delivery):
    response = post_json(POSTMARK, postmark_open(delivery.recipient.email), **auth())

    assert response.status_code == 200
    assert status_of(delivery) == Delivery.Status.SENT
    assert not TrackingEvent.objects.exists()


@pytest.mark.parametrize(
    "body",
    ['{"RecordType": "Delivery", "MessageID": ', "[1, 2, 3]", '"tekst"', "\xff\xfe", "[" * 5000 + "]" * 5000],
    ids=["truncated-json", "json-list", "json-string", "not-utf8", "nested-too-deep"],
)
def test_malformed_payload_is_a_400_not_a_500(delivery, body):
    response = post_json(POSTMARK, body, **auth())

    assert response.status_code == 400
    assert not TrackingEvent.objects.exists()


def test_numbers_json_cannot_store_become_null(delivery):
    body = json.dumps(postmark_delivery(delivery.recipient.email))[:-1] + ', "Score": NaN, "Weight": 1e400}'

    assert post_json(POSTMARK, body, **auth()).status_code == 200

    assert TrackingEvent.objects.get().payload["Score"] is None
    assert status_of(delivery) == Delivery.Status.DELIVERED


def test_a_timestamp_out_of_range_is_a_400(delivery):
    body = {"event": "sent", "time": 1e300, "email": delivery.recipient.email, "MessageID": 1}

    assert post_json("/anymail/mailjet/tracking/", body, **auth()).status_code == 400
    assert not TrackingEvent.objects.exists()


def test_unknown_event_type_is_recorded_and_changes_nothing(delivery):
    response = post_json(POSTMARK, {"RecordType": "SomethingNew", "MessageID": MESSAGE_ID}, **auth())

    assert response.status_code == 200
    assert status_of(delivery) == Delivery.Status.SENT
    assert TrackingEvent.objects.get().event_type == "unknown"


def test_event_for_an_unknown_message_is_recorded_without_a_delivery(delivery):
    payload = {**postmark_bounce("iemand@example.org"), "MessageID": "not-ours"}

    assert post_json(POSTMARK, payload, **auth()).status_code == 200

    assert TrackingEvent.objects.get().delivery is None
    assert Suppression.objects.get().email == "iemand@example.org"
    assert status_of(delivery) == Delivery.Status.SENT


def test_mailgun_batch_send_finds_the_delivery_by_message_id_and_address(deliveries):
    # One Mailgun batch call gives every recipient of the batch the same message id.
    for delivery in deliveries:
        delivery.provider_message_id = "<20261105163354.1.batch@mg.example.org>"
        delivery.save()
    bounced = deliveries[1]

    payload = mailgun_events.failed(bounced.recipient.email, "20261105163354.1.batch@mg.example.org")
    response = post_json(mailgun_events.URL, payload, **auth())

    assert response.status_code == 200
    assert status_of(bounced) == Delivery.Status.BOUNCED
    assert status_of(deliveries[0]) == Delivery.Status.SENT
    assert Suppression.objects.get().email == bounced.recipient.email


def in_flight(delivery):
    """The row as a worker leaves it when it dies after the ESP accepted the mail: sending, no provider id."""
    Delivery.objects.filter(pk=delivery.pk).update(
        status=Delivery.Status.SENDING, provider_message_id="", sent_at=None, lease_expires_at=timezone.now()
    )


def test_an_event_for_a_send_the_ledger_never_recorded_reconciles_the_row(delivery):
    in_flight(delivery)
    payload = mailgun_events.delivered(delivery.recipient.email, "batch-1@mg.example.org", {"delivery": str(delivery.pk)})

    assert post_json(mailgun_events.URL, payload, **auth()).status_code == 200

    delivery.refresh_from_db()
    assert (delivery.status, delivery.provider_message_id, delivery.lease_expires_at) == (
        Delivery.Status.DELIVERED,
        "<batch-1@mg.example.org>",
        None,
    )
    assert delivery.sent_at is not None
    Delivery.objects.filter(pk=delivery.pk).update(lease_expires_at=timezone.now() - timedelta(minutes=1))
    assert sending.reclaim_expired_leases() == 0


def test_a_reclaimed_row_that_the_esp_reports_as_accepted_is_not_sent_again(delivery):
    Delivery.objects.filter(pk=delivery.pk).update(
        status=Delivery.Status.QUEUED, provider_message_id="", next_attempt_at=timezone.now()
    )
    payload = {**postmark_delivery(delivery.recipient.email), "MessageID": "first-try", "Metadata": {"delivery": str(delivery.pk)}}

    post_json(POSTMARK, payload, **auth())

    assert status_of(delivery) == Delivery.Status.DELIVERED
    assert sending.claim_batch() == []


def test_a_delivery_id_in_the_metadata_counts_only_with_its_own_address(delivery, deliveries):
    in_flight(delivery)
    other = deliveries[1]
    Delivery.objects.filter(pk=other.pk).update(provider_message_id="<other-1@mg.example.org>")
    payload = mailgun_events.delivered(other.recipient.email, "other-1@mg.example.org", {"delivery": str(delivery.pk)})

    post_json(mailgun_events.URL, payload, **auth())

    assert status_of(delivery) == Delivery.Status.SENDING
    assert status_of(other) == Delivery.Status.DELIVERED


@pytest.mark.parametrize("delivery_id", ["²", "1e3", "-1", "", None, ["1"]])
def test_a_delivery_id_that_is_not_a_number_is_ignored(delivery, delivery_id):
    in_flight(delivery)
    payload = mailgun_events.delivered(delivery.recipient.email, "x@mg.example.org", {"delivery": delivery_id})

    assert post_json(mailgun_events.URL, payload, **auth()).status_code == 200
    assert status_of(delivery) == Delivery.Status.SENDING


def test_an_event_that_says_the_esp_refused_the_mail_records_no_send(delivery):
    in_flight(delivery)
    payload = {**postmark_delivery(delivery.recipient.email), "Metadata": {"delivery": str(delivery.pk)}}
    payload.update(RecordType="Bounce", Type="ManuallyDeactivated", TypeCode=16, ID=7, Email=delivery.recipient.email)

    post_json(POSTMARK, payload, **auth())

    assert TrackingEvent.objects.get().event_type == "rejected"
    assert status_of(delivery) == Delivery.Status.SENDING


def test_mailgun_post_with_a_bad_signature_is_refused(delivery):
    payload = mailgun_events.failed(delivery.recipient.email, MESSAGE_ID)
    payload["signature"]["signature"] = "0" * 64

    assert post_json(mailgun_events.URL, payload, **auth()).status_code == 400
    assert not TrackingEvent.objects.exists()


@pytest.mark.parametrize("tracking_on", [False, True])
def test_mails_ask_the_esp_to_track_opens_and_clicks_only_when_turned_on(settings, delivery, tracking_on):
    settings.CAMPAIGNS_TRACK_OPENS_AND_CLICKS = tracking_on
    campaign = delivery.message.campaign

    message = build_email(campaign, campaign.invitation_subject, campaign.invitation_body, delivery.recipient)

    assert (message.track_opens, message.track_clicks) == (tracking_on, tracking_on)
