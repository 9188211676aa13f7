"""One suppression list fed from every path: ESP bounces, complaints and unsubscribes, SMTP refusals at send time.

Each entry keeps its reason, the raw report and the mailing that caused it;
a campaign manager lifts a false positive with a note in the audit log.
"""

import base64
import json
import time

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse
from wagtail.models import ModelLogEntry

from campaigns.factories import CampaignFactory
from campaigns.models import Campaign, Contact, Delivery, Message, Recipient, Suppression
from campaigns.services.audience import summarise
from campaigns.services.contact_import import apply_import, plan_import
from campaigns.services.launch import launch
from newsletter.factories import SubscriberFactory
from newsletter.models import Subscriber
from tests.security.roles import make_user

from . import mailgun_events

SECRET = "zw-webhook:dit-is-een-lang-geheim"
POSTMARK = "/anymail/postmark/tracking/"
BREVO = "/anymail/brevo/tracking/"
MESSAGE_ID = "883953f4-6105-42a2-a16a-77a8eac79483"
INDEX_URL = reverse("campaigns_suppression_modeladmin_index")


@pytest.fixture(autouse=True)
def webhook_settings(settings):
    settings.ANYMAIL = {**settings.ANYMAIL, "WEBHOOK_SECRET": SECRET, "MAILGUN_WEBHOOK_SIGNING_KEY": mailgun_events.SIGNING_KEY}


def post_event(url, payload):
    auth = "Basic " + base64.b64encode(SECRET.encode()).decode()
    response = Client().post(url, json.dumps(payload), content_type="application/json", HTTP_AUTHORIZATION=auth)
    assert response.status_code == 200
    return response


@pytest.fixture
def delivery(campaign, make_contacts):
    """An invitation the ESP accepted, to an address that also subscribes to the newsletter."""
    make_contacts(1)
    launch(campaign)
    delivery = Delivery.objects.select_related("recipient", "message__campaign").get()
    Delivery.objects.filter(pk=delivery.pk).update(status=Delivery.Status.SENT, provider_message_id=MESSAGE_ID)
    SubscriberFactory(email=delivery.recipient.email)
    return delivery


@pytest.fixture
def newsletter_delivery(db):
    """An issue the ESP accepted for one subscriber."""
    subscriber = SubscriberFactory(email="lotte.visser@example.org")
    campaign = CampaignFactory(kind=Campaign.Kind.NEWSLETTER, name="Nieuwsbrief november", status=Campaign.Status.SENT)
    message = Message.objects.create(campaign=campaign, kind=Message.Kind.NEWSLETTER, sequence=0, subject="Nieuwsbrief november")
    recipient = Recipient.objects.create(
        campaign=campaign, email=subscriber.email, name="Lotte Visser", subscriber=subscriber, token_nonce="n" * 32
    )
    return Delivery.objects.create(
        message=message, recipient=recipient, status=Delivery.Status.SENT, provider_message_id=MESSAGE_ID
    )


def postmark(record_type, email, **fields):
    return {
        "RecordType": record_type,
        "ID": 4323372036854775807,
        "MessageID": MESSAGE_ID,
        "MessageStream": "outbound",
        "Email": email,
        "Recipient": email,
        "BouncedAt": "2026-11-05T16:33:54Z",
        "ChangedAt": "2026-11-05T16:33:54Z",
        "Metadata": {},
        **fields,
    }


def hard_bounce(email):
    return postmark(
        "Bounce",
        email,
        Type="HardBounce",
        TypeCode=1,
        Description="The server was unable to deliver your message (ex: unknown user, mailbox not found).",
        Details="smtp;550 5.1.1 The email account that you tried to reach does not exist.",
    )


def brevo(event, email):
    now = time.time()
    return {"event": event, "email": email, "id": 1, "message-id": f"<{MESSAGE_ID}>", "ts_epoch": int(now * 1000), "reason": "452 4.2.2 Mailbox full"}


def subscriber_status(email):
    return Subscriber.objects.get(email=email).status


def test_a_bounce_webhook_suppresses_with_the_raw_event_and_the_mailing_that_caused_it(delivery):
    payload = hard_bounce(delivery.recipient.email)

    post_event(POSTMARK, payload)

    entry = Suppression.objects.get()
    assert (entry.email, entry.scope, entry.reason) == (delivery.recipient.email, Suppression.Scope.ALL, Suppression.Reason.HARD_BOUNCE)
    assert entry.event == payload
    assert entry.campaign == delivery.message.campaign
    assert "unknown user" in entry.detail
    assert subscriber_status(delivery.recipient.email) == Subscriber.Status.UNSUBSCRIBED


def test_a_complaint_is_a_complaint_not_a_bounce(delivery):
    payload = postmark("SpamComplaint", delivery.recipient.email, Type="SpamComplaint", TypeCode=512)

    post_event(POSTMARK, payload)

    entry = Suppression.objects.get()
    assert (entry.reason, entry.scope, entry.event) == (Suppression.Reason.COMPLAINT, Suppression.Scope.ALL, payload)
    assert subscriber_status(delivery.recipient.email) == Subscriber.Status.UNSUBSCRIBED


@pytest.mark.parametrize(
    "url, payload",
    [
        pytest.param(POSTMARK, lambda email: postmark("Bounce", email, Type="SoftBounce", TypeCode=4096), id="postmark-soft"),
        pytest.param(BREVO, lambda email: brevo("soft_bounce", email), id="brevo-soft"),
        pytest.param(
            mailgun_events.URL,
            lambda email: mailgun_events.signed(
                {**mailgun_events.failed(email, MESSAGE_ID)["event-data"], "severity": "temporary", "reason": "generic"}
            ),
            id="mailgun-temporary",
        ),
    ],
)
def test_a_soft_bounce_suppresses_nobody(delivery, url, payload):
    post_event(url, payload(delivery.recipient.email))

    assert not Suppression.objects.exists()
    assert subscriber_status(delivery.recipient.email) == Subscriber.Status.CONFIRMED


def test_a_hard_bounce_from_another_esp_suppresses_too(delivery):
    post_event(BREVO, brevo("hard_bounce", delivery.recipient.email))

    assert Suppression.objects.get().reason == Suppression.Reason.HARD_BOUNCE


def test_an_esp_unsubscribe_from_a_newsletter_stops_the_newsletter_only(newsletter_delivery):
    email = newsletter_delivery.recipient.email

    post_event(POSTMARK, postmark("SubscriptionChange", email, SuppressSending=True, SuppressionReason="ManualSuppression"))

    entry = Suppression.objects.get()
    assert (entry.scope, entry.reason) == (Suppression.Scope.NEWSLETTER, Suppression.Reason.UNSUBSCRIBED)
    assert entry.campaign == newsletter_delivery.message.campaign
    assert subscriber_status(email) == Subscriber.Status.UNSUBSCRIBED


def test_an_esp_unsubscribe_from_an_invitation_keeps_the_newsletter(delivery):
    post_event(POSTMARK, postmark("SubscriptionChange", delivery.recipient.email, SuppressSending=True))

    assert Suppression.objects.get().scope == Suppression.Scope.CAMPAIGNS
    assert subscriber_status(delivery.recipient.email) == Subscriber.Status.CONFIRMED


def test_an_esp_unsubscribe_for_no_known_mail_stops_every_mailing(db):
    post_event(POSTMARK, {**postmark("SubscriptionChange", "onbekend@example.org"), "MessageID": "elders"})

    assert Suppression.objects.get().scope == Suppression.Scope.ALL


def test_the_block_survives_deleting_and_reimporting_the_contact(delivery, call_page):
    email = delivery.recipient.email
    post_event(POSTMARK, hard_bounce(email))
    organisation = Contact.objects.get(email=email).organisation
    Contact.objects.filter(email=email).delete()

    data = f"naam,email,organisatie\nAnna Jansen,{email.upper()},{organisation.name}\n".encode()
    apply_import(data, plan_import(data).fingerprint)

    summary = summarise(CampaignFactory(call_page=call_page))
    assert [contact.email for contact in summary.suppressed] == [email]
    assert summary.recipients == []


@pytest.mark.services
def test_an_smtp_refusal_at_send_time_suppresses_as_a_hard_bounce(celery_workers, refusing_smtp_sink, campaign, make_contacts):
    refused, accepted = make_contacts(2)
    SubscriberFactory(email=refused.email)
    refusing_smtp_sink.refused.add(refused.email)
    celery_workers.start(refusing_smtp_sink.url)

    launch(campaign)
    refusing_smtp_sink.wait_for(1)
    deadline = time.monotonic() + 20
    while Delivery.objects.filter(status__in=[Delivery.Status.QUEUED, Delivery.Status.SENDING]).exists():
        assert time.monotonic() < deadline, celery_workers.logs()
        time.sleep(0.1)

    entry = Suppression.objects.get()
    assert (entry.email, entry.scope, entry.reason) == (refused.email, Suppression.Scope.ALL, Suppression.Reason.HARD_BOUNCE)
    assert entry.campaign == campaign
    assert "550" in json.dumps(entry.event)
    assert Delivery.objects.get(recipient__email=refused.email).status == Delivery.Status.FAILED
    assert Delivery.objects.get(recipient__email=accepted.email).status == Delivery.Status.SENT
    assert subscriber_status(refused.email) == Subscriber.Status.UNSUBSCRIBED


@pytest.mark.parametrize(
    "scope, status",
    [
        (Suppression.Scope.ALL, Subscriber.Status.UNSUBSCRIBED),
        (Suppression.Scope.NEWSLETTER, Subscriber.Status.UNSUBSCRIBED),
        (Suppression.Scope.CAMPAIGNS, Subscriber.Status.CONFIRMED),
    ],
)
def test_a_block_of_the_newsletter_unsubscribes_the_subscriber(db, scope, status):
    subscriber = SubscriberFactory(email="sanne@example.org")

    Suppression.objects.create(email="Sanne@Example.org", scope=scope, reason=Suppression.Reason.MANUAL)

    subscriber.refresh_from_db()
    assert subscriber.status == status
    assert (subscriber.unsubscribed_at is not None) == (status == Subscriber.Status.UNSUBSCRIBED)


# The admin: reasons apart, the raw event inspected, lifting with a note.


@pytest.fixture
def manager_client(client, db):
    client.force_login(make_user("campaign_manager"))
    return client


@pytest.fixture
def complaint(db):
    return Suppression.objects.create(
        email="klager@example.org",
        reason=Suppression.Reason.COMPLAINT,
        detail="Postmark: spam complaint",
        event={"RecordType": "SpamComplaint", "Details": "<script>alert(1)</script>", "Email": "klager@example.org"},
    )


@pytest.fixture
def bounce(db):
    return Suppression.objects.create(email="weg@example.org", reason=Suppression.Reason.HARD_BOUNCE)


def listed(response):
    soup = BeautifulSoup(response.content, "html.parser")
    for actions in soup.select("table.listing ul.actions"):
        actions.decompose()
    return sorted(td.get_text(strip=True) for td in soup.select("table.listing tbody td:first-child"))


def test_the_list_filters_complaints_apart_from_bounces(manager_client, complaint, bounce):
    assert listed(manager_client.get(INDEX_URL)) == ["klager@example.org", "weg@example.org"]
    assert listed(manager_client.get(INDEX_URL, {"reason": "complaint"})) == ["klager@example.org"]
    assert listed(manager_client.get(INDEX_URL, {"reason": "hard_bounce"})) == ["weg@example.org"]


def test_inspecting_shows_the_raw_event_pretty_printed_and_escaped(manager_client, complaint):
    page = manager_client.get(reverse("campaigns_suppression_modeladmin_inspect", args=[complaint.pk]))

    assert page.status_code == 200
    html = page.content.decode()
    assert "<script>alert(1)</script>" not in html
    event = BeautifulSoup(html, "html.parser").select_one("pre.suppression-event").get_text()
    assert json.loads(event) == complaint.event
    assert '\n  "RecordType": "SpamComplaint"' in event


def test_lifting_a_block_needs_a_note(manager_client, complaint):
    url = reverse("campaigns_suppression_modeladmin_delete", args=[complaint.pk])

    response = manager_client.post(url, {"note": "  "})

    assert response.status_code == 200
    assert "Dit is een verplicht veld" in response.content.decode()
    assert Suppression.objects.filter(pk=complaint.pk).exists()
    assert not ModelLogEntry.objects.filter(action="campaigns.suppression_lifted").exists()


def test_lifting_logs_the_note_without_the_address(manager_client, complaint):
    url = reverse("campaigns_suppression_modeladmin_delete", args=[complaint.pk])
    note = "Klager@example.org belde: per ongeluk op spam geklikt."

    response = manager_client.post(url, {"note": note})

    assert response.status_code == 302
    assert not Suppression.objects.exists()
    entry = ModelLogEntry.objects.get(action="campaigns.suppression_lifted")
    assert entry.data["note"] == "***@*** belde: per ongeluk op spam geklikt."
    assert entry.data["reason"] == Suppression.Reason.COMPLAINT
    logged = json.dumps([entry.label, entry.data]).lower()
    assert "klager" not in logged and "example.org" not in logged
    assert not ModelLogEntry.objects.filter(action="wagtail.delete").exists()
    history = manager_client.get(reverse("wagtailadmin_reports:site_history"))
    assert "Blokkade opgeheven: ***@*** belde" in history.content.decode()
