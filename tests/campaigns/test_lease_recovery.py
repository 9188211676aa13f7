"""A dead worker's rows come back within a minute; a live worker's slow batch keeps its lease; the beat's tick is not held up.

The tests with worker processes do not play the beat unless they say so: the
live workers take back expired leases themselves.
"""

import re
import time
from collections import Counter
from datetime import timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from campaigns.factories import CampaignFactory
from campaigns.models import Campaign, Delivery
from campaigns.services import sending
from campaigns.services.dispatch import dispatch_due_work
from campaigns.services.launch import launch
from campaigns.tasks import dispatch_due_work as dispatch_task

Status = Delivery.Status
# The workers these tests start hold an 8 s lease instead of the default 30 s
# (DELIVERY_LEASE_SECONDS): the same recovery and renewal, sooner. A live worker
# renews every third of it, so it may stall 5 s on a loaded machine and keep its rows.
LEASE_SECONDS = 8


def launch_to(campaign, make_contacts, count):
    make_contacts(count)
    launch(campaign)
    campaign.refresh_from_db()
    return campaign


def received(smtp_sink):
    return Counter(message["To"].addresses[0].addr_spec for message in smtp_sink.messages)


def node_name(worker):
    """The Celery node name a test worker was started with (``-n test-…@%h``), without the host."""
    args = worker.process.args
    return args[args.index("-n") + 1].split("@")[0] + "@"


def sent_count(campaign):
    return Delivery.objects.filter(message__campaign=campaign, status=Status.SENT).count()


@pytest.mark.django_db
def test_reclaim_deliveries_takes_back_only_the_named_workers_rows_and_names_no_address(campaign, make_contacts):
    campaign = launch_to(campaign, make_contacts, 5)
    dead = sending.claim_batch(size=3, worker="celery@host-a:101")
    alive = sending.claim_batch(size=2, worker="celery@host-b:202")
    listing, output = StringIO(), StringIO()

    call_command("reclaim_deliveries", stdout=listing)
    call_command("reclaim_deliveries", worker="celery@host-a:101", stdout=output)

    assert listing.getvalue().splitlines() == [
        "celery@host-a:101: 3 deliveries being sent",
        "celery@host-b:202: 2 deliveries being sent",
    ]
    assert output.getvalue().strip() == "Reclaimed 3 deliveries from worker celery@host-a:101; they are queued again."
    rows = Delivery.objects.in_bulk(dead + alive)
    assert {rows[pk].status for pk in dead} == {Status.QUEUED} and all(rows[pk].reclaimed_at for pk in dead)
    assert {rows[pk].status for pk in alive} == {Status.SENDING} and not any(rows[pk].reclaimed_at for pk in alive)
    assert "@example.org" not in listing.getvalue() + output.getvalue()
    assert sorted(sending.claim_batch()) == sorted(dead)


@pytest.mark.django_db
def test_reclaim_deliveries_takes_back_every_process_of_a_node_or_every_expired_lease(campaign, make_contacts):
    campaign = launch_to(campaign, make_contacts, 6)
    first = sending.claim_batch(size=2, worker="celery@host-a:101")
    second = sending.claim_batch(size=2, worker="celery@host-a:102")
    other = sending.claim_batch(size=2, worker="celery@host-ab:303")

    output = StringIO()
    call_command("reclaim_deliveries", worker="celery@host-a", stdout=output)
    assert output.getvalue().startswith("Reclaimed 4 deliveries")
    assert set(Delivery.objects.filter(status=Status.QUEUED).values_list("pk", flat=True)) == set(first + second)

    Delivery.objects.filter(pk__in=other).update(lease_expires_at=timezone.now() - timedelta(seconds=1))
    call_command("reclaim_deliveries", all_expired=True, stdout=output)
    assert "Reclaimed 2 deliveries from expired leases" in output.getvalue()
    assert Delivery.objects.filter(reclaimed_at__isnull=False).count() == 6


@pytest.mark.django_db
def test_a_row_taken_back_from_a_slow_worker_mid_batch_is_not_sent_by_it(campaign, make_contacts, monkeypatch):
    monkeypatch.setattr(sending, "RENEW_EVERY", timedelta(0))  # renew before every mail
    campaign = launch_to(campaign, make_contacts, 3)
    ids = sending.claim_batch(worker="celery@slow:1")
    deliveries = sending.sendable(ids)
    sending.reclaim_from_worker("celery@slow:1")  # an operator thought it dead
    taken_over = sending.claim_batch(worker="celery@other:2")

    assert sending.send_one_by_one(deliveries) == 0
    assert sorted(taken_over) == sorted(ids)
    assert set(Delivery.objects.filter(pk__in=ids).values_list("status", "claimed_by")) == {
        (Status.SENDING, "celery@other:2")
    }


def test_a_worker_killed_mid_batch_while_another_runs_has_its_rows_sent_again_within_a_minute(
    celery_workers, smtp_sink, campaign, make_contacts, capsys
):
    smtp_sink.delay = 0.05
    workers = celery_workers.start(smtp_sink.url, count=2, DELIVERY_LEASE_SECONDS=str(LEASE_SECONDS))
    campaign = launch_to(campaign, make_contacts, 200)
    smtp_sink.wait_for(30, timeout=30)

    claimant = Delivery.objects.filter(status=Status.SENDING).values_list("claimed_by", flat=True).first()
    assert claimant, "the kill should land while a batch is being sent"
    (victim,) = [worker for worker in workers if claimant.startswith(node_name(worker))]
    victim.kill()
    killed_at = time.monotonic()
    dead_rows = Delivery.objects.filter(status=Status.SENDING, claimed_by__startswith=node_name(victim)).count()

    deadline = killed_at + 60
    while sent_count(campaign) < 200 and time.monotonic() < deadline:
        time.sleep(0.2)
    recovered_after = time.monotonic() - killed_at

    counts = received(smtp_sink)
    reclaimed = Delivery.objects.filter(message__campaign=campaign, reclaimed_at__isnull=False).count()
    duplicates = sum(count - 1 for count in counts.values())
    missing = 200 - len(counts)
    with capsys.disabled():
        print(
            f"\n[lease] killed with {dead_rows} rows in flight; all sent {recovered_after:.1f}s after the kill "
            f"(lease {LEASE_SECONDS}s, no beat tick); reclaimed {reclaimed}, "
            f"duplicates {duplicates}, missing {missing}"
        )
    assert sent_count(campaign) == 200, celery_workers.logs()[-5000:]
    assert recovered_after < 60
    assert missing == 0
    assert reclaimed == dead_rows > 0
    assert duplicates <= reclaimed


def test_a_batch_that_takes_longer_than_the_lease_keeps_it_and_is_sent_once(
    celery_workers, smtp_sink, campaign, make_contacts, capsys
):
    smtp_sink.delay = 1.5  # 14 mails in one batch: 21 s, more than twice the lease
    celery_workers.start(smtp_sink.url, DELIVERY_LEASE_SECONDS=str(LEASE_SECONDS))
    campaign = launch_to(campaign, make_contacts, 14)
    smtp_sink.wait_for(1, timeout=20)
    started = time.monotonic()
    first_lease = Delivery.objects.filter(status=Status.SENDING).values_list("lease_expires_at", flat=True).first()

    latest_lease = first_lease
    deadline = started + 40
    while sent_count(campaign) < 14 and time.monotonic() < deadline:
        dispatch_due_work()  # a beat ticking often would take back any lease that lapsed
        leases = Delivery.objects.filter(status=Status.SENDING).values_list("lease_expires_at", flat=True)
        latest_lease = max([latest_lease, *leases])
        time.sleep(1)
    took = time.monotonic() - started

    counts = received(smtp_sink)
    with capsys.disabled():
        print(f"\n[renew] one batch of 14 took {took:.1f}s with a {LEASE_SECONDS}s lease")
    assert sent_count(campaign) == 14, celery_workers.logs()[-5000:]
    assert took > 2 * LEASE_SECONDS
    assert latest_lease > first_lease + timedelta(seconds=LEASE_SECONDS)
    assert set(counts.values()) == {1} and len(counts) == 14
    assert not Delivery.objects.filter(reclaimed_at__isnull=False).exists()


def test_the_beats_tick_runs_within_seconds_while_send_tasks_keep_the_worker_busy(
    celery_workers, smtp_sink, campaign, call_page, make_contacts, capsys
):
    smtp_sink.delay = 0.05  # a batch of 50 takes 2.5 s, a send task its whole 15 s budget
    celery_workers.start(smtp_sink.url)
    launch_to(campaign, make_contacts, 900)  # three send tasks' worth, queued before the tick
    smtp_sink.wait_for(20, timeout=30)
    scheduled = CampaignFactory(call_page=call_page, status=Campaign.Status.SCHEDULED, send_at=timezone.now())

    dispatch_task.delay()
    queued_at = time.monotonic()
    deadline = queued_at + 30
    while Campaign.objects.get(pk=scheduled.pk).status == Campaign.Status.SCHEDULED and time.monotonic() < deadline:
        time.sleep(0.2)
    waited = time.monotonic() - queued_at

    with capsys.disabled():
        print(f"\n[dispatch] the tick ran {waited:.1f}s after it was queued, {len(smtp_sink.messages)} mails sent by then")
    assert Campaign.objects.get(pk=scheduled.pk).status == Campaign.Status.SENDING
    assert waited < 20
    assert len(smtp_sink.messages) < 900, "the send work should still have been queued"


@pytest.mark.parametrize("path", ["Procfile.dev", "docker-compose.yml"])
def test_every_worker_consumes_the_beats_queue_too(path):
    (worker,) = re.findall(r"celery -A cms worker .*", (settings.BASE_DIR / path).read_text())
    assert " -Q celery,dispatch " in worker
