"""The ledger with real worker processes, Redis, PostgreSQL and an SMTP server: nothing lost, nothing doubled.

Each test plays the beat itself by calling ``dispatch_due_work`` where the
beat would have ticked.
"""

import base64
import re
import time
from collections import Counter
from datetime import timedelta

import pytest
import redis
from django.test import Client
from django.utils import timezone

from campaigns.loopback import FakeMailgun
from campaigns.models import Campaign, Delivery, Suppression
from campaigns.services.dispatch import dispatch_due_work
from campaigns.services.launch import launch
from campaigns.tokens import UNSUBSCRIBE, find_recipient

from . import mailgun_events

Status = Delivery.Status
FINAL = (Status.SENT, Status.FAILED, Status.SKIPPED)


def launch_to(campaign, make_contacts, count):
    make_contacts(count)
    launch(campaign)
    campaign.refresh_from_db()
    return campaign


def wait_until_final(campaign, workers, timeout=30, beat_every=2.0):
    """Poll the ledger until every delivery is final, ticking the beat now and then."""
    deadline = time.monotonic() + timeout
    next_beat = time.monotonic() + beat_every
    while time.monotonic() < deadline:
        if not Delivery.objects.filter(message__campaign=campaign).exclude(status__in=FINAL).exists():
            return
        if time.monotonic() >= next_beat:
            dispatch_due_work()
            next_beat = time.monotonic() + beat_every
        time.sleep(0.1)
    counts = Counter(Delivery.objects.filter(message__campaign=campaign).values_list("status", flat=True))
    pytest.fail(f"Deliveries not final within {timeout}s: {dict(counts)}\n{workers.logs()[-5000:]}")


def received(smtp_sink):
    return Counter(message["To"].addresses[0].addr_spec for message in smtp_sink.messages)


def expire_leases(campaign):
    """Let the leases of rows still "sending" run out, as time would."""
    return Delivery.objects.filter(message__campaign=campaign, status=Status.SENDING).update(
        lease_expires_at=timezone.now() - timedelta(seconds=1)
    )


def test_launch_to_200_contacts_mails_each_exactly_once_with_a_working_link(
    celery_workers, smtp_sink, campaign, make_contacts
):
    blocked = make_contacts(3)
    for contact in blocked:
        Suppression.objects.create(email=contact.email, reason="hard_bounce")
    celery_workers.start(smtp_sink.url, count=2)

    campaign = launch_to(campaign, make_contacts, 200)
    messages = smtp_sink.wait_for(200, timeout=40)
    wait_until_final(campaign, celery_workers)

    counts = received(smtp_sink)
    expected = set(campaign.recipients.values_list("email", flat=True))
    assert len(expected) == 200 and set(counts) == expected and set(counts.values()) == {1}
    assert not set(counts) & {contact.email for contact in blocked}
    for message in messages:
        link = re.search(r"/reageren/([^/\s]+)/", message.get_body(("plain",)).get_content()).group(1)
        assert find_recipient(link).email == message["To"].addresses[0].addr_spec
        unsubscribe = re.fullmatch(r"<http://testserver/afmelden/([^/]+)/>", message["List-Unsubscribe"].strip()).group(1)
        assert find_recipient(unsubscribe, UNSUBSCRIBE).email == message["To"].addresses[0].addr_spec
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert Delivery.objects.filter(status=Status.SENT).count() == 200
    # The worker that sent the last mail marks the campaign sent; no beat tick is needed.
    deadline = time.monotonic() + 10
    while Campaign.objects.get(pk=campaign.pk).status != Campaign.Status.SENT and time.monotonic() < deadline:
        time.sleep(0.1)
    assert Campaign.objects.get(pk=campaign.pk).status == Campaign.Status.SENT


def test_a_worker_killed_mid_batch_loses_nothing_and_every_duplicate_is_a_reclaimed_row(
    celery_workers, smtp_sink, campaign, make_contacts, capsys
):
    smtp_sink.delay = 0.05
    (worker,) = celery_workers.start(smtp_sink.url)
    campaign = launch_to(campaign, make_contacts, 60)
    smtp_sink.wait_for(8, timeout=20)

    worker.kill()
    in_flight = expire_leases(campaign)
    assert in_flight > 0, "the kill should land while a batch is being sent"
    celery_workers.start(smtp_sink.url)
    dispatch_due_work()
    wait_until_final(campaign, celery_workers)

    counts = received(smtp_sink)
    reclaimed = Delivery.objects.filter(message__campaign=campaign, reclaimed_at__isnull=False).count()
    duplicates = sum(count - 1 for count in counts.values())
    missing = 60 - len(counts)
    with capsys.disabled():
        print(f"\n[kill] in flight {in_flight}, reclaimed {reclaimed}, duplicates {duplicates}, missing {missing}")
    assert missing == 0
    assert reclaimed == in_flight
    assert duplicates <= reclaimed
    assert Delivery.objects.filter(message__campaign=campaign, status=Status.SENT).count() == 60


def test_a_killed_database_connection_costs_the_worker_a_reconnect_not_its_lease(
    celery_workers, smtp_sink, campaign, make_contacts
):
    """The worker records what the mail server accepted on a new connection: nothing waits 30 s, nothing goes twice."""
    from django.db import connection

    smtp_sink.delay = 0.02
    celery_workers.start(smtp_sink.url)
    campaign = launch_to(campaign, make_contacts, 150)
    smtp_sink.wait_for(30, timeout=20)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        assert cursor.fetchone()[0] >= 1

    wait_until_final(campaign, celery_workers, timeout=20)  # well within the 30 s lease

    counts = received(smtp_sink)
    assert len(counts) == 150 and max(counts.values()) == 1
    assert not Delivery.objects.filter(message__campaign=campaign, reclaimed_at__isnull=False).exists()


def test_flushing_redis_mid_campaign_loses_nothing(
    celery_workers, smtp_sink, campaign, make_contacts, redis_url, capsys
):
    smtp_sink.delay = 0.02
    campaign = launch_to(campaign, make_contacts, 80)
    redis.Redis.from_url(redis_url).flushdb()  # the launch's wake-up signal is gone
    celery_workers.start(smtp_sink.url)
    time.sleep(1)
    assert smtp_sink.messages == []

    dispatch_due_work()
    smtp_sink.wait_for(10, timeout=20)
    redis.Redis.from_url(redis_url).flushdb()  # and again while a batch is being sent
    wait_until_final(campaign, celery_workers)

    counts = received(smtp_sink)
    duplicates = sum(count - 1 for count in counts.values())
    with capsys.disabled():
        print(f"\n[flush] mailed {len(counts)} of 80, duplicates {duplicates}")
    assert len(counts) == 80 and duplicates == 0


def test_a_worker_killed_while_the_esp_answers_resends_only_what_the_esp_did_not_report(
    celery_workers, campaign, make_contacts, settings, capsys
):
    secret = "zw-webhook:geheim"
    settings.ANYMAIL = {**settings.ANYMAIL, "WEBHOOK_SECRET": secret, "MAILGUN_WEBHOOK_SIGNING_KEY": mailgun_events.SIGNING_KEY}
    with FakeMailgun(holds=[60]) as server:
        (worker,) = celery_workers.start(server.email_url)
        campaign = launch_to(campaign, make_contacts, 40)
        deadline = time.monotonic() + 20
        while len(server.accepted) < 40 and time.monotonic() < deadline:
            time.sleep(0.1)
        worker.kill()  # the ESP has accepted the batch; the worker never heard back
        reported = server.accepted[:25]
        client = Client(HTTP_AUTHORIZATION="Basic " + base64.b64encode(secret.encode()).decode())
        for mail in reported:
            response = client.post(mailgun_events.URL, mailgun_events.for_accepted_mail(mail), content_type="application/json")
            assert response.status_code == 200

        in_flight = expire_leases(campaign)
        celery_workers.start(server.email_url)
        dispatch_due_work()
        deadline = time.monotonic() + 30
        while Delivery.objects.filter(status__in=(Status.QUEUED, Status.SENDING)).exists() and time.monotonic() < deadline:
            time.sleep(0.2)

        counts = server.received()
        reclaimed = Delivery.objects.filter(message__campaign=campaign, reclaimed_at__isnull=False).count()
        duplicates = sum(count - 1 for count in counts.values())
        with capsys.disabled():
            print(f"\n[esp kill] reported by webhook 25, reclaimed {reclaimed}, duplicates {duplicates}, missing {40 - len(counts)}")
        assert len(counts) == 40
        assert in_flight == reclaimed == duplicates == 15
        assert all(counts[mail["to"]] == 1 for mail in reported)
        assert Delivery.objects.filter(status=Status.DELIVERED).count() == 25
        assert Delivery.objects.filter(status=Status.SENT).count() == 15
