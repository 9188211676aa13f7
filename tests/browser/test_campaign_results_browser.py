"""A campaign manager follows a campaign in the admin: the progress page while sending, then the results."""

import pytest
from django.test import Client
from django.utils import timezone

from campaigns.factories import CampaignFactory
from campaigns.models import Delivery
from campaigns.services.good_examples import create_example_draft
from cms.factories import CallForInputPageFactory
from cms.models import ExampleIndexPage
from tests.campaigns import ledger

from .conftest import WCAG_TAGS, assert_no_axe_violations, horizontal_overflow, inject_axe, save_screenshots

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

S = Delivery.Status


def assert_no_axe_violations_in(page, selector):
    """axe-core on our own content only: Wagtail's admin chrome around it is not ours to fix."""
    inject_axe(page)
    result = page.evaluate(
        "([selector, tags]) => axe.run(selector, {runOnly: {type: 'tag', values: tags}})",
        [selector, WCAG_TAGS],
    )
    problems = [
        f"{violation['id']}: {violation['help']} at " + ", ".join(", ".join(node["target"]) for node in violation["nodes"])
        for violation in result["violations"]
    ]
    assert not problems, f"axe found {len(problems)} problem(s) on {page.url}:\n" + "\n".join(problems)


@pytest.fixture
def campaign(site_tree):
    call = CallForInputPageFactory(parent=site_tree[2], title="Oproep: samen met het wijkteam", notify_contact_person=False)
    campaign = CampaignFactory(call_page=call, name="Uitnodiging netwerken voorjaar")
    invitation = ledger.start(campaign)
    outcomes = [
        ("Anna de Boer", "netwerk", "utrecht", True, S.DELIVERED),
        ("Bram Smit", "netwerk", "utrecht", True, S.SENT),
        ("Cor Visser", "netwerk", "drenthe", False, S.FAILED),
        ("Dirk Mulder", "gemeente", "gelderland", False, S.QUEUED),
        ("Eva Bakker", "welzijn", "gelderland", False, S.QUEUED),
    ]
    for name, kind, region, answered, status in outcomes:
        person = ledger.recipient(campaign, name, kind, region, answered=answered, consent=answered)
        ledger.deliver(invitation, person, status, error="550 mailbox bestaat niet" if status == S.FAILED else "")
    return campaign


@pytest.fixture
def admin_page(page, live_server, admin_user):
    client = Client()
    client.force_login(admin_user)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    return page


def test_progress_page_shows_sending_and_refreshes_by_itself(admin_page, campaign):
    page = admin_page
    page.goto(f"/admin/campaigns/{campaign.pk}/voortgang/?verversen=uit")
    bar = page.locator("progress#send-progress")
    assert (bar.get_attribute("max"), bar.get_attribute("value")) == ("5", "3")
    assert page.get_by_text("Verstuurd: 2 van 5").is_visible()
    assert page.locator("#send-progress-text").inner_text() == "3 van 5 afgehandeld (60%), waarvan 1 mislukt."
    assert_no_axe_violations_in(page, "#campaign-content")
    save_screenshots(page, "campaign-progress")

    page.goto(f"/admin/campaigns/{campaign.pk}/voortgang/")
    Delivery.objects.filter(status=S.QUEUED).update(status=S.SENT, sent_at=timezone.now())
    page.get_by_text("Klaar met versturen.").wait_for(timeout=10_000)
    assert page.get_by_text("Verstuurd: 4 van 5").is_visible()


def test_results_page_shows_the_figures_and_retries_failed_mail(admin_page, campaign):
    page = admin_page
    page.goto(f"/admin/campaigns/{campaign.pk}/resultaten/")

    figures = dict(
        zip(page.locator("#campaign-figures dt").all_inner_texts(), page.locator("#campaign-figures dd").all_inner_texts())
    )
    assert figures == {
        "Ontvangers": "5",
        "Verstuurd": "2",
        "Afgeleverd": "1",
        "Gebounced": "0",
        "Mislukt": "1",
        "Overgeslagen": "0",
        "Afgemeld of geblokkeerd": "0",
        "Gereageerd": "2",
        "Respons": "40,0%",
    }
    network = page.locator("#by-kind tbody tr").first
    assert [cell.strip() for cell in network.locator("th, td").all_inner_texts()] == ["Netwerk palliatieve zorg", "3", "2", "66,7%"]
    assert page.locator("#not-answered tbody tr").all_inner_texts()[0].startswith("Cor Visser")
    assert page.get_by_role("button", name="Maak goed voorbeeld van de reactie van Anna de Boer").is_visible()
    assert_no_axe_violations_in(page, "#campaign-content")
    save_screenshots(page, "campaign-results")

    page.get_by_role("button", name="Alle mislukte opnieuw proberen").click()
    page.get_by_text("1 mail staat weer in de wachtrij").wait_for()
    assert page.get_by_text("Geen mislukte verzendingen.").is_visible()
    assert Delivery.objects.filter(status=S.QUEUED).count() == 3


def test_good_example_pages_pass_axe(page, campaign, admin_user):
    home = campaign.call_page.get_parent().get_parent()
    index = ExampleIndexPage(title="Goede voorbeelden", slug="goede-voorbeelden", intro="Initiatieven uit het hele land.")
    home.add_child(instance=index)
    example, _ = create_example_draft(campaign.recipients.get(name="Anna de Boer").response, admin_user)
    example.get_latest_revision().publish()

    for name, url in (("example-index", index.url), ("example-page", example.url)):
        page.goto(url)
        assert page.locator("h1").inner_text() in (index.title, example.title)
        assert_no_axe_violations(page)
        assert horizontal_overflow(page, 320) <= 0
        save_screenshots(page, name)
