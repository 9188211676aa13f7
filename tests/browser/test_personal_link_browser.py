"""The personal link in a browser: the form arrives prefilled, can be changed later, and every state passes axe."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from campaigns.factories import CampaignFactory, ContactFactory, OrganisationFactory
from campaigns.models import Recipient
from campaigns.services.launch import launch
from campaigns.tokens import UNSUBSCRIBE, recipient_token
from cms.factories import CallForInputPageFactory, ContactPersonFactory

from .conftest import assert_no_axe_violations, horizontal_overflow, save_screenshots

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def recipient(site_tree):
    _, _, calls = site_tree
    call = CallForInputPageFactory(
        parent=calls,
        title="Oproep: goede voorbeelden van samenwerking",
        contact_person=ContactPersonFactory(name="Marieke de Vries", email="marieke@example.org"),
        notify_contact_person=False,
    )
    organisation = OrganisationFactory(name="Netwerk Palliatieve Zorg Rivierenland")
    ContactFactory(name="Sanne Bakker", email="sanne.bakker@example.org", organisation=organisation)
    launch(CampaignFactory(call_page=call))
    return Recipient.objects.get()


def submit(page, label="Verstuur reactie"):
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name=label).click()
    return navigation.value


def test_personal_link_form_is_prefilled_accessible_and_answers_can_be_changed(page, recipient):
    link = f"/reageren/{recipient_token(recipient)}/"
    response = page.goto(link)

    assert response.status == 200
    assert response.headers["referrer-policy"] == "same-origin"
    assert page.get_by_label(re.compile(r"^Naam")).input_value() == "Sanne Bakker"
    assert page.get_by_label(re.compile(r"^E-mailadres")).input_value() == "sanne.bakker@example.org"
    assert page.get_by_label(re.compile(r"^Organisatie")).input_value() == "Netwerk Palliatieve Zorg Rivierenland"
    assert_no_axe_violations(page)
    assert horizontal_overflow(page, 320) <= 0
    save_screenshots(page, "personal-link")

    # A missing answer: errors at the fields, prefilled values still there.
    assert submit(page).status == 200
    assert page.get_by_role("alert").get_by_text("Er ging iets mis").is_visible()
    assert page.get_by_label(re.compile(r"^Naam")).input_value() == "Sanne Bakker"
    assert_no_axe_violations(page)
    save_screenshots(page, "personal-link-errors")

    page.get_by_label(re.compile(r"^Soort organisatie")).select_option("Netwerk palliatieve zorg")
    page.get_by_label(re.compile(r"^Beschrijving")).fill("Elke maand koffie met het wijkteam en de Wmo-consulent.")
    assert submit(page).status == 200
    assert page.get_by_role("heading", level=1).inner_text() == "Bedankt voor uw reactie"
    assert_no_axe_violations(page)

    with page.expect_navigation():
        page.get_by_role("link", name="Uw antwoord bekijken of aanpassen").click()
    expect(page.get_by_text("U heeft al gereageerd; u kunt uw antwoord aanpassen tot")).to_be_visible()
    description = page.get_by_label(re.compile(r"^Beschrijving"))
    assert description.input_value() == "Elke maand koffie met het wijkteam en de Wmo-consulent."
    assert_no_axe_violations(page)
    save_screenshots(page, "personal-link-answered")

    description.fill("Nu ook met de huisartsen erbij.")
    submit(page, "Wijziging opslaan")
    assert page.get_by_role("heading", level=1).inner_text() == "Uw antwoord is aangepast"
    recipient.refresh_from_db()
    assert recipient.response.form_data["beschrijving_van_het_initiatief"] == "Nu ook met de huisartsen erbij."


def test_unsubscribe_and_bad_link_pages_pass_axe(page, recipient):
    token = recipient_token(recipient, UNSUBSCRIBE)

    page.goto(f"/afmelden/{token}/")
    assert_no_axe_violations(page)
    save_screenshots(page, "unsubscribe-confirm")
    with page.expect_navigation():
        page.get_by_role("button", name="Ja, meld mij af").click()
    assert page.get_by_role("heading", level=1).inner_text() == "U bent afgemeld"
    assert_no_axe_violations(page)

    assert page.goto(f"/reageren/{token[:-3]}/").status == 404
    assert_no_axe_violations(page)
    save_screenshots(page, "personal-link-unknown")

    call = recipient.campaign.call_page
    call.deadline = timezone.now() - timedelta(days=1)
    call.save_revision().publish()
    assert page.goto(f"/reageren/{recipient_token(recipient)}/").status == 410
    assert_no_axe_violations(page)
    save_screenshots(page, "personal-link-expired")
