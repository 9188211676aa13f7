"""Sending writes no address, name or token to the logs, also when the mail server quotes the refused address."""

import logging
import time

import pytest

from campaigns.factories import CampaignFactory, ContactFactory, OrganisationFactory
from campaigns.models import Delivery, Recipient
from campaigns.services import sending
from campaigns.services.launch import launch
from campaigns.tokens import UNSUBSCRIBE, recipient_token
from cms.factories import CallForInputPageFactory, ContactPersonFactory
from cms.models import CallResponse
from cms.tasks import send_response_notification

pytestmark = pytest.mark.django_db

# aiosmtpd, the test's mail server, logs every envelope; it is no part of the deployment.
SMTP_SERVER_LOGGER = "mail.log"


def personal_data(recipients):
    for recipient in recipients:
        yield recipient.email
        yield recipient.name
        yield recipient_token(recipient)
        yield recipient_token(recipient, UNSUBSCRIBE)


def test_a_refused_address_reaches_the_results_but_no_log(site_tree, mail_to_refusing_sink, caplog):
    _, _, calls = site_tree
    call_page = CallForInputPageFactory(
        parent=calls, contact_person=ContactPersonFactory(), notify_contact_person=False
    )
    organisation = OrganisationFactory(name="Gemeente Tielburg")
    refused = ContactFactory(name="Jan de Vries", email="jan.devries@example.org", organisation=organisation)
    ContactFactory(name="Anna Jansen", email="anna.jansen@example.org", organisation=organisation)
    mail_to_refusing_sink.refused.add(refused.email)

    with caplog.at_level(logging.INFO):
        launch(CampaignFactory(call_page=call_page))
        sending.send_due()

    failed = Delivery.objects.get(status=Delivery.Status.FAILED)
    assert refused.email in failed.error  # shown to campaign managers on the results page
    assert [message["To"] for message in mail_to_refusing_sink.wait_for(1)] == ["Anna Jansen <anna.jansen@example.org>"]
    logged = "\n".join(record.getMessage() for record in caplog.records if record.name != SMTP_SERVER_LOGGER)
    assert "Delivery attempt failed for 1 row(s)" in logged
    assert "Recipient address rejected" in logged
    for value in personal_data(Recipient.objects.all()):
        assert value not in logged


@pytest.mark.services
def test_a_refused_notification_leaves_no_address_in_the_worker_log(site_tree, celery_workers, refusing_smtp_sink):
    _, _, calls = site_tree
    contact = ContactPersonFactory(name="Marieke Smit", email="marieke.smit@example.org")
    call_page = CallForInputPageFactory(parent=calls, contact_person=contact, notify_contact_person=True)
    refusing_smtp_sink.refused.add(contact.email)
    celery_workers.start(refusing_smtp_sink.url)
    response = CallResponse.objects.create(page=call_page, form_data={"naam": "Sanne Bakker"})

    send_response_notification.delay(response.pk)

    deadline = time.monotonic() + 30
    while "refused for good" not in celery_workers.logs() and time.monotonic() < deadline:
        time.sleep(0.2)
    log = celery_workers.logs()
    assert "refused for good" in log and " retry: " not in log
    assert "Recipient address rejected" in log
    assert contact.email not in log
    assert contact.name not in log
