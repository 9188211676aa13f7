"""Answering a call through a personal link: prefilled, one answer per person, changeable until the deadline."""

import logging
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.core.cache import cache
from django.utils import timezone

from campaigns.factories import CampaignFactory
from campaigns.models import Campaign, Recipient
from campaigns.services.launch import launch
from campaigns.tokens import recipient_token
from cms.models import CallResponse
from cms.services.notifications import notify_contact_person
from newsletter.factories import SubscriberFactory
from newsletter.services.mailing import frozen_recipient

ANSWERS = {
    "naam": "Sanne Bakker",
    "e_mailadres": "sanne@example.org",
    "organisatie": "Netwerk Palliatieve Zorg Rivierenland",
    "soort_organisatie": "Netwerk palliatieve zorg",
    "beschrijving_van_het_initiatief": "Wijkteams en vrijwilligers bezoeken samen mantelzorgers thuis.",
}


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    cache.clear()


@pytest.fixture
def recipients(campaign, make_contacts):
    """Two launched recipients of ``campaign``, each with their own link."""
    make_contacts(1)
    make_contacts(1)
    launch(campaign)
    return list(Recipient.objects.order_by("pk"))


@pytest.fixture
def recipient(recipients):
    return recipients[0]


def link(recipient):
    return f"/reageren/{recipient_token(recipient)}/"


def html(response):
    return BeautifulSoup(response.content, "html.parser")


def value_of(soup, name):
    return soup.find(attrs={"name": name}).get("value") or soup.find(attrs={"name": name}).text


def test_link_opens_the_call_form_prefilled_with_name_organisation_and_address(client, recipient, call_page):
    page = client.get(link(recipient))

    assert page.status_code == 200
    soup = html(page)
    assert soup.h1.text == call_page.title
    assert value_of(soup, "naam") == recipient.name
    assert value_of(soup, "organisatie") == recipient.organisation_name
    assert value_of(soup, "e_mailadres") == recipient.email
    assert soup.find("form", method="post")["action"] == f"{link(recipient)}#reageren"
    assert soup.find("a", string="Direct naar het formulier")["href"] == "#reageren"
    assert "persoonlijke link" in page.content.decode()


def selected_option(soup, name):
    selected = soup.find("select", attrs={"name": name}).find("option", selected=True)
    return selected["value"] if selected else None


def test_the_kind_of_organisation_is_chosen_from_the_recipients_organisation(client, recipients):
    network, municipality = recipients
    Recipient.objects.filter(pk=municipality.pk).update(organisation_kind="gemeente")

    assert selected_option(html(client.get(link(network))), "soort_organisatie") == "Netwerk palliatieve zorg"
    assert selected_option(html(client.get(link(municipality))), "soort_organisatie") == "Gemeente"


def test_without_a_known_kind_the_choice_is_left_to_the_recipient(client, recipient):
    Recipient.objects.filter(pk=recipient.pk).update(organisation_kind="")

    soup = html(client.get(link(recipient)))

    assert selected_option(soup, "soort_organisatie") in (None, "")
    assert soup.find("select", attrs={"name": "soort_organisatie"}).find("option").text == "Maak een keuze"


def test_a_stored_date_is_shown_back_as_it_was_typed(client, recipient):
    client.post(link(recipient), {**ANSWERS, "startdatum": "1-2-2027"})

    assert CallResponse.objects.get().form_data["startdatum"] == "2027-02-01"
    assert value_of(html(client.get(link(recipient))), "startdatum") == "01-02-2027"


def test_personal_pages_are_private_and_send_no_referrer(client, recipient):
    for response in (client.get(link(recipient)), client.post(link(recipient), ANSWERS), client.get("/reageren/onbekend/")):
        assert response["Cache-Control"] == "private, no-store"
        assert response["Referrer-Policy"] == "same-origin"


def test_opening_the_link_changes_nothing(client, recipient):
    client.get(link(recipient))
    client.head(link(recipient))

    recipient.refresh_from_db()
    assert recipient.answered_at is None
    assert not CallResponse.objects.exists()


def test_answer_is_stored_once_and_linked_to_the_recipient_and_campaign(client, recipient, campaign, call_page):
    page = client.post(link(recipient), {**ANSWERS, "publication_consent": "on"})

    assert page.status_code == 200
    assert "Bedankt voor uw reactie" in page.content.decode()
    recipient.refresh_from_db()
    response = CallResponse.objects.get()
    assert recipient.response == response
    assert recipient.campaign == campaign
    assert recipient.answered_at is not None
    assert response.page_id == call_page.pk
    assert response.publication_consent is True
    assert {key: response.form_data[key] for key in ANSWERS} == ANSWERS


def test_second_answer_updates_the_first_and_the_link_shows_it(client, recipient):
    client.post(link(recipient), ANSWERS)
    recipient.refresh_from_db()
    first_answered_at = recipient.answered_at

    changed = {**ANSWERS, "beschrijving_van_het_initiatief": "Nu ook met de huisartsen in de wijk."}
    page = client.post(link(recipient), changed)

    assert "Uw antwoord is aangepast" in page.content.decode()
    response = CallResponse.objects.get()
    assert response.form_data["beschrijving_van_het_initiatief"] == "Nu ook met de huisartsen in de wijk."
    recipient.refresh_from_db()
    assert recipient.response == response
    assert recipient.answered_at == first_answered_at

    shown = client.get(link(recipient))
    soup = html(shown)
    assert "U heeft al gereageerd; u kunt uw antwoord aanpassen tot" in shown.content.decode()
    assert soup.find("form", method="post").find("button", type="submit").get_text(strip=True) == "Wijziging opslaan"
    assert value_of(soup, "beschrijving_van_het_initiatief").strip() == "Nu ook met de huisartsen in de wijk."
    assert value_of(soup, "naam") == ANSWERS["naam"]


def test_contact_person_is_told_about_a_new_and_a_changed_answer_not_a_repeated_one(
    client, recipient, call_page, django_capture_on_commit_callbacks
):
    call_page.notify_contact_person = True
    call_page.save_revision().publish()
    changed_answers = {**ANSWERS, "naam": "Sanne de Boer", "publication_consent": "on"}

    with django_capture_on_commit_callbacks() as first:
        client.post(link(recipient), ANSWERS)
    notify_contact_person(CallResponse.objects.get().pk)  # what the queued task does
    with django_capture_on_commit_callbacks() as changed:
        client.post(link(recipient), changed_answers)
    notify_contact_person(CallResponse.objects.get().pk)
    with django_capture_on_commit_callbacks() as repeated:
        client.post(link(recipient), changed_answers)

    assert (len(first), len(changed), repeated) == (1, 1, [])
    assert [message.subject for message in mail.outbox] == [
        f"Nieuwe reactie op: {call_page.title}",
        f"Gewijzigde reactie op: {call_page.title}",
    ]
    assert "is gewijzigd door wie hem gaf" in mail.outbox[1].body and "Sanne de Boer" in mail.outbox[1].body
    assert "Mag gepubliceerd worden als goed voorbeeld: ja" in mail.outbox[1].body


def test_invalid_answer_shows_dutch_errors_and_keeps_what_was_typed(client, recipient):
    page = client.post(link(recipient), {**ANSWERS, "beschrijving_van_het_initiatief": "", "website": "spam"})

    assert page.status_code == 200
    content = page.content.decode()
    assert "Er ging iets mis" in content
    assert "Dit is een verplicht veld." in content
    assert "Laat dit veld leeg" in content
    assert value_of(html(page), "organisatie") == ANSWERS["organisatie"]
    assert not CallResponse.objects.exists()
    recipient.refresh_from_db()
    assert recipient.answered_at is None


def test_after_the_deadline_the_link_is_gone_and_nothing_changes(client, recipient, call_page):
    client.post(link(recipient), ANSWERS)
    call_page.deadline = timezone.now() - timedelta(minutes=1)
    call_page.save_revision().publish()

    shown = client.get(link(recipient))
    posted = client.post(link(recipient), {**ANSWERS, "naam": "Iemand anders"})

    for page in (shown, posted):
        assert page.status_code == 410
        assert "Reageren kan niet meer" in page.content.decode()
        assert 'name="naam"' not in page.content.decode()
    assert CallResponse.objects.get().form_data["naam"] == ANSWERS["naam"]
    assert "Iemand anders" in html(posted).find(class_="unsent-answers").get_text()
    assert html(shown).find(class_="unsent-answers") is None


@pytest.mark.parametrize("spoil", [lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"), lambda token: token[:20], lambda token: "x" * 200])
def test_tampered_or_unknown_link_is_a_404_that_reveals_nobody(client, recipients, spoil):
    token = recipient_token(recipients[0])

    get = client.get(f"/reageren/{spoil(token)}/")
    post = client.post(f"/reageren/{spoil(token)}/", ANSWERS)

    for page in (get, post):
        assert page.status_code == 404
        content = page.content.decode()
        assert "Deze link werkt niet" in content
        for recipient in recipients:
            assert recipient.name not in content
            assert recipient.email not in content
            assert recipient.organisation_name not in content
    assert not CallResponse.objects.exists()


def test_the_answer_link_of_a_newsletter_recipient_is_an_unknown_link(client, site_tree):
    """A newsletter mailing has no call: a token made for one of its recipients opens nothing."""
    campaign = CampaignFactory(kind=Campaign.Kind.NEWSLETTER, call_page=None, status=Campaign.Status.SENDING)
    subscriber = SubscriberFactory(email="lezer@example.org", name="Lotte Lezer")
    recipient = frozen_recipient(campaign, subscriber)
    recipient.save()

    get = client.get(link(recipient))
    post = client.post(link(recipient), ANSWERS)

    for page in (get, post):
        assert page.status_code == 404
        assert "Deze link werkt niet" in page.content.decode()
        assert "Lotte Lezer" not in page.content.decode()
    assert not CallResponse.objects.exists()


def test_each_link_opens_only_its_own_recipient(client, recipients):
    page = client.get(link(recipients[1]))

    content = page.content.decode()
    assert recipients[1].name in content
    assert recipients[0].name not in content


def test_tokens_never_reach_the_logs(client, recipient, caplog):
    token = recipient_token(recipient)
    recipient.campaign.call_page.unpublish()

    with caplog.at_level(logging.INFO):
        client.get(f"/reageren/{token}/")
        client.get(f"/afmelden/{token[:-2]}/")

    assert "/reageren/***" in caplog.text
    assert token not in caplog.text
    assert token[:-2] not in caplog.text


def test_the_public_form_without_a_link_still_works(client, recipient, call_page):
    page = client.post(call_page.url, ANSWERS)

    assert page.status_code == 200
    response = CallResponse.objects.get()
    assert not Recipient.objects.filter(response=response).exists()
