"""Rotating SECRET_KEY: mailed links keep working while the old key is a fallback, and every mail carries the same link."""

import re

import pytest
from django.core import mail
from django.test import Client, override_settings

from campaigns.factories import CampaignFactory, ContactFactory, OrganisationFactory
from campaigns.models import Campaign, Recipient, Suppression
from campaigns.services import sending
from campaigns.services.launch import launch
from campaigns.services.reminders import create_reminder
from cms.factories import CallForInputPageFactory

OLD_KEY = "old-key-" + "a" * 50
NEW_KEY = "new-key-" + "b" * 50
UNKNOWN_LINK = "Deze link werkt niet"

pytestmark = pytest.mark.django_db


def links(message):
    """(personal link, unsubscribe link) of a sent mail, as paths."""
    personal = re.search(r"https?://[^/\s]+(/reageren/[\w-]+/)", message.body).group(1)
    unsubscribe = re.search(r"<https?://[^/\s]+(/afmelden/[\w-]+/)>", message.extra_headers["List-Unsubscribe"]).group(1)
    return personal, unsubscribe


def send_all():
    mail.outbox.clear()
    sending.send_due()
    return {message.to[0]: links(message) for message in mail.outbox}


def one_click(url):
    client = Client(enforce_csrf_checks=True)
    return client.generic("POST", url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")


@pytest.fixture
def campaign(site_tree):
    _, _, calls = site_tree
    call = CallForInputPageFactory(parent=calls, title="Oproep nieuwe initiatieven", notify_contact_person=False)
    organisation = OrganisationFactory()
    ContactFactory(name="Anna de Vries", email="anna@example.org", organisation=organisation)
    ContactFactory(name="Bram Jansen", email="bram@example.org", organisation=organisation)
    return CampaignFactory(call_page=call)


@pytest.fixture
def mailed_under_old_key(campaign):
    """The campaign launched and its invitations sent under OLD_KEY: {address: (personal, unsubscribe)}."""
    with override_settings(SECRET_KEY=OLD_KEY, SECRET_KEY_FALLBACKS=[]):
        launch(campaign)
        return send_all()


def test_links_mailed_before_a_rotation_still_work_with_the_old_key_as_fallback(client, mailed_under_old_key):
    personal, unsubscribe = mailed_under_old_key["Anna de Vries <anna@example.org>"]

    with override_settings(SECRET_KEY=NEW_KEY, SECRET_KEY_FALLBACKS=[OLD_KEY]):
        form = client.get(personal)
        confirm = client.get(unsubscribe)
        done = one_click(unsubscribe)

    assert form.status_code == 200
    assert 'value="Anna de Vries"' in form.content.decode()
    assert confirm.status_code == 200
    assert "Ja, meld mij af" in confirm.content.decode()
    assert done.status_code == 200
    assert "U bent afgemeld" in done.content.decode()
    assert Suppression.objects.get().email == "anna@example.org"


def test_a_reminder_after_a_rotation_carries_the_links_of_the_invitation(campaign, mailed_under_old_key):
    with override_settings(SECRET_KEY=NEW_KEY, SECRET_KEY_FALLBACKS=[OLD_KEY]):
        create_reminder(Campaign.objects.get(pk=campaign.pk), 1)
        reminded = send_all()

    assert len(reminded) == 2
    assert reminded == mailed_under_old_key


def test_without_the_old_key_the_old_links_are_unknown(client, mailed_under_old_key):
    personal, unsubscribe = mailed_under_old_key["Bram Jansen <bram@example.org>"]

    with override_settings(SECRET_KEY=NEW_KEY, SECRET_KEY_FALLBACKS=[]):
        form = client.get(personal)
        confirm = client.get(unsubscribe)
        refused = one_click(unsubscribe)

    for response in (form, confirm, refused):
        assert response.status_code == 404
        assert UNKNOWN_LINK in response.content.decode()
    assert not Suppression.objects.exists()


def test_links_of_a_campaign_launched_after_the_rotation_need_only_the_new_key(client, campaign):
    with override_settings(SECRET_KEY=NEW_KEY, SECRET_KEY_FALLBACKS=[OLD_KEY]):
        launch(campaign)
        personal, unsubscribe = send_all()["Anna de Vries <anna@example.org>"]

    with override_settings(SECRET_KEY=NEW_KEY, SECRET_KEY_FALLBACKS=[]):
        assert client.get(personal).status_code == 200
        assert client.get(unsubscribe).status_code == 200
    with override_settings(SECRET_KEY=OLD_KEY, SECRET_KEY_FALLBACKS=[]):
        assert UNKNOWN_LINK in client.get(personal).content.decode()


def test_the_database_holds_no_mailed_token(campaign):
    """A copy of the database opens no link: it keeps nonces and hashes, never a token itself."""
    launch(campaign)
    mailed = send_all()

    stored = " ".join(str(value) for row in Recipient.objects.values() for value in row.values())
    tokens = [path.strip("/").split("/")[1] for pair in mailed.values() for path in pair]
    assert len(tokens) == 4
    assert not [token for token in tokens if token in stored]


@pytest.mark.parametrize("purpose", ["respond", "unsubscribe"])
@pytest.mark.parametrize("secret", [None, OLD_KEY])
def test_a_token_is_djangos_salted_hmac_so_links_mailed_before_stay_valid(purpose, secret):
    """The key is derived once per (purpose, key) for speed; the token must stay the one mailed links carry."""
    import base64

    from django.utils.crypto import salted_hmac

    from campaigns.tokens import SALTS, make_token

    mailed = salted_hmac(SALTS[purpose], "7:ria@example.org:0f1e", secret=secret, algorithm="sha256").digest()
    assert make_token(7, "ria@example.org", "0f1e", purpose, secret) == base64.urlsafe_b64encode(mailed).rstrip(b"=").decode()
