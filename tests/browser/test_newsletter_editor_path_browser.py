"""An issue's whole way in the browser: an editor drafts, publishes, checks and test-mails it; a campaign manager sends it.

Every screen under /admin/nieuwsbrief/ on the way runs under the strict admin
policy without a single CSP violation.
"""

import pytest
from django.core.cache import cache
from django.urls import reverse
from playwright.sync_api import expect

from cms import factories
from newsletter.factories import NewsletterIndexPageFactory, SubscriberFactory, TopicFactory
from newsletter.models import IssueMailing, NewsletterIssuePage
from tests.security.roles import make_user

from .conftest import DESKTOP, PHONE, assert_no_axe_violations, save_screenshots
from .test_csp import PolicyWatch, directives
from .test_newsletter_issue_browser import log_in, published

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TIMEOUT_MS = 30_000


@pytest.fixture(autouse=True)
def fresh_check_reports():
    """The pre-send check caches its report per revision id, and every new test database repeats those ids."""
    cache.clear()


@pytest.fixture
def newsletter_index(site_tree):
    return NewsletterIndexPageFactory(parent=site_tree[0])


@pytest.fixture
def subscriber(db):
    topic = TopicFactory(name="Algemene nieuwsbrief", slug="algemeen", sort_order=1)
    return SubscriberFactory(email="lezer@example.org", topics=[topic])


def click_when_settled(locator):
    """Wagtail's sidebar settles after load and moves the content: a click aimed before that can hit nothing."""
    locator.scroll_into_view_if_needed()
    locator.click()


def assert_strict_and_clean(watch):
    """No CSP violation anywhere; each document under /admin/nieuwsbrief/ allows no inline script or style."""
    watch.page.evaluate("1")  # let pending console messages arrive
    assert not watch.violations, "\n".join(watch.violations)
    ours = [(url, directives(policy)) for url, policy in watch.documents if "/admin/nieuwsbrief/" in url]
    assert ours
    for url, rules in ours:
        if "html=1" in url:
            assert rules["default-src"] == ["'none'"] and "script-src" not in rules, url
        else:
            assert "'unsafe-inline'" not in rules["script-src"] + rules["style-src"], url


def test_an_editor_checks_and_test_mails_an_issue_then_a_campaign_manager_sends_it(
    page, site_tree, newsletter_index, subscriber, live_server, mailoutbox
):
    page.set_default_timeout(TIMEOUT_MS)
    watch = PolicyWatch(page)
    _, articles, _ = site_tree
    published(factories.ArticlePageFactory(parent=articles, title="Nieuw: samen de wijk in"), 2)
    log_in(page, make_user("editor"), live_server)

    page.goto(f"/admin/pages/{newsletter_index.pk}/")
    page.get_by_role("button", name="Acties").first.click()
    page.get_by_role("link", name="Nieuwe inhoud").click()
    page.get_by_role("button", name="Concept maken").click()
    expect(page.locator(".messages")).to_contain_text("uit de nieuwe inhoud")
    issue = NewsletterIssuePage.objects.get()

    page.get_by_role("button", name="Meer acties").click()
    page.get_by_role("button", name="Publiceren").click()
    expect(page.locator(".messages")).to_contain_text("gepubliceerd")

    page.goto(reverse("wagtailadmin_pages:edit", args=[issue.pk]))  # publishing leads to the archive's listing
    page.locator("header [data-w-dropdown-target='toggle']").first.click()  # the page's "more actions"
    page.get_by_role("link", name="Controleren en testen").click()
    page.wait_for_url(f"**{reverse('newsletter_check', args=[issue.pk])}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Controleren en testen")
    expect(page.locator("#check-revision")).to_contain_text("de gepubliceerde versie")
    for title in ("De mail op een telefoon", "De mail op een computer"):
        frame = page.frame_locator(f"iframe[title='{title}']")
        expect(frame.get_by_role("link", name="Nieuw: samen de wijk in")).to_be_visible(timeout=TIMEOUT_MS)
        expect(frame.get_by_role("link", name="Afmelden")).to_be_visible()
    assert page.locator("iframe[title='De mail op een telefoon']").bounding_box()["width"] == 375
    expect(page.locator("#check-outcome")).to_contain_text("Geslaagd")
    expect(page.locator("#check-plain-text")).to_contain_text("Nieuw: samen de wijk in")
    assert "Versturen" not in page.locator("#newsletter-check").inner_text()

    # The whole screen, before a message of Wagtail's own (its green falls short of 4.5:1) appears in it.
    for viewport in (DESKTOP, PHONE):
        page.set_viewport_size(viewport)
        assert_no_axe_violations(page)
    save_screenshots(page, "newsletter-check")

    click_when_settled(page.get_by_role("button", name="Testmail naar mij sturen"))
    expect(page.locator(".messages")).to_contain_text("Testmail verstuurd naar editor@example.org.")
    [mail] = mailoutbox
    assert mail.to == ["editor@example.org"]
    assert mail.subject == f"[TEST] {issue.subject}"

    log_in(page, make_user("campaign_manager", username="beheerder2"), live_server)
    page.reload()
    send_link = page.locator("#newsletter-check").get_by_role("link", name="Versturen")
    expect(send_link).to_have_attribute("href", reverse("newsletter_send", args=[issue.pk]))
    page.goto(send_link.get_attribute("href"))  # followed by address: a click on the reloading page was lost once in CI
    page.get_by_label("Algemene nieuwsbrief (1 abonnee)").check()
    page.get_by_role("button", name="Verder naar bevestigen").click()
    page.get_by_label("Ja, verstuur deze nieuwsbrief nu naar 1 abonnee").check()
    page.get_by_role("button", name="Versturen", exact=True).click()

    mailing = IssueMailing.objects.get()
    page.wait_for_url(f"**{reverse('campaigns_progress', args=[mailing.campaign_id])}")
    expect(page.get_by_text("Verstuurd: 0 van 1")).to_be_visible()
    page.goto(reverse("newsletter_mailings"))
    expect(page.locator("main")).to_contain_text(issue.subject)
    page.goto(reverse("newsletter_mailing_control", args=[mailing.campaign_id, "pauzeren"]))
    expect(page.get_by_role("button", name="Ja, pauzeren")).to_be_visible()
    assert_strict_and_clean(watch)

