"""A campaign manager sends an issue in the admin: the send screen, its confirm step, then progress and results."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from wagtail.rich_text import RichText

from campaigns.models import Campaign, Delivery
from newsletter.factories import NewsletterIndexPageFactory, NewsletterIssuePageFactory, SubscriberFactory, TopicFactory
from newsletter.models import IssueMailing
from tests.security.roles import make_user

from .conftest import WCAG_TAGS, inject_axe, save_screenshots

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(autouse=True)
def fresh_check_reports():
    """The pre-send check caches its report per revision id, and every new test database repeats those ids."""
    cache.clear()


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


def logged_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    return page


@pytest.fixture
def issue(site_tree):
    index = NewsletterIndexPageFactory(parent=site_tree[0])
    general = TopicFactory(name="Algemene nieuwsbrief", slug="algemeen", sort_order=1)
    care = TopicFactory(name="Zorg en welzijn", slug="zorg-en-welzijn", sort_order=2)
    for number in range(3):
        SubscriberFactory(email=f"lezer{number}@example.org", topics=[general])
    SubscriberFactory(email="zorg@example.org", topics=[care])
    page = NewsletterIssuePageFactory(
        parent=index,
        title="Nieuwsbrief februari",
        subject="Nieuws over samenwerken in de wijk",
        body=[("text", RichText("<p>Het nieuws van februari.</p>"))],
    )
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def test_a_campaign_manager_chooses_topics_confirms_the_count_and_follows_the_results(page, live_server, issue):
    page = logged_in(page, live_server, make_user("campaign_manager"))
    send_url = reverse("newsletter_send", args=[issue.pk])
    page.goto(f"/admin/pages/{issue.pk}/edit/")
    page.locator("header [data-w-dropdown-target='toggle']").first.click()  # the page's "more actions"
    page.get_by_role("link", name="Versturen").click()
    page.wait_for_url(f"**{send_url}")

    page.get_by_role("heading", name="Nieuws over samenwerken in de wijk").wait_for()
    assert page.get_by_label("Algemene nieuwsbrief (3 abonnees)").is_visible()
    assert_no_axe_violations_in(page, "#newsletter-send")
    save_screenshots(page, "newsletter-send")

    page.get_by_label("Algemene nieuwsbrief (3 abonnees)").check()
    page.get_by_role("button", name="Verder naar bevestigen").click()

    page.locator("#newsletter-confirm").wait_for()
    assert page.locator("#recipient-count").inner_text() == "3 abonnees"
    assert "Geslaagd" in page.locator("#check-outcome").inner_text()
    assert_no_axe_violations_in(page, "#newsletter-confirm")
    save_screenshots(page, "newsletter-confirm")
    assert not Campaign.objects.exists()

    page.get_by_label("Ja, verstuur deze nieuwsbrief nu naar 3 abonnees").check()
    page.get_by_role("button", name="Versturen", exact=True).click()

    page.locator("progress#send-progress").wait_for()
    mailing = IssueMailing.objects.get()
    assert page.url.endswith(f"/admin/campaigns/{mailing.campaign_id}/voortgang/")
    assert page.get_by_text("Verstuurd: 0 van 3").is_visible()

    Delivery.objects.filter(message__campaign=mailing.campaign).update(status=Delivery.Status.SENT)
    Delivery.objects.filter(pk=Delivery.objects.filter(message__campaign=mailing.campaign).first().pk).update(
        status=Delivery.Status.COMPLAINED
    )
    page.get_by_role("link", name="Resultaten").first.click()
    page.locator("#newsletter-figures").wait_for()
    assert "Te veel klachten:" in page.locator("#complaint-rate").inner_text()
    assert_no_axe_violations_in(page, "#campaign-content")
    save_screenshots(page, "newsletter-results")
