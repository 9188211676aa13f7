"""Leaving campaign mailings: a GET only asks, a POST (also RFC 8058 one-click) unsubscribes."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from campaigns.factories import CampaignFactory
from campaigns.models import Campaign, Contact, Recipient, Suppression
from campaigns.services.audience import summarise
from campaigns.services.contact_import import apply_import, plan_import
from campaigns.services.launch import launch
from campaigns.tokens import RESPOND, UNSUBSCRIBE, recipient_token
from newsletter.factories import SubscriberFactory
from newsletter.services.mailing import frozen_recipient


@pytest.fixture
def recipient(campaign, make_contacts):
    make_contacts(2)
    launch(campaign)
    return Recipient.objects.order_by("pk").first()


@pytest.fixture
def mail_client():
    """A mail client's one-click POST: no cookies, no CSRF token, and CSRF checks on."""
    return Client(enforce_csrf_checks=True)


def link(recipient):
    return f"/afmelden/{recipient_token(recipient, UNSUBSCRIBE)}/"


def one_click(client, url):
    return client.generic("POST", url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")


def test_get_asks_for_confirmation_and_changes_nothing(client, recipient):
    page = client.get(link(recipient))

    assert page.status_code == 200
    content = page.content.decode()
    assert "Afmelden voor uitnodigingen" in content
    assert recipient.email in content
    assert 'method="post"' in content
    assert "Ja, meld mij af" in content
    assert page["Cache-Control"] == "private, no-store"
    assert page["Referrer-Policy"] == "same-origin"
    assert not Suppression.objects.exists()


def test_one_click_post_unsubscribes_without_cookies_csrf_or_redirect(mail_client, recipient):
    response = one_click(mail_client, link(recipient))

    assert response.status_code == 200
    assert "U bent afgemeld" in response.content.decode()
    suppression = Suppression.objects.get()
    assert suppression.email == recipient.email
    assert suppression.scope == Suppression.Scope.CAMPAIGNS
    assert suppression.reason == Suppression.Reason.UNSUBSCRIBED


def test_confirm_button_unsubscribes_and_a_second_time_changes_nothing(mail_client, recipient):
    first = mail_client.post(link(recipient))
    second = one_click(mail_client, link(recipient))

    assert first.status_code == second.status_code == 200
    assert Suppression.objects.count() == 1
    assert "U bent al afgemeld" in mail_client.get(link(recipient)).content.decode()


def test_an_unsubscribed_address_is_left_out_of_the_next_campaign(mail_client, recipient, call_page):
    one_click(mail_client, link(recipient))

    summary = summarise(CampaignFactory(call_page=call_page))

    assert [contact.email for contact in summary.suppressed] == [recipient.email]
    assert recipient.email not in [contact.email for contact in summary.recipients]


def test_unsubscribing_still_works_after_the_call_closed(mail_client, recipient, call_page):
    call_page.deadline = timezone.now() - timedelta(days=1)
    call_page.save_revision().publish()

    assert one_click(mail_client, link(recipient)).status_code == 200
    assert Suppression.objects.filter(email=recipient.email).exists()


@pytest.mark.parametrize("token", ["onbekend", "A" * 43])
def test_unknown_link_is_a_404_and_unsubscribes_nobody(mail_client, recipient, token):
    response = one_click(mail_client, f"/afmelden/{token}/")

    assert response.status_code == 404
    assert "Deze link werkt niet" in response.content.decode()
    assert recipient.email not in response.content.decode()
    assert not Suppression.objects.exists()


def test_a_newsletter_recipient_token_unsubscribes_nobody_from_campaigns(db, mail_client):
    """Newsletter mails have their own unsubscribe link; a campaigns token made for such a recipient opens nothing."""
    campaign = CampaignFactory(kind=Campaign.Kind.NEWSLETTER, call_page=None, status=Campaign.Status.SENDING)
    recipient = frozen_recipient(campaign, SubscriberFactory(email="lezer@example.org"))
    recipient.save()

    for response in (mail_client.get(link(recipient)), one_click(mail_client, link(recipient))):
        assert response.status_code == 404
        assert "lezer@example.org" not in response.content.decode()
    assert not Suppression.objects.exists()


def test_the_two_links_of_a_mail_do_not_open_each_other(client, recipient):
    """The unsubscribe address travels in a mail header; it must not open the answer form, nor the other way round."""
    respond_token = recipient_token(recipient, RESPOND)
    unsubscribe_token = recipient_token(recipient, UNSUBSCRIBE)

    assert respond_token != unsubscribe_token
    assert client.get(f"/reageren/{unsubscribe_token}/").status_code == 404
    assert client.post(f"/afmelden/{respond_token}/").status_code == 404
    assert not Suppression.objects.exists()


def test_an_address_stays_blocked_after_its_contact_is_deleted_and_imported_again(mail_client, recipient, call_page):
    one_click(mail_client, link(recipient))
    organisation = recipient.contact.organisation
    Contact.objects.filter(pk=recipient.contact_id).delete()
    data = f"naam;e-mail;organisatie\r\nWeer Terug;{recipient.email.upper()};{organisation.name}\r\n".encode()
    apply_import(data, plan_import(data).fingerprint)

    summary = summarise(CampaignFactory(call_page=call_page))

    assert [contact.name for contact in summary.suppressed] == ["Weer Terug"]
    assert recipient.email not in [contact.email for contact in summary.recipients]
