"""Claiming and sending rows of the delivery ledger, in this process, against a real SMTP server."""

import os
import subprocess
import sys
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from django.core import mail
from django.utils import timezone

from campaigns.factories import CampaignFactory
from campaigns.models import Campaign, Delivery, Message, Suppression
from campaigns.services import sending
from campaigns.services.launch import launch
from campaigns.services.reminders import create_reminder
from tests.services import free_port

pytestmark = pytest.mark.django_db

Status = Delivery.Status


@pytest.fixture
def launched(campaign, make_contacts):
    """``launched(n)``: the campaign launched to n contacts; returns the campaign."""

    def make(count, **fields):
        make_contacts(count, **fields)
        launch(campaign)
        campaign.refresh_from_db()
        return campaign

    return make


def statuses(campaign):
    return sorted(Delivery.objects.filter(message__campaign=campaign).values_list("status", flat=True))


class ScriptedSmtp:
    """An SMTP server that refuses chosen addresses with a chosen reply and counts connections."""

    def __init__(self, refuse=None):
        self.refuse = refuse or {}
        self.accepted = []
        self.connections = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.connections.add(session.peer)
        self.accepted.extend(envelope.rcpt_tos)
        return "250 Message accepted for delivery"


@pytest.fixture
def scripted_smtp(settings):
    """``scripted_smtp(refuse={address: reply})``: Django's SMTP backend pointed at it."""
    controllers = []

    def start(refuse=None):
        handler = ScriptedSmtp(refuse)
        port = free_port()
        controller = Controller(handler, hostname="127.0.0.1", port=port)
        controller.start()
        controllers.append(controller)
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        return handler

    yield start
    for controller in controllers:
        controller.stop()


def test_a_claim_marks_rows_sending_with_a_lease_and_no_second_claim_gets_them(launched):
    campaign = launched(5)
    first = sending.claim_batch(size=3, worker="celery@host-a:101")
    second = sending.claim_batch(size=3, worker="celery@host-b:202")

    assert len(first) == 3 and len(second) == 2 and not set(first) & set(second)
    assert sending.claim_batch(size=3) == []
    row = Delivery.objects.get(pk=first[0])
    assert row.status == Status.SENDING and row.attempts == 1 and row.claimed_by == "celery@host-a:101"
    # A short lease, which a live worker renews while it sends: a dead worker's rows come back soon.
    assert timezone.now() + timedelta(seconds=20) < row.lease_expires_at <= timezone.now() + sending.LEASE
    assert statuses(campaign) == [Status.SENDING] * 5


def test_nothing_is_claimed_before_its_time_or_for_a_paused_campaign(launched):
    campaign = launched(2)
    Delivery.objects.update(next_attempt_at=timezone.now() + timedelta(minutes=5))
    assert sending.claim_batch() == []

    Delivery.objects.update(next_attempt_at=timezone.now())
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.PAUSED)
    assert sending.claim_batch() == []


def test_sent_rows_get_their_message_id_and_time(launched):
    campaign = launched(3)
    ids = sending.claim_batch()

    assert sending.send_batch(ids) == 3
    assert len(mail.outbox) == 3
    assert sorted(m.to[0].split("<")[1].rstrip(">") for m in mail.outbox) == sorted(
        campaign.recipients.values_list("email", flat=True)
    )
    for delivery in Delivery.objects.filter(pk__in=ids):
        assert delivery.status == Status.SENT and delivery.sent_at and delivery.lease_expires_at is None
        assert delivery.provider_message_id == f"<{delivery.message_id_key}@example.org>"


def test_one_smtp_connection_carries_a_batch(launched, scripted_smtp):
    server = scripted_smtp()
    launched(6)

    assert sending.send_batch(sending.claim_batch()) == 6
    assert len(server.accepted) == 6
    assert len(server.connections) == 1


def test_one_smtp_connection_carries_every_batch_of_a_run(launched, scripted_smtp, monkeypatch):
    monkeypatch.setattr(sending, "BATCH_SIZE", 4)
    server = scripted_smtp()
    campaign = launched(10)

    assert sending.send_due() is False
    assert len(server.accepted) == 10
    assert len(server.connections) == 1  # three batches, one connection
    assert statuses(campaign) == [Status.SENT] * 10


def test_after_a_temporary_refusal_the_run_goes_on_over_a_fresh_connection(launched, scripted_smtp, monkeypatch):
    monkeypatch.setattr(sending, "BATCH_SIZE", 4)
    campaign = launched(10)
    refused = campaign.recipients.order_by("pk")[1].email  # the first mail goes out over the first connection
    server = scripted_smtp(refuse={refused: "451 4.7.1 Probeer het later nog eens"})

    sending.send_due()
    assert len(server.accepted) == 9
    assert len(server.connections) == 2
    assert statuses(campaign) == sorted([Status.QUEUED] + [Status.SENT] * 9)


def test_a_temporary_refusal_queues_the_row_again_with_backoff(launched, scripted_smtp):
    campaign = launched(2)
    refused = campaign.recipients.order_by("pk").first().email
    server = scripted_smtp(refuse={refused: "451 4.7.1 Probeer het later nog eens"})

    assert sending.send_batch(sending.claim_batch()) == 1
    retry = Delivery.objects.get(recipient__email=refused)
    assert retry.status == Status.QUEUED and "451" in retry.error
    assert timezone.now() + timedelta(seconds=10) < retry.next_attempt_at < timezone.now() + timedelta(seconds=31)
    assert len(server.accepted) == 1


def test_a_permanent_refusal_fails_the_row_with_the_reason(launched, scripted_smtp):
    campaign = launched(2)
    refused = campaign.recipients.order_by("pk").first().email
    scripted_smtp(refuse={refused: "550 5.1.1 Onbekende gebruiker"})

    assert sending.send_batch(sending.claim_batch()) == 1
    failed = Delivery.objects.get(recipient__email=refused)
    assert failed.status == Status.FAILED and "Onbekende gebruiker" in failed.error


def test_a_row_fails_for_good_after_the_last_attempt(launched, scripted_smtp):
    campaign = launched(1)
    scripted_smtp(refuse={campaign.recipients.get().email: "451 later"})
    Delivery.objects.update(attempts=sending.MAX_ATTEMPTS - 1)

    sending.send_batch(sending.claim_batch())
    assert statuses(campaign) == [Status.FAILED]


def test_an_unreachable_mail_server_is_a_transient_failure(launched, settings):
    campaign = launched(2)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()

    assert sending.send_batch(sending.claim_batch()) == 0
    assert statuses(campaign) == [Status.QUEUED] * 2


def test_retry_after_from_the_provider_is_honoured():
    delay = sending.retry_delay(attempts=1, retry_after=120)
    assert timedelta(seconds=120) <= delay <= timedelta(seconds=121)
    assert timedelta(seconds=60) <= sending.retry_delay(attempts=3) <= timedelta(seconds=120)


def test_answering_between_claim_and_send_skips_the_reminder(launched):
    campaign = launched(3)
    Delivery.objects.update(status=Status.SENT)
    create_reminder(campaign, 1)
    ids = sending.claim_batch()
    answered = campaign.recipients.order_by("pk").first()
    answered.answered_at = timezone.now()
    answered.save()

    assert sending.send_batch(ids) == 2
    skipped = Delivery.objects.get(message__sequence=1, recipient=answered)
    assert skipped.status == Status.SKIPPED and skipped.error == sending.ANSWERED_REASON
    assert answered.email not in [m.to[0] for m in mail.outbox]


def test_an_address_suppressed_after_the_claim_is_not_mailed(launched):
    campaign = launched(2)
    ids = sending.claim_batch()
    blocked = campaign.recipients.order_by("pk").first()
    Suppression.objects.create(email=blocked.email, scope=Suppression.Scope.CAMPAIGNS, reason="unsubscribed")

    assert sending.send_batch(ids) == 1
    assert Delivery.objects.get(recipient=blocked).status == Status.SKIPPED
    assert all(blocked.email not in m.to[0] for m in mail.outbox)


def test_pausing_after_the_claim_gives_the_rows_back(launched):
    campaign = launched(2)
    ids = sending.claim_batch()
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.PAUSED)

    assert sending.send_batch(ids) == 0
    assert statuses(campaign) == [Status.QUEUED] * 2
    assert set(Delivery.objects.values_list("attempts", flat=True)) == {0}


def test_cancelling_after_the_claim_skips_the_rows(launched):
    campaign = launched(2)
    ids = sending.claim_batch()
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.CANCELLED)

    assert sending.send_batch(ids) == 0
    assert statuses(campaign) == [Status.SKIPPED] * 2
    assert mail.outbox == []


def test_a_row_whose_lease_ran_out_is_not_sent_but_reclaimed(launched):
    campaign = launched(2)
    ids = sending.claim_batch()
    Delivery.objects.update(lease_expires_at=timezone.now() - timedelta(seconds=1))

    assert sending.send_batch(ids) == 0
    assert sending.reclaim_expired_leases() == 2
    assert statuses(campaign) == [Status.QUEUED] * 2
    assert Delivery.objects.filter(reclaimed_at__isnull=False).count() == 2
    assert sorted(sending.claim_batch()) == sorted(ids)


def test_the_rate_limit_caps_claims_per_minute(launched):
    campaign = launched(10)
    Campaign.objects.filter(pk=campaign.pk).update(rate_per_minute=4)

    assert len(sending.claim_batch()) == 4
    assert sending.claim_batch() == []
    Delivery.objects.filter(status=Status.SENDING).update(claimed_at=timezone.now() - timedelta(minutes=2))
    assert len(sending.claim_batch()) == 4


def test_a_rate_limited_campaign_does_not_hold_up_another(launched, call_page):
    limited = launched(3)
    Campaign.objects.filter(pk=limited.pk).update(rate_per_minute=1)
    assert len(sending.claim_batch()) == 1

    other = CampaignFactory(call_page=call_page)
    launch(other)
    claimed = sending.claim_batch()
    assert len(claimed) == 3
    assert set(Delivery.objects.filter(pk__in=claimed).values_list("message__campaign", flat=True)) == {other.pk}


def test_a_bad_name_fails_only_that_row(launched):
    campaign = launched(2)
    bad = campaign.recipients.order_by("pk").first()
    bad.name = "Anna\nBcc: iedereen@example.org"
    bad.save()

    assert sending.send_batch(sending.claim_batch()) == 1
    failed = Delivery.objects.get(recipient=bad)
    assert failed.status == Status.FAILED and "regeleinde" in failed.error
    assert Message.objects.get(campaign=campaign).deliveries.filter(status=Status.SENT).count() == 1


def test_a_row_whose_sends_keep_dying_fails_instead_of_looping(launched):
    campaign = launched(1)
    sending.claim_batch()
    Delivery.objects.update(attempts=sending.MAX_ATTEMPTS, lease_expires_at=timezone.now() - timedelta(seconds=1))

    assert sending.reclaim_expired_leases() == 1
    row = Delivery.objects.get(message__campaign=campaign)
    assert row.status == Status.FAILED and row.reclaimed_at and row.error == sending.LEASE_EXHAUSTED_REASON


def test_a_worker_started_with_a_shorter_lease_claims_and_renews_with_it(tmp_path):
    """DELIVERY_LEASE_SECONDS in a worker's environment sets its lease; it renews and reclaims every third of it."""
    script = (
        "import django; django.setup(); from campaigns.services import sending; "
        "print(sending.LEASE.total_seconds(), sending.RENEW_EVERY.total_seconds(), sending.RECLAIM_EVERY.total_seconds())"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "cms.settings.test", "DELIVERY_LEASE_SECONDS": "6"}
    result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["6.0", "2.0", "2.0"]


def kill_this_process_connection():
    """``pg_terminate_backend`` of Django's connection, from a second one: as a database restart would."""
    from django.db import connection

    connection.ensure_connection()
    backend_pid = connection.connection.info.backend_pid
    with connection.get_new_connection(connection.get_connection_params()) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [backend_pid])


@pytest.mark.django_db(transaction=True)
def test_a_claim_and_its_check_go_on_after_the_database_connection_was_killed(postgres, launched):
    campaign = launched(5)

    kill_this_process_connection()
    ids = sending.claim_batch(size=5)
    kill_this_process_connection()
    deliveries = sending.sendable(ids)

    assert len(ids) == 5 and len(deliveries) == 5
    assert statuses(campaign) == [Status.SENDING] * 5
