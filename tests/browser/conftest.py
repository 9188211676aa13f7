"""Chromium through Playwright against ``live_server``, axe-core, and the demo pages to visit.

Never downloads a browser: Debian's ``/usr/bin/chromium`` (or ``CHROMIUM_PATH``)
is used, and the tests skip with the reason when it is not there.
"""

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from cms import factories, models
from cms.factories import paragraph

# Playwright's sync API runs an event loop in this thread; the Django ORM calls
# in the tests themselves are still plain synchronous code.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

ROOT = Path(__file__).resolve().parents[2]
AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOT_DIR = ROOT / "test-output" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}
# Assertions wait this long for the page to get there: the machine is shared, and an admin
# preview rendered under a full test run can take more than Playwright's default 5 s.
EXPECT_TIMEOUT_MS = 15_000


@pytest.fixture(scope="session")
def browser():
    path = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    if not os.access(path, os.X_OK):
        pytest.skip(f"Chromium not found at {path}: install Debian's chromium or set CHROMIUM_PATH")
    if not AXE_SCRIPT.exists():
        pytest.skip(f"axe-core not found at {AXE_SCRIPT}: run `npm ci`")
    from django.db import connections
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=EXPECT_TIMEOUT_MS)

    # Starting Playwright's sync API gives this thread a fresh context, and Django keeps its
    # connections per context: without this, the tests after it would get new connection
    # objects that lack the test database's serialized contents, so serialized_rollback
    # would restore nothing and Wagtail's groups would vanish after the first browser test.
    before = {alias: connections[alias] for alias in connections}
    with sync_playwright() as playwright:
        for alias, connection in before.items():
            connections[alias] = connection
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def serve_media(route):
    """The live server does not serve MEDIA_URL (DEBUG is off); hand the files over from disk."""
    relative = route.request.url.split(settings.MEDIA_URL, 1)[1].split("?", 1)[0]
    file = Path(settings.MEDIA_ROOT) / relative
    if file.is_file():
        route.fulfill(path=file)
    else:
        route.fulfill(status=404)


@pytest.fixture(autouse=True)
def generous_rate_limit(settings):
    """Posts from earlier tests (same client IP, same cache) must not rate-limit this one."""
    settings.FORM_RATE_LIMIT = "1000/m"


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(viewport=DESKTOP, locale="nl-NL", base_url=live_server.url)
    context.route(f"**{settings.MEDIA_URL}**", serve_media)
    page = context.new_page()
    yield page
    context.close()


def inject_axe(page):
    """Load axe-core into the page. Evaluated, not added as a <script>: the page's CSP allows no inline script."""
    page.evaluate(AXE_SCRIPT.read_text(encoding="utf-8"))


def assert_no_axe_violations(page):
    """Run axe-core on the whole page; fail with one readable line per problem."""
    inject_axe(page)
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        WCAG_TAGS,
    )
    problems = [
        f"{violation['id']} ({violation['impact']}): {violation['help']}\n"
        + "\n".join(f"    at {', '.join(node['target'])}: {node['failureSummary']}" for node in violation["nodes"])
        for violation in result["violations"]
    ]
    assert not problems, f"axe found {len(problems)} problem(s) on {page.url}:\n" + "\n".join(problems)


def save_screenshots(page, name):
    """Full-page screenshots at desktop and phone width, then back to desktop."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    for label, viewport in (("1280", DESKTOP), ("375", PHONE)):
        page.set_viewport_size(viewport)
        page.screenshot(path=str(SCREENSHOT_DIR / f"{name}-{label}.png"), full_page=True)
    page.set_viewport_size(DESKTOP)


def horizontal_overflow(page, width):
    """How many pixels the page is wider than a viewport of ``width``."""
    page.set_viewport_size({"width": width, "height": 740})
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    page.set_viewport_size(DESKTOP)
    return overflow


@pytest.fixture
def demo_site(site_tree):
    """One of every public page type, with images, personas and a contact person."""
    home, article_index, call_index = site_tree
    contact = factories.ContactPersonFactory(
        name="Marieke de Vries",
        role="Adviseur zorg en welzijn",
        # Long and without hyphens: it must still fit a 320 px screen.
        email="m.devries.adviseur@netwerkpalliatievezorg.example.org",
    )
    personas = [
        factories.PersonaFactory(name="Piet en Ria", condition="Parkinson", image=factories.ImageFactory(title="Piet en Ria")),
        factories.PersonaFactory(name="Anneke", condition="COPD"),
    ]
    body_image = factories.ImageFactory(title="Twee mensen in gesprek")
    body_image.contextual_alt_text = "Twee mensen in gesprek aan een keukentafel"
    body_image.decorative = False
    article = factories.ArticlePageFactory(
        parent=article_index,
        title="Samenwerken met het wijkteam: zo begint u",
        intro="Hoe netwerken palliatieve zorg en wijkteams elkaar vinden, in vijf stappen.",
        listing_image=factories.ImageFactory(title="Gesprek aan de keukentafel"),
        contact_person=contact,
        body=[
            ("heading", {"text": "Waarom samenwerken?", "level": "h2"}),
            paragraph("<p>Mensen in de palliatieve fase wonen vaak thuis, met hun naasten en mantelzorgers.</p>"),
            ("quote", {"quote": "Koffie drinken met het wijkteam loont.", "attribution": "Een netwerkcoördinator"}),
            (
                "image",
                {
                    "image": body_image,
                    "caption": "Een gesprek over de Wmo.",
                },
            ),
            ("document", {"document": factories.DocumentFactory(title="Werkboek samenwerking"), "title": ""}),
            ("call_to_action", {"text": "Bekijk de oproepen", "page": call_index, "url": ""}),
        ],
        tags=["sociaal domein", "mantelzorg"],
    )
    for order, persona in enumerate(personas):
        models.ArticlePersonaLink.objects.create(page=article, persona=persona, sort_order=order)
    older = factories.ArticlePageFactory(
        parent=article_index,
        title="Persona’s als gespreksstarter",
        date=timezone.localdate() - timedelta(days=20),
        tags=["sociaal domein"],
    )
    models.ArticleRelatedPage.objects.create(page=article, related_page=older)
    open_call = factories.CallForInputPageFactory(
        parent=call_index,
        title="Oproep: goede voorbeelden van samenwerking",
        contact_person=contact,
        notify_contact_person=False,
        form_intro="<p>Het invullen kost ongeveer tien minuten.</p>",
    )
    for order, persona in enumerate(personas):
        models.CallPersonaLink.objects.create(page=open_call, persona=persona, sort_order=order)
    closed_call = factories.CallForInputPageFactory(
        parent=call_index,
        title="Oproep: pilots in gemeenten",
        deadline=timezone.now() - timedelta(days=10),
        notify_contact_person=False,
    )
    accessibility = factories.StandardPageFactory(
        parent=home,
        title="Toegankelijkheid",
        slug="toegankelijkheid",
        intro="We willen dat iedereen deze website kan gebruiken.",
    )
    return {
        "home": home,
        "article_index": article_index,
        "call_index": call_index,
        "article": article,
        "open_call": open_call,
        "closed_call": closed_call,
        "accessibility": accessibility,
        "contact": contact,
    }
