"""Retention: what is older than its period is removed or anonymised, everything else stays, and a second run does nothing."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from campaigns.factories import CampaignFactory
from campaigns.models import Delivery, Recipient, TrackingEvent
from campaigns.services.results import campaign_results
from cms.factories import CallForInputPageFactory
from cms.models import CallResponse
from cms.tasks import enforce_retention as retention_task
from newsletter.factories import SubscriberFactory
from newsletter.models import ConsentRecord, Subscriber
from newsletter.services.retention import enforce_retention
from tests.campaigns import ledger

NOW = timezone.now()


def days_ago(days):
    return NOW - timedelta(days=days)


def sign_up(subscriber, requested_at, confirmed=False):
    record = ConsentRecord.objects.create(
        subscriber=subscriber, source=ConsentRecord.Source.SIGNUP_PAGE, confirmed_at=requested_at if confirmed else None
    )
    ConsentRecord.objects.filter(pk=record.pk).update(requested_at=requested_at)
    Subscriber.objects.filter(pk=subscriber.pk).update(created_at=min(requested_at, subscriber.created_at))
    return record


@pytest.fixture
def sign_ups(db):
    pending = SubscriberFactory(email="vergeten@example.org", status=Subscriber.Status.PENDING, confirmed_at=None)
    sign_up(pending, days_ago(8))
    recent = SubscriberFactory(email="net-aangemeld@example.org", status=Subscriber.Status.PENDING, confirmed_at=None)
    sign_up(recent, days_ago(2))
    confirmed = SubscriberFactory(email="trouw@example.org")
    first = sign_up(confirmed, days_ago(400), confirmed=True)
    more_topics = sign_up(confirmed, days_ago(9))
    return {"confirmed": confirmed, "first": first, "more_topics": more_topics}


def test_unconfirmed_sign_ups_go_after_seven_days_and_confirmed_ones_stay(sign_ups):
    summary = enforce_retention(now=NOW)

    assert (summary.consent_records, summary.subscribers) == (2, 1)
    assert sorted(Subscriber.objects.values_list("email", flat=True)) == ["net-aangemeld@example.org", "trouw@example.org"]
    assert list(sign_ups["confirmed"].consents.all()) == [sign_ups["first"]]


@pytest.fixture
def old_and_new_mailings(site_tree):
    call = CallForInputPageFactory(parent=site_tree[2], notify_contact_person=False)
    old_campaign, new_campaign = CampaignFactory(call_page=call), CampaignFactory(call_page=call)
    old_message, new_message = ledger.start(old_campaign), ledger.start(new_campaign)
    for name, status in (("Anna", Delivery.Status.DELIVERED), ("Bas", Delivery.Status.BOUNCED), ("Cor", Delivery.Status.SENT)):
        old = ledger.deliver(old_message, ledger.recipient(old_campaign, name, answered=name == "Anna"), status)
        Delivery.objects.filter(pk=old.pk).update(provider_message_id=f"<{name}@mailgun>")
        event = TrackingEvent.objects.create(event_id=f"old-{name}", esp="mailgun", event_type=status, delivery=old, email="x@example.org")
        TrackingEvent.objects.filter(pk=event.pk).update(received_at=days_ago(800))
    Delivery.objects.filter(message=old_message).update(updated_at=days_ago(800))
    recent = ledger.deliver(new_message, ledger.recipient(new_campaign, "Dirk"), Delivery.Status.DELIVERED)
    TrackingEvent.objects.create(event_id="new", esp="mailgun", event_type="delivered", delivery=recent, email="dirk@example.org")
    return old_campaign, new_campaign


def test_old_deliveries_lose_their_people_but_the_results_keep_their_figures(old_and_new_mailings):
    old_campaign, new_campaign = old_and_new_mailings
    before = campaign_results(old_campaign)

    summary = enforce_retention(now=NOW)

    assert (summary.tracking_events, summary.recipients) == (3, 3)
    assert list(TrackingEvent.objects.values_list("event_id", flat=True)) == ["new"]
    old_recipients = Recipient.objects.filter(campaign=old_campaign)
    assert set(old_recipients.values_list("name", flat=True)) == {"[gewist]"}
    assert all(email.endswith("@gewist.invalid") for email in old_recipients.values_list("email", flat=True))
    assert not Delivery.objects.filter(message__campaign=old_campaign).exclude(provider_message_id="").exists()
    after = campaign_results(old_campaign)
    assert (after.recipients, after.answered, after.sent, after.delivered, after.bounced) == (
        before.recipients, before.answered, before.sent, before.delivered, before.bounced
    ) == (3, 1, 3, 1, 1)
    assert Recipient.objects.get(campaign=new_campaign).name == "Dirk"


def test_a_mailing_still_under_way_is_left_alone(old_and_new_mailings):
    old_campaign, _ = old_and_new_mailings
    Delivery.objects.filter(message__campaign=old_campaign, recipient__name="Cor").update(status=Delivery.Status.QUEUED)

    enforce_retention(now=NOW)

    assert Recipient.objects.filter(campaign=old_campaign, name="Cor").exists()


def test_answers_of_calls_closed_over_a_year_ago_are_anonymised(site_tree):
    closed = CallForInputPageFactory(parent=site_tree[2], deadline=days_ago(400), notify_contact_person=False)
    recently_closed = CallForInputPageFactory(parent=site_tree[2], deadline=days_ago(30), notify_contact_person=False)
    open_call = CallForInputPageFactory(parent=site_tree[2], notify_contact_person=False)
    for page in (closed, recently_closed, open_call):
        CallResponse.objects.create(page=page, form_data=ledger.answers(), content_hash="x")

    summary = enforce_retention(now=NOW)

    assert summary.responses == 1
    assert CallResponse.objects.get(page=closed).form_data == dict.fromkeys(ledger.answers(), "[gewist]")
    assert CallResponse.objects.get(page=recently_closed).form_data["naam"] == "Sanne Jansen"
    assert CallResponse.objects.get(page=open_call).form_data["naam"] == "Sanne Jansen"


def test_a_second_run_changes_nothing(sign_ups, old_and_new_mailings):
    enforce_retention(now=NOW)

    assert set(enforce_retention(now=NOW).as_dict().values()) == {0}


def test_the_daily_beat_task_applies_the_periods_from_the_settings(sign_ups, settings):
    settings.NEWSLETTER_UNCONFIRMED_DAYS = 1

    result = retention_task.apply().get()

    assert result["consent_records"] == 3 and result["subscribers"] == 2
    assert Subscriber.objects.get().email == "trouw@example.org"


def test_the_beat_schedule_runs_retention_once_a_day():
    entry = settings.CELERY_BEAT_SCHEDULE["enforce-retention"]

    assert entry["task"] == "cms.tasks.enforce_retention"
    assert len(entry["schedule"].hour) == 1 and len(entry["schedule"].minute) == 1
