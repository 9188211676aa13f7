"""The batch path: one ESP API call per batch, personalised by the ESP, against a loopback fake Mailgun."""

import re
import time
from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.http import http_date

from campaigns.loopback import FakeMailgun, free_port
from campaigns.models import Delivery
from campaigns.services import sending
from campaigns.services.launch import launch
from campaigns.tokens import UNSUBSCRIBE, find_recipient

Status = Delivery.Status


@pytest.fixture
def fake_mailgun(settings):
    """``fake_mailgun(script)``: the fake API with Django's mail going to it through anymail."""
    servers = []

    def start(script=()):
        server = FakeMailgun(script=script).__enter__()
        servers.append(server)
        settings.EMAIL_BACKEND = "anymail.backends.mailgun.EmailBackend"
        settings.ANYMAIL = {"MAILGUN_API_KEY": "test-key", "MAILGUN_API_URL": server.api_url}
        return server

    yield start
    for server in servers:
        server.__exit__(None, None, None)


def launch_to(campaign, make_contacts, count, **fields):
    make_contacts(count, **fields)
    launch(campaign)
    campaign.refresh_from_db()
    return campaign


@pytest.mark.django_db
def test_one_api_call_carries_the_batch_and_each_mail_is_personal(fake_mailgun, campaign, make_contacts):
    server = fake_mailgun()
    campaign = launch_to(campaign, make_contacts, 12)
    campaign.recipients.filter(pk=campaign.recipients.order_by("pk").first().pk).update(name="Jan & Piet <b>")

    assert sending.send_batch(sending.claim_batch(size=sending.batch_size())) == 12

    assert server.calls == [12]
    by_address = {mail["to"]: mail for mail in server.accepted}
    for recipient in campaign.recipients.all():
        mail = by_address[recipient.email]
        token = re.search(r"/reageren/([^/\s]+)/", mail["text"]).group(1)
        assert find_recipient(token) == recipient
        assert f"Beste {recipient.name}," in mail["text"]
        unsubscribe = re.fullmatch(r"<http://testserver/afmelden/([^/]+)/>", mail["headers"]["List-Unsubscribe"]).group(1)
        assert find_recipient(unsubscribe, UNSUBSCRIBE) == recipient
        assert mail["headers"]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "Jan &amp; Piet &lt;b&gt;" in by_address[campaign.recipients.order_by("pk").first().email]["html"]
    ids = set(Delivery.objects.values_list("provider_message_id", flat=True))
    assert len(ids) == 1 and ids.pop().endswith("@fake-mailgun.example.org>")


@pytest.mark.django_db
def test_429_with_retry_after_then_200_ends_in_one_accepted_mail_each(fake_mailgun, campaign, make_contacts):
    server = fake_mailgun(script=[(429, {"Retry-After": "7"})])
    campaign = launch_to(campaign, make_contacts, 5)

    assert sending.send_batch(sending.claim_batch(size=sending.batch_size())) == 0
    for delivery in Delivery.objects.all():
        assert delivery.status == Status.QUEUED and "429" in delivery.error
        wait = delivery.next_attempt_at - timezone.now()
        assert timedelta(seconds=6) < wait <= timedelta(seconds=8)
    assert sending.claim_batch() == []

    Delivery.objects.update(next_attempt_at=timezone.now())
    assert sending.send_batch(sending.claim_batch(size=sending.batch_size())) == 5
    assert server.calls == [5, 5]
    assert sorted(server.received().values()) == [1] * 5
    assert set(Delivery.objects.values_list("status", flat=True)) == {Status.SENT}


@pytest.mark.django_db
def test_retry_after_as_an_http_date_is_honoured(fake_mailgun, campaign, make_contacts):
    fake_mailgun(script=[(503, {"Retry-After": http_date(time.time() + 120)})])
    launch_to(campaign, make_contacts, 2)

    sending.send_batch(sending.claim_batch(size=sending.batch_size()))
    for delivery in Delivery.objects.all():
        assert delivery.status == Status.QUEUED
        assert timedelta(seconds=110) < delivery.next_attempt_at - timezone.now() <= timedelta(seconds=122)


@pytest.mark.django_db
def test_an_unreachable_esp_is_a_transient_failure(settings, campaign, make_contacts):
    settings.EMAIL_BACKEND = "anymail.backends.mailgun.EmailBackend"
    settings.ANYMAIL = {"MAILGUN_API_KEY": "test-key", "MAILGUN_API_URL": f"http://127.0.0.1:{free_port()}/v3"}
    launch_to(campaign, make_contacts, 2)

    assert sending.send_batch(sending.claim_batch(size=sending.batch_size())) == 0
    for delivery in Delivery.objects.all():
        assert delivery.status == Status.QUEUED and delivery.next_attempt_at > timezone.now()


@pytest.mark.django_db
def test_a_refused_request_fails_the_batch_with_the_reason(fake_mailgun, campaign, make_contacts):
    fake_mailgun(script=[(400, {})])
    launch_to(campaign, make_contacts, 3)

    assert sending.send_batch(sending.claim_batch(size=sending.batch_size())) == 0
    for delivery in Delivery.objects.all():
        assert delivery.status == Status.FAILED and "400" in delivery.error


@pytest.mark.django_db
def test_batches_are_chunked_to_the_esp_limit(fake_mailgun, campaign, make_contacts, monkeypatch):
    server = fake_mailgun()
    small_limit = sending.BatchApi("%recipient.{}%", 4)
    monkeypatch.setitem(sending.BATCH_APIS, "anymail.backends.mailgun.EmailBackend", small_limit)
    launch_to(campaign, make_contacts, 10)

    assert sending.send_batch(sending.claim_batch(size=10)) == 10
    assert server.calls == [4, 4, 2]


def test_a_real_worker_retries_after_429_and_each_recipient_gets_one_mail(celery_workers, campaign, make_contacts):
    with FakeMailgun(script=[(429, {"Retry-After": "1"}), (503, {"Retry-After": "1"})]) as server:
        celery_workers.start(server.email_url)
        campaign = launch_to(campaign, make_contacts, 30)
        deadline = time.monotonic() + 30
        while Delivery.objects.exclude(status=Status.SENT).exists() and time.monotonic() < deadline:
            time.sleep(0.2)

        assert set(Delivery.objects.values_list("status", flat=True)) == {Status.SENT}, celery_workers.logs()
        assert server.calls == [30, 30, 30]
        assert sorted(server.received().values()) == [1] * 30
        assert set(server.received()) == set(campaign.recipients.values_list("email", flat=True))


@pytest.mark.django_db
def test_each_mail_of_a_batch_call_is_the_mail_the_smtp_path_sends(fake_mailgun, campaign, make_contacts):
    """Once the ESP fills in the merge fields, subject, text and HTML are what ``build_email`` makes for that recipient."""
    from campaigns.services.rendering import build_email

    server = fake_mailgun()
    campaign = launch_to(campaign, make_contacts, 5)
    campaign.recipients.filter(pk=campaign.recipients.order_by("pk").first().pk).update(
        name="Jan & Piet <b>", organisation_name='"Zorg" & <Welzijn>'
    )
    assert sending.send_batch(sending.claim_batch(size=sending.batch_size())) == 5

    by_address = {mail["to"]: mail for mail in server.accepted}
    message = campaign.messages.get()
    for recipient in campaign.recipients.all():
        expected = build_email(campaign, message.subject, message.body, recipient)
        mail = by_address[recipient.email]
        assert mail["subject"] == expected.subject
        assert mail["text"] == expected.body
        assert mail["html"] == expected.alternatives[0].content
