"""An editor adds a contact to a campaign by searching for it, without ever seeing an address."""

import re

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from campaigns.factories import ContactFactory, OrganisationFactory
from campaigns.models import Campaign, Organisation
from cms.factories import CallForInputPageFactory
from tests.security.roles import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_editor_searches_pages_through_and_adds_contacts(page, live_server, site_tree):
    page.set_default_timeout(10_000)
    call = CallForInputPageFactory(parent=site_tree[2], title="Oproep: samenwerken met het wijkteam", notify_contact_person=False)
    municipality = OrganisationFactory(name="Gemeente Amersfoort", kind=Organisation.Kind.MUNICIPALITY)
    wendy = ContactFactory(name="Wendy Wethouder", email="wendy@amersfoort.example", organisation=municipality)
    for number in range(25):
        ContactFactory(name=f"Wijkcoach {number:02d}", organisation=municipality)
    client = Client()
    client.force_login(make_user("editor"))
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value, "url": live_server.url}]
    )
    page.goto(f"{live_server.url}/admin/campaigns/new/?oproep={call.pk}")

    page.get_by_role("searchbox", name="Gekozen contacten").fill("Amersfoort")
    page.get_by_role("searchbox", name="Gekozen contacten").press("Enter")
    expect(page.get_by_text("26 contacten gevonden.")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("^Toevoegen"))).to_have_count(20)
    page.get_by_role("button", name="Meer resultaten").click()
    expect(page.get_by_role("button", name=re.compile("^Toevoegen"))).to_have_count(26)
    page.get_by_role("button", name=re.compile("^Toevoegen.*Wendy Wethouder$")).click()

    expect(page.get_by_label("Wendy Wethouder – Gemeente Amersfoort")).to_be_checked()
    assert "wendy@amersfoort.example" not in page.content()
    page.get_by_role("button", name="Opslaan en controleren").click()
    expect(page).to_have_url(re.compile(r"/controleren/$"))
    assert list(Campaign.objects.get().chosen_contacts.all()) == [wendy]
