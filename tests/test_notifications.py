"""The contact person of a call hears about every new answer, once."""

import smtplib
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.utils import timezone

from cms.factories import CallForInputPageFactory, ContactPersonFactory
from cms.models import CallResponse
from cms.services.notifications import notify_contact_person, send_pending_notifications

ANSWERS = {
    "naam": "Sanne Bakker",
    "e_mailadres": "sanne@example.org",
    "organisatie": "Netwerk Palliatieve Zorg Rivierenland",
    "soort_organisatie": "Netwerk palliatieve zorg",
    "beschrijving_van_het_initiatief": "Wijkteams en vrijwilligers bezoeken samen mantelzorgers thuis.",
}


@pytest.fixture
def call(site_tree):
    _, _, calls = site_tree
    contact = ContactPersonFactory(name="Joris Smit", email="joris@example.org")
    return CallForInputPageFactory(parent=calls, title="Oproep goede voorbeelden", contact_person=contact)


def stored_response(call, submitted_ago=timedelta(0)):
    response = CallResponse.objects.create(page=call, form_data=ANSWERS)
    CallResponse.objects.filter(pk=response.pk).update(submit_time=timezone.now() - submitted_ago)
    return response


def test_contact_person_gets_one_mail_with_the_answers(call):
    response = stored_response(call)

    assert notify_contact_person(response.pk) is True

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["joris@example.org"]
    assert "Oproep goede voorbeelden" in message.subject
    assert "Sanne Bakker" in message.body
    assert "Wijkteams en vrijwilligers bezoeken samen mantelzorgers thuis." in message.body
    html = message.alternatives[0][0]
    assert "Netwerk Palliatieve Zorg Rivierenland" in html
    response.refresh_from_db()
    assert response.notified_at is not None


def test_checkbox_answers_read_as_words_in_the_mail(call):
    response = CallResponse.objects.create(
        page=call, form_data={**ANSWERS, "themas": ["mantelzorg", "ouderenzorg"], "akkoord": True}
    )

    notify_contact_person(response.pk)

    assert "mantelzorg, ouderenzorg" in mail.outbox[0].body
    assert "['mantelzorg'" not in mail.outbox[0].body
    assert "True" not in mail.outbox[0].body


def test_second_notification_of_the_same_answer_sends_nothing(call):
    response = stored_response(call)
    notify_contact_person(response.pk)

    assert notify_contact_person(response.pk) is False
    assert len(mail.outbox) == 1


def test_safety_net_sends_old_unsent_notifications_only(call):
    stored_response(call, submitted_ago=timedelta(minutes=10))
    stored_response(call, submitted_ago=timedelta(0))

    assert send_pending_notifications() == 1
    assert len(mail.outbox) == 1
    assert send_pending_notifications() == 0


def test_safety_net_waits_for_a_changed_answer_as_for_a_new_one(call):
    response = stored_response(call, submitted_ago=timedelta(days=2))
    CallResponse.objects.filter(pk=response.pk).update(changed_at=timezone.now())

    assert send_pending_notifications() == 0

    CallResponse.objects.filter(pk=response.pk).update(changed_at=timezone.now() - timedelta(minutes=10))
    assert send_pending_notifications() == 1
    assert mail.outbox[0].subject.startswith("Gewijzigde reactie op: ")


def test_no_mail_when_the_call_does_not_notify(call):
    call.notify_contact_person = False
    call.save()
    response = stored_response(call, submitted_ago=timedelta(minutes=10))

    assert notify_contact_person(response.pk) is False
    assert send_pending_notifications() == 0
    assert mail.outbox == []


@pytest.mark.services
def test_answer_on_the_site_reaches_the_contact_person_through_a_real_worker(celery_worker, smtp_sink, call, client):
    cache.clear()

    page = client.post(call.url, {**ANSWERS, "publication_consent": "on"})

    assert page.status_code == 200
    messages = smtp_sink.wait_for(1)
    message = messages[0]
    assert message["To"] == "joris@example.org"
    assert "Oproep goede voorbeelden" in message["Subject"]
    text = message.get_body(("plain",)).get_content()
    assert "Wijkteams en vrijwilligers bezoeken samen mantelzorgers thuis." in text
    response = CallResponse.objects.get()
    deadline = timezone.now() + timedelta(seconds=10)
    while response.notified_at is None and timezone.now() < deadline:
        time.sleep(0.1)
        response.refresh_from_db()
    assert response.notified_at is not None, celery_worker.log()
    assert len(smtp_sink.messages) == 1


def test_a_notice_the_mail_server_refuses_for_good_is_not_tried_again(call, mail_to_refusing_sink):
    mail_to_refusing_sink.refused.add(call.contact_person.email)
    response = stored_response(call, submitted_ago=timedelta(minutes=5))

    assert notify_contact_person(response.pk) is False
    assert send_pending_notifications() == 0

    response.refresh_from_db()
    assert response.notified_at is None
    assert "mailserver weigert het adres" in response.notification_error
    assert mail_to_refusing_sink.messages == []


def test_a_notice_refused_for_a_while_is_tried_again(call, mail_to_refusing_sink):
    mail_to_refusing_sink.temporarily_refused.add(call.contact_person.email)
    response = stored_response(call, submitted_ago=timedelta(minutes=5))

    with pytest.raises(smtplib.SMTPRecipientsRefused):
        notify_contact_person(response.pk)
    mail_to_refusing_sink.temporarily_refused.clear()

    assert send_pending_notifications() == 1
    assert len(mail_to_refusing_sink.wait_for(1)) == 1
