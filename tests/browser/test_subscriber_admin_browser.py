"""A campaign manager's subscriber screens in Chromium: list, proof of consent, import preview, personal data; axe clean."""

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from newsletter.factories import ConsentTextFactory, SubscriberFactory, TopicFactory
from newsletter.models import ConsentRecord, Subscriber
from tests.security.roles import make_user

from .conftest import save_screenshots
from .test_campaign_results_browser import assert_no_axe_violations_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

IMPORT_FILE = (
    "e-mail;naam;onderwerpen;toestemming\n"
    "nina@example.org;Nina Nieuw;algemeen;Inschrijflijst congres 12-03-2026\n"
    "zonder@example.org;Zonder;algemeen;\n"
)


@pytest.fixture
def manager_page(page, live_server):
    page.set_default_timeout(15_000)
    client = Client()
    client.force_login(make_user("campaign_manager"))
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value, "url": live_server.url}]
    )
    return page


@pytest.fixture
def anna(db):
    topic = TopicFactory(name="Algemene nieuwsbrief", slug="algemeen")
    text = ConsentTextFactory()
    anna = SubscriberFactory(email="anna@example.org", name="Anna de Boer", topics=[topic])
    ConsentRecord.objects.create(
        subscriber=anna,
        source=ConsentRecord.Source.SIGNUP_PAGE,
        page_url="https://example.org/nieuwsbrief/aanmelden/",
        consent_text=text,
        privacy_statement_version=text.privacy_statement_version,
        topic_names=[topic.name],
        ip_address="192.0.2.10",
        confirmed_at=anna.confirmed_at,
        confirmed_ip_address="198.51.100.4",
    )
    return anna


def test_campaign_manager_sees_subscribers_and_their_proof_of_consent(manager_page, live_server, anna):
    page = manager_page
    page.goto(f"{live_server.url}/admin/")
    page.get_by_role("button", name="Nieuwsbrief").click()
    page.get_by_role("link", name="Abonnees").click()

    expect(page.locator("td.field-email")).to_contain_text("anna@example.org")
    assert_no_axe_violations_in(page, ".result-list")
    page.locator("td.field-email").get_by_role("link", name="Inspecteer").click()

    record = page.locator("[data-consent-record]")
    expect(record).to_contain_text("192.0.2.10")
    expect(record.locator("[data-consent-text]")).to_contain_text("één keer per maand")
    assert_no_axe_violations_in(page, "#subscriber-content")
    save_screenshots(page, "subscriber-inspect")


def test_campaign_manager_previews_an_import_with_a_refused_row(manager_page, live_server, anna, tmp_path):
    page = manager_page
    csv_file = tmp_path / "abonnees.csv"
    csv_file.write_text(IMPORT_FILE, encoding="utf-8")

    page.goto(f"{live_server.url}/admin/newsletter/subscriber/")
    page.get_by_role("link", name="Importeren").click()
    expect(page.get_by_label("CSV-bestand")).to_be_visible()
    assert_no_axe_violations_in(page, "#import-content")
    page.get_by_label("CSV-bestand").set_input_files(csv_file)
    page.get_by_role("button", name="Voorvertoning bekijken").click()

    expect(page.locator("[data-rows=refused]")).to_contain_text("toestemming ontbreekt")
    assert_no_axe_violations_in(page, "#import-content")
    save_screenshots(page, "subscriber-import-preview")
    page.get_by_role("button", name="Bevestigen: 1 adres importeren").click()

    expect(page.get_by_text("1 nieuwe en 0 bekende adressen aangemeld")).to_be_visible()
    assert Subscriber.objects.get(email="nina@example.org").status == Subscriber.Status.PENDING


def test_campaign_manager_erases_an_address_after_seeing_what_goes(manager_page, live_server, anna):
    page = manager_page
    page.goto(f"{live_server.url}/admin/nieuwsbrief/persoonsgegevens/")
    assert_no_axe_violations_in(page, "#personal-data-content")
    page.get_by_role("button", name="Wissen…").click()
    expect(page.get_by_text("Vul een e-mailadres in.")).to_be_visible()
    assert_no_axe_violations_in(page, "#personal-data-content")

    page.get_by_label("E-mailadres").fill("anna@example.org")
    with page.expect_download() as download:
        page.get_by_role("button", name="Exporteren (JSON)").click()
    assert download.value.suggested_filename.startswith("persoonsgegevens-")

    page.get_by_role("button", name="Wissen…").click()
    expect(page.locator("[data-count=subscribers]")).to_contain_text("Abonnee: 1, met 1 toestemming")
    assert_no_axe_violations_in(page, "#personal-data-content")
    save_screenshots(page, "personal-data-erase-confirm")
    page.get_by_role("button", name="Definitief wissen").click()

    expect(page.get_by_text("De gegevens zijn gewist")).to_be_visible()
    assert not Subscriber.objects.exists()
