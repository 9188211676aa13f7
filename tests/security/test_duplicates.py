"""The public form's duplicate check: a visitor's answer is never swallowed by an answer given through a personal link."""

import pytest
from django.core.cache import cache
from django.test import Client

from campaigns.factories import CampaignFactory, ContactFactory
from campaigns.models import Recipient
from campaigns.services.launch import launch
from campaigns.tokens import recipient_token
from cms.factories import CallForInputPageFactory
from cms.models import CallResponse

ANSWERS = {
    "naam": "Sanne Bakker",
    "e_mailadres": "sanne@example.org",
    "organisatie": "Netwerk Palliatieve Zorg Rivierenland",
    "soort_organisatie": "Netwerk palliatieve zorg",
    "beschrijving_van_het_initiatief": "Wijkteams en vrijwilligers bezoeken samen mantelzorgers thuis.",
}
THANKS = "Hartelijk dank voor uw reactie"


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    cache.clear()


@pytest.fixture
def call(site_tree):
    return CallForInputPageFactory(parent=site_tree[2], title="Oproep goede voorbeelden", notify_contact_person=False)


@pytest.fixture
def personal_answer(call):
    """A network contact invited by a campaign has answered through their personal link."""
    ContactFactory()
    launch(CampaignFactory(call_page=call))
    recipient = Recipient.objects.get()
    page = Client().post(f"/reageren/{recipient_token(recipient)}/", ANSWERS)
    assert page.status_code == 200
    recipient.refresh_from_db()
    assert recipient.response is not None
    return recipient.response


def test_a_visitor_posting_the_same_text_as_a_personal_answer_gets_their_own_response(call, personal_answer):
    page = Client().post(call.url, ANSWERS)

    assert page.status_code == 200
    assert THANKS in page.content.decode()
    assert CallResponse.objects.count() == 2
    public = CallResponse.objects.exclude(pk=personal_answer.pk).get()
    assert public.form_data == personal_answer.form_data
    assert not Recipient.objects.filter(response=public).exists()
    assert Recipient.objects.get().response == personal_answer


def test_the_same_public_answer_twice_is_still_stored_once(call, personal_answer):
    visitor = Client()
    visitor.post(call.url, ANSWERS)
    page = visitor.post(call.url, ANSWERS)

    assert THANKS in page.content.decode()
    assert CallResponse.objects.count() == 2
    assert CallResponse.objects.filter(recipient__isnull=True).count() == 1
