"""A campaign manager imports 300 contacts from 12 organisations that do not exist yet, in one go."""

import re

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from campaigns.models import Contact, Organisation
from tests.campaigns.test_contact_import import NEW_ORGANISATIONS, three_hundred_contacts
from tests.security.roles import make_user

from .conftest import save_screenshots
from .test_campaign_results_browser import assert_no_axe_violations_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_campaign_manager_imports_contacts_with_their_new_organisations(page, live_server, tmp_path):
    page.set_default_timeout(15_000)
    client = Client()
    client.force_login(make_user("campaign_manager"))
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value, "url": live_server.url}]
    )
    csv_file = tmp_path / "contacten.csv"
    csv_file.write_bytes(three_hundred_contacts())

    page.goto(f"{live_server.url}/admin/campaigns/contact/")
    page.get_by_role("link", name="Importeren").click()
    page.get_by_label("CSV-bestand").set_input_files(csv_file)
    page.get_by_role("button", name="Voorvertoning bekijken").click()

    expect(page.get_by_role("heading", name="12 nieuwe organisaties")).to_be_visible()
    new_organisations = page.get_by_role("table", name="12 nieuwe organisaties")
    expect(new_organisations.get_by_role("row")).to_have_count(13)
    expect(new_organisations.get_by_role("row", name=re.compile("Gemeente Assen Gemeente Drenthe 25"))).to_be_visible()
    assert_no_axe_violations_in(page, "#import-content")
    save_screenshots(page, "contact-import-preview")
    assert Organisation.objects.count() == 0
    page.get_by_role("button", name="Bevestigen: 300 contacten importeren en 12 organisaties aanmaken").click()

    expect(page.get_by_text("300 contacten aangemaakt, 0 bijgewerkt. 12 nieuwe organisaties aangemaakt.")).to_be_visible()
    page.get_by_role("button", name="Contacten").click()
    page.get_by_role("link", name="Organisaties").click()
    for name, *_ in NEW_ORGANISATIONS:
        expect(page.get_by_role("link", name=name, exact=True)).to_be_visible()
    assert Contact.objects.count() == 300
