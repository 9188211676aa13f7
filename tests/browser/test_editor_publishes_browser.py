"""On the demo as ``seed_demo`` builds it, the editor publishes an article and a campaign manager makes a good example.

Both log in through the admin's login form with the demo password.
"""

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from campaigns.factories import CampaignFactory
from cms.demo import content
from cms.models import ArticleIndexPage, ArticlePage, CallForInputPage, ExamplePage
from tests.campaigns import ledger
from tests.campaigns.test_good_examples import DEMO_ANSWER

from .conftest import save_screenshots

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TITLE = "Buurtzorg en wijkteam vinden elkaar"
TEXT = "Sinds de zomer bespreken de wijkverpleging en het wijkteam elke maand samen wie extra steun nodig heeft."


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=io.StringIO())


def log_in(page, username):
    page.goto("/admin/login/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.locator("input[name=password]").fill(content.DEMO_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_editor_writes_and_publishes_an_article(page, demo):
    page.set_default_timeout(15_000)
    log_in(page, "redacteur")
    page.goto(f"/admin/pages/add/cms/articlepage/{ArticleIndexPage.objects.get().pk}/")

    page.get_by_role("textbox", name="Titel*").fill(TITLE)
    page.get_by_role("textbox", name="Inleiding").fill("Hoe een netwerk palliatieve zorg de wijk in ging.")
    page.locator("#panel-child-inhoud-body-section").get_by_role("button", name="Blok invoegen").first.click()
    page.get_by_role("option", name="Tekst").click()
    editor = page.locator(".public-DraftEditor-content").first
    editor.click()
    editor.press_sequentially(TEXT)
    # Draftail writes what was typed to the form a moment later.
    expect(page.locator("input[name='body-0-value']")).to_have_value(re.compile("wijkverpleging"))
    page.get_by_role("button", name="Meer acties").click()
    page.get_by_role("button", name="Publiceren").click()

    expect(page.locator(".messages")).to_contain_text("gepubliceerd")
    article = ArticlePage.objects.get(title=TITLE)
    assert article.live
    save_screenshots(page, "editor-published-article")
    page.context.clear_cookies()
    page.goto(article.url)
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator("main")).to_contain_text(TEXT)


def test_campaign_manager_makes_a_good_example_with_one_click(page, demo):
    page.set_default_timeout(15_000)
    campaign = CampaignFactory(call_page=CallForInputPage.objects.get(slug=content.CALL_SLUG), name="Voorjaar")
    ledger.start(campaign)
    anna = ledger.recipient(
        campaign, "Anna de Boer", organisation="Netwerk Palliatieve Zorg Eemland", answered=True, consent=True,
        form_data=DEMO_ANSWER,
    )
    log_in(page, "campagnebeheerder")
    page.goto(reverse("campaigns_results", args=[campaign.pk]))

    page.get_by_role("button", name="Maak goed voorbeeld").click()

    expect(page).to_have_url(re.compile(r"/admin/pages/\d+/edit/$"))
    example = ExamplePage.objects.get(source_response=anna.response_id)
    assert page.url.endswith(f"/admin/pages/{example.pk}/edit/")
    expect(page.get_by_role("textbox", name="Titel*")).to_have_value(example.title)
    expect(page.locator("main")).to_contain_text("Reactie van")
    expect(page.locator("main")).not_to_contain_text("anna.deboer@example.org")
    save_screenshots(page, "campaign-manager-good-example-draft")
