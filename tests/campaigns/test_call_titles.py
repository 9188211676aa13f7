"""Sentences that name a call say "oproep" once, though most call titles start with "Oproep"."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.utils import timezone

from campaigns.services.launch import launch
from campaigns.services.rendering import personal_link
from cms.models import CallResponse
from cms.services.notifications import notify_contact_person
from cms.templatetags.call_titles import call_topic

TITLE = "Oproep: respijtzorg in de wijk"


@pytest.mark.parametrize(
    "title, topic",
    [
        ("Oproep: respijtzorg in de wijk", "respijtzorg in de wijk"),
        ("oproep – respijtzorg in de wijk", "respijtzorg in de wijk"),
        ("Oproep nieuwe initiatieven voor project Zorg en Welzijn", "nieuwe initiatieven voor project Zorg en Welzijn"),
        ("Respijtzorg in de wijk: een oproep", "Respijtzorg in de wijk: een oproep"),
        ("Oproepkrachten in de thuiszorg", "Oproepkrachten in de thuiszorg"),
        ("Oproep", "Oproep"),
    ],
)
def test_a_leading_oproep_is_left_out_of_the_topic(title, topic):
    assert call_topic(title) == topic


def test_the_contact_persons_notification_names_the_call_once(call_page):
    call_page.title = TITLE
    call_page.notify_contact_person = True
    call_page.save_revision().publish()
    response = CallResponse.objects.create(page=call_page, form_data={"naam": "Sanne Bakker"})

    assert notify_contact_person(response.pk) is True

    [message] = mail.outbox
    sentence = "Er is een nieuwe reactie binnengekomen op de oproep"
    assert f'{sentence} "respijtzorg in de wijk".' in message.body
    html = " ".join(BeautifulSoup(message.alternatives[0][0], "html.parser").get_text(" ").split())
    assert f"{sentence} respijtzorg in de wijk ." in html


def test_an_expired_personal_link_names_the_call_once(client, campaign, call_page, make_contacts):
    make_contacts(1)
    launch(campaign)
    call_page.title = TITLE
    call_page.deadline = timezone.now() - timedelta(minutes=1)
    call_page.save_revision().publish()

    page = client.get(personal_link(campaign.recipients.get()))

    assert page.status_code == 410
    notice = BeautifulSoup(page.content, "html.parser").find(class_="notice").get_text(" ", strip=True)
    assert notice.startswith("De oproep “respijtzorg in de wijk” is gesloten sinds")
