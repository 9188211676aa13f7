"""Fixtures shared by the campaign tests."""

import pytest

from campaigns.factories import CampaignFactory, ContactFactory, OrganisationFactory
from cms.factories import CallForInputPageFactory, ContactPersonFactory


@pytest.fixture
def call_page(site_tree):
    _, _, calls = site_tree
    return CallForInputPageFactory(
        parent=calls, title="Oproep nieuwe initiatieven", contact_person=ContactPersonFactory(), notify_contact_person=False
    )


@pytest.fixture
def make_contacts(db):
    """``make_contacts(n, **fields)``: n active network coordinators in one organisation."""

    def make(count, **fields):
        organisation = fields.pop("organisation", None) or OrganisationFactory()
        return ContactFactory.create_batch(count, organisation=organisation, **fields)

    return make


@pytest.fixture
def campaign(call_page):
    return CampaignFactory(call_page=call_page)
