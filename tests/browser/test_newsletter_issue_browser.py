"""An issue in the browser: the archive, its web version and its mail HTML (axe-core, phone and desktop),
and an editor drafting the next issue with "Nieuwe inhoud" and previewing the mail in the admin."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect
from wagtail.models import Page
from wagtail.rich_text import RichText

from cms import factories
from cms import models as cms_models
from newsletter.factories import NewsletterIndexPageFactory, NewsletterIssuePageFactory
from newsletter.models import NewsletterIssuePage
from newsletter.services import rendering
from tests.security.roles import make_user

from .conftest import DESKTOP, PHONE, assert_no_axe_violations, horizontal_overflow, save_screenshots

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def published(page, days_ago):
    Page.objects.filter(pk=page.pk).update(first_published_at=timezone.now() - timedelta(days=days_ago))
    return page


@pytest.fixture
def newsletter_index(site_tree):
    home, _, _ = site_tree
    return NewsletterIndexPageFactory(parent=home)


@pytest.fixture
def issue(site_tree, newsletter_index):
    """A published issue with every kind of block: text, image, teasers of an article, a call and a persona."""
    _, articles, calls = site_tree
    article = factories.ArticlePageFactory(
        parent=articles,
        title="Samenwerken met het wijkteam: zo begint u",
        listing_image=factories.ImageFactory(title="Gesprek aan de keukentafel"),
    )
    call = factories.CallForInputPageFactory(parent=calls, title="Oproep: goede voorbeelden van samenwerking")
    persona = factories.PersonaFactory(name="Piet en Ria", image=factories.ImageFactory(title="Piet en Ria"))
    issue = NewsletterIssuePageFactory(
        parent=newsletter_index,
        title="Nieuwsbrief december 2026",
        intro="Nieuwe oproepen en een persona om het gesprek mee te beginnen.",
        body=[
            (
                "text",
                RichText(
                    "<h2>Uit de regio's</h2><p>Drie netwerken vertellen hoe zij de wijk in gingen. "
                    f'Lees <a linktype="page" id="{article.pk}">het verhaal</a>.</p><ul><li>Eemland</li><li>Utrecht</li></ul>'
                ),
            ),
            ("image", {"image": factories.ImageFactory(), "alt_text": "Twee mensen in gesprek aan tafel", "caption": ""}),
            ("page_teaser", {"page": article}),
            ("page_teaser", {"page": call}),
            ("persona_teaser", {"persona": persona}),
            ("call_to_action", {"text": "Alle oproepen", "page": calls, "url": ""}),
        ],
    )
    issue.save_revision().publish()
    return issue


def check_both_widths(page, name):
    for viewport in (DESKTOP, PHONE):
        page.set_viewport_size(viewport)
        assert_no_axe_violations(page)
    assert horizontal_overflow(page, PHONE["width"]) <= 0
    save_screenshots(page, name)


def test_the_archive_the_web_version_and_the_mail_of_an_issue(page, issue, newsletter_index):
    page.set_default_timeout(15_000)
    page.goto(newsletter_index.url)
    expect(page.get_by_role("link", name="Nieuwsbrief december 2026")).to_be_visible()
    expect(page.get_by_role("link", name="Aanmelden voor de nieuwsbrief")).to_have_attribute("href", "/nieuwsbrief/aanmelden/")
    check_both_widths(page, "newsletter-archive")

    page.get_by_role("link", name="Nieuwsbrief december 2026").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nieuwsbrief december 2026")
    expect(page.get_by_text("Reageren kan tot")).to_be_visible()
    expect(page.get_by_role("img", name="Twee mensen in gesprek aan tafel")).to_be_visible()
    check_both_widths(page, "newsletter-web-version")

    mail = rendering.prepare(issue).for_recipient("Anna de Vries", rendering.sample_links(issue))
    # A blank page first: written into the web version, the mail would inherit the site's CSP (no inline style).
    # Its images are absolute URLs on SITE_URL; the page fixture serves any MEDIA_URL from disk.
    page.goto("about:blank")
    page.set_content(mail.html, wait_until="load")
    page.wait_for_function("[...document.images].every(img => img.complete && img.naturalWidth > 0)")
    expect(page.get_by_text("Beste Anna de Vries,")).to_be_visible()
    expect(page.get_by_role("link", name="Afmelden")).to_have_attribute("href", rendering.sample_links(issue).unsubscribe)
    check_both_widths(page, "newsletter-mail")


def log_in(page, user, live_server):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])


def test_an_editor_drafts_from_new_content_and_previews_the_mail(page, site_tree, newsletter_index, live_server):
    page.set_default_timeout(15_000)
    _, articles, calls = site_tree
    published(factories.ArticlePageFactory(parent=articles, title="Nieuw: persona's in het wijkteam"), 2)
    call = published(factories.CallForInputPageFactory(parent=calls, title="Oproep: mantelzorg in de wijk"), 1)
    cms_models.CallPersonaLink.objects.create(page=call, persona=factories.PersonaFactory(name="Anneke"))
    log_in(page, make_user("editor"), live_server)

    page.goto(f"/admin/pages/{newsletter_index.pk}/")
    page.get_by_role("button", name="Acties").first.click()
    page.get_by_role("link", name="Nieuwe inhoud").click()
    expect(page.get_by_text("Oproep: mantelzorg in de wijk")).to_be_visible()
    page.get_by_role("button", name="Concept maken").click()

    expect(page.locator(".messages")).to_contain_text("uit de nieuwe inhoud")
    issue = NewsletterIssuePage.objects.get()
    assert page.url.endswith(f"/admin/pages/{issue.pk}/edit/")
    expect(page.get_by_role("textbox", name="Onderwerpregel*")).to_have_value(issue.title)

    page.get_by_role("button", name="Toon/verberg voorvertoning").click()
    frame = page.frame_locator("#w-preview-iframe")
    # Wagtail drops a mode change made while the panel's first preview still loads
    # (its update in progress wins): choose the mode once the web version shows.
    expect(frame.get_by_role("heading", name=issue.title, level=1)).to_be_visible()
    page.locator("#id_preview_mode").select_option(label="E-mail")
    expect(frame.get_by_text("Bekijk deze nieuwsbrief in uw browser")).to_be_visible()
    expect(frame.get_by_role("link", name="Oproep: mantelzorg in de wijk")).to_be_visible()
    expect(frame.get_by_text("Reageren kan tot")).to_be_visible()
    for size in ("mobile", "desktop"):
        page.locator(f"label.w-preview__size-button:has(input[value={size}])").click()
        expect(page.locator(f"input[name=preview-size][value={size}]")).to_be_checked()
        expect(frame.get_by_role("link", name="Afmelden")).to_be_visible()
        page.screenshot(path=f"test-output/screenshots/newsletter-mail-preview-{size}.png")
