"""A campaign manager creates, previews, test-sends and launches a campaign in the Wagtail admin."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission, User
from django.core import mail
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from campaigns.factories import ContactFactory, OrganisationFactory
from campaigns.models import Campaign, Delivery, Organisation
from campaigns.tasks import freeze_audience
from cms.factories import CallForInputPageFactory

from .conftest import WCAG_TAGS, inject_axe, save_screenshots

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

@pytest.fixture
def campaign_manager(db):
    user = User.objects.create_user("campagnebeheerder", "beheer@example.org", first_name="Carla")
    user.groups.add(Group.objects.get(name="Editors"))
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="campaigns", content_type__model="campaign"))
    return user


@pytest.fixture
def call_with_audience(site_tree):
    _, _, calls = site_tree
    call = CallForInputPageFactory(parent=calls, title="Oproep: samenwerken met het wijkteam", notify_contact_person=False)
    network = OrganisationFactory(name="Netwerk Palliatieve Zorg Eemland", kind=Organisation.Kind.NETWORK)
    for name in ("Anouk Visser", "Bram de Jong", "Chantal Bakker"):
        ContactFactory(name=name, email=f"{name.split()[0].lower()}@example.org", organisation=network)
    ContactFactory(name="Dirk Inactief", organisation=network, active=False)
    return call


def assert_no_axe_violations_in_content(page):
    """axe-core on the campaign screens' own content; Wagtail's chrome around it is not ours to fix.

    (Wagtail 8's green success message fails colour contrast: white on #258c6d is 4.15:1.)
    """
    inject_axe(page)
    result = page.evaluate(
        "tags => axe.run({include: ['#campaign-content']}, {runOnly: {type: 'tag', values: tags}})",
        WCAG_TAGS,
    )
    problems = [
        f"{violation['id']}: {violation['help']} at " + ", ".join(" ".join(node["target"]) for node in violation["nodes"])
        for violation in result["violations"]
    ]
    assert not problems, f"axe found {len(problems)} problem(s) on {page.url}:\n" + "\n".join(problems)


def log_in(page, user, live_server):
    """Log in through Django's test client and hand the session cookie to the browser."""
    client = Client()
    client.force_login(user)
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value, "url": live_server.url}])


def test_campaign_manager_creates_previews_test_sends_and_launches(page, campaign_manager, call_with_audience, mailoutbox, live_server):
    page.set_default_timeout(10_000)
    log_in(page, campaign_manager, live_server)
    page.goto(f"/admin/pages/{call_with_audience.pk}/edit/")
    page.get_by_role("button", name="Acties").first.click()
    page.get_by_role("link", name="Campagne maken").click()

    expect(page.get_by_label("Onderwerp uitnodiging")).to_have_value("Oproep: samenwerken met het wijkteam")
    page.get_by_label("Netwerk palliatieve zorg").check()
    expect(page.locator("#audience-count")).to_contain_text("3 ontvangers")
    assert_no_axe_violations_in_content(page)
    page.get_by_label("Naam afzender").fill("Team Oproepen")
    page.get_by_role("button", name="Opslaan en controleren").click()

    expect(page.get_by_role("heading", name="Controleren en versturen", exact=True)).to_be_visible()
    expect(page.locator("#campaign-content")).to_contain_text("3 ontvangers")
    expect(page.locator("#campaign-content")).to_contain_text("Dirk Inactief")
    assert_no_axe_violations_in_content(page)

    page.get_by_role("link", name="Voorbeeld en testmail").click()
    page.get_by_label("Bekijk als").select_option(label="Bram de Jong – Netwerk Palliatieve Zorg Eemland")
    page.get_by_role("button", name="Voorbeeld tonen").click()
    frame = page.frame_locator('iframe[title^="Uitnodiging"]')
    expect(frame.locator("body")).to_contain_text("Beste Bram de Jong")
    assert_no_axe_violations_in_content(page)
    page.get_by_role("button", name="Testmail ‘uitnodiging’ naar mij sturen").focus()
    with page.expect_navigation(wait_until="domcontentloaded"):
        page.keyboard.press("Enter")
    assert [message.subject for message in mailoutbox] == ["[TEST] Oproep: samenwerken met het wijkteam"]
    expect(page.get_by_text("Testmail verstuurd naar beheer@example.org")).to_be_visible()

    page.get_by_role("link", name="Terug naar controleren en versturen").click()
    page.get_by_text("Wie de mail krijgt (3)").click()
    expect(page.locator(".campaign-recipients")).to_contain_text("Bram de Jong")
    page.get_by_label("Ja, verstuur de uitnodiging nu naar 3 ontvangers").check()
    assert_no_axe_violations_in_content(page)
    save_screenshots(page, "campaign-confirm")
    page.get_by_role("button", name="Versturen").click()
    expect(page.get_by_text("wordt gestart: 3 ontvangers worden vastgelegd")).to_be_visible()
    expect(page.get_by_role("heading", name="Bezig met starten")).to_be_visible()
    assert_no_axe_violations_in_content(page)

    campaign = Campaign.objects.get()
    freeze_audience(campaign.pk)  # what the worker runs; the overview's refresh then goes to the progress page
    expect(page).to_have_url(re.compile(r"/voortgang/"), timeout=15_000)

    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.SENDING
    assert campaign.sender_name == "Team Oproepen"
    assert Delivery.objects.filter(message__campaign=campaign).count() == 3
    assert len(mail.outbox) == 1


def test_from_the_campaigns_menu_to_a_prefilled_invitation(page, campaign_manager, call_with_audience, live_server, site_tree):
    _, _, calls = site_tree
    other = CallForInputPageFactory(parent=calls, title="Respijtzorg in de regio", notify_contact_person=False)
    CallForInputPageFactory(parent=calls, title="Oproep die al gesloten is", deadline=timezone.now() - timedelta(days=1))
    page.set_default_timeout(10_000)
    log_in(page, campaign_manager, live_server)
    page.goto("/admin/")
    page.get_by_role("link", name="Campagnes").first.click()
    page.get_by_role("link", name=re.compile("Campagne toevoegen|Nieuwe campagne|Toevoegen")).first.click()

    expect(page.get_by_role("heading", name="Kies de oproep")).to_be_visible()
    expect(page.locator("#campaign-content")).not_to_contain_text("Oproep die al gesloten is")
    assert_no_axe_violations_in_content(page)
    page.get_by_role("link", name="Oproep: samenwerken met het wijkteam").click()

    expect(page.get_by_role("heading", name="Nieuwe campagne voor ‘Oproep: samenwerken met het wijkteam’").first).to_be_visible()
    body = page.get_by_label("Tekst uitnodiging")
    expect(body).to_have_value(re.compile(r"\{link\}"))
    expect(body).to_have_value(re.compile("samenwerken met het wijkteam"))
    expect(body).to_have_value(re.compile(r"\{deadline\}"))
    assert "Oproep die al gesloten is" not in page.locator("#id_call_page").inner_text()

    # Another call: its texts replace the untouched ones, not what the editor typed.
    page.get_by_label("Onderwerp herinnering").fill("Mijn eigen herinnering")
    page.locator("#id_call_page").select_option(label=other.title)
    expect(body).to_have_value(re.compile("Respijtzorg in de regio"))
    expect(page.get_by_label("Onderwerp uitnodiging")).to_have_value("Oproep: Respijtzorg in de regio")
    expect(page.get_by_label("Onderwerp herinnering")).to_have_value("Mijn eigen herinnering")
