"""Every public page type and the project's admin screens run under a Content-Security-Policy without a single violation.

Chromium reports a blocked script, style, frame or image both as a console message
and as a ``securitypolicyviolation`` event; an init script (which no page CSP
restricts) relays the events of every frame to the console. Each document the
browser loads must carry the policy: without it there would be nothing to violate.
"""

import re

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from campaigns.factories import CampaignFactory, ContactFactory, OrganisationFactory
from campaigns.models import Campaign, Contact, Delivery, Organisation, Recipient, Suppression
from campaigns.services.good_examples import create_example_draft
from campaigns.services.launch import launch
from campaigns.tokens import UNSUBSCRIBE, recipient_token
from cms.factories import CallForInputPageFactory
from cms.models import ExampleIndexPage
from tests.campaigns import ledger

from .test_public_pages import VISITS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

RELAY_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
    console.error(`Content Security Policy violation: ${event.effectiveDirective} blocked ${event.blockedURI || "inline"}`
        + ` in ${event.documentURI} (${event.sourceFile}:${event.lineNumber})`);
});
"""
# Wagtail's own dashboard and page editor write inline script and style; every other document allows neither.
WAGTAIL_OWN_SCREENS = re.compile(r"/admin/(pages/\d+/edit/)?$")
# Visits that change what later ones see (a rate limit, a closed call) come last, in this order.
LAST_VISITS = ("call-rate-limited", "call-closed-late-answer")


def directives(policy):
    """``{directive: [sources]}`` of a Content-Security-Policy header."""
    parts = (part.split() for part in policy.split(";") if part.strip())
    return {part[0]: part[1:] for part in parts}


class PolicyWatch:
    """Collects CSP violations from every frame, and the policy of every document loaded."""

    def __init__(self, page):
        self.page = page
        self.violations = []
        self.documents = []
        page.add_init_script(RELAY_VIOLATIONS)
        page.on("console", self.on_console)
        page.on("response", self.on_response)

    def on_console(self, message):
        # Chromium also names features of the Permissions-Policy header that it does not know.
        if "Content Security Policy" in message.text or "Permissions-Policy" in message.text:
            self.violations.append(f"{self.page.url}: {message.text}")

    def on_response(self, response):
        if response.request.resource_type == "document":
            self.documents.append((response.url, response.headers.get("content-security-policy", "")))

    def assert_clean(self):
        self.page.evaluate("1")  # let pending console messages arrive
        assert not self.violations, "\n".join(self.violations)
        assert self.documents
        for url, policy in self.documents:
            rules = directives(policy)
            scripts = rules.get("script-src", rules.get("default-src"))
            assert scripts is not None, f"{url} has no Content-Security-Policy for scripts: {policy!r}"
            if not WAGTAIL_OWN_SCREENS.search(url):
                assert not {"'unsafe-inline'", "'unsafe-eval'", "*"} & set(scripts), f"{url}: {policy}"
                assert "'unsafe-inline'" not in rules.get("style-src", []) or "default-src 'none'" in policy, url
            assert rules.get("frame-ancestors") in (["'none'"], ["'self'"]), f"{url}: {policy}"


@pytest.fixture
def watch(page):
    page.set_default_timeout(10_000)
    return PolicyWatch(page)


@pytest.fixture
def recipient(demo_site):
    organisation = OrganisationFactory(name="Netwerk Palliatieve Zorg Rivierenland")
    ContactFactory(name="Sanne Bakker", email="sanne.bakker@example.org", organisation=organisation)
    launch(CampaignFactory(call_page=demo_site["open_call"]))
    return Recipient.objects.get()


def good_examples(demo_site, user):
    """The example index and a published good example, made from an answer."""
    campaign = CampaignFactory(call_page=demo_site["open_call"], name="Voorbeelden verzamelen")
    invitation = ledger.start(campaign)
    person = ledger.recipient(campaign, "Anna de Boer", answered=True, consent=True)
    ledger.deliver(invitation, person, Delivery.Status.DELIVERED)
    index = ExampleIndexPage(title="Goede voorbeelden", slug="goede-voorbeelden", intro="Initiatieven uit het hele land.")
    demo_site["home"].add_child(instance=index)
    example, _ = create_example_draft(person.response, user)
    example.get_latest_revision().publish()
    return index, example.specific_class.objects.get(pk=example.pk)


def test_public_pages_run_under_the_policy_without_violations(page, watch, demo_site, recipient, admin_user):
    index, example = good_examples(demo_site, admin_user)
    for name in [name for name in VISITS if name not in LAST_VISITS]:
        VISITS[name](page, demo_site)

    page.goto(index.url)
    page.goto(example.url)
    page.goto(f"/reageren/{recipient_token(recipient)}/")
    with page.expect_navigation():
        page.get_by_role("button", name="Verstuur reactie").click()
    expect(page.get_by_role("alert").get_by_text("Er ging iets mis")).to_be_visible()
    page.get_by_label(re.compile(r"^Soort organisatie")).select_option("Netwerk palliatieve zorg")
    page.get_by_label(re.compile(r"^Beschrijving")).fill("Elke maand koffie met het wijkteam.")
    with page.expect_navigation():
        page.get_by_role("button", name="Verstuur reactie").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bedankt voor uw reactie")
    page.goto(f"/afmelden/{recipient_token(recipient, UNSUBSCRIBE)}/")
    with page.expect_navigation():
        page.get_by_role("button", name="Ja, meld mij af").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("U bent afgemeld")

    page.goto("/admin/login/")
    expect(page.get_by_role("button", name="Inloggen")).to_be_visible()

    VISITS["call-rate-limited"](page, demo_site)
    settings.FORM_RATE_LIMIT = "1000/m"
    VISITS["call-closed-late-answer"](page, demo_site)
    watch.assert_clean()


@pytest.fixture
def admin_page(page, live_server, admin_user):
    client = Client()
    client.force_login(admin_user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
    return page


@pytest.fixture
def call_with_audience(site_tree):
    call = CallForInputPageFactory(parent=site_tree[2], title="Oproep: samenwerken met het wijkteam", notify_contact_person=False)
    network = OrganisationFactory(name="Netwerk Palliatieve Zorg Eemland", kind=Organisation.Kind.NETWORK)
    for name in ("Anouk Visser", "Bram de Jong", "Chantal Bakker"):
        ContactFactory(name=name, email=f"{name.split()[0].lower()}@example.org", organisation=network)
    Suppression.objects.create(email="afgemeld@example.org", reason=Suppression.Reason.COMPLAINT)
    return call


def sent_campaign(call):
    campaign = CampaignFactory(call_page=call, name="Uitnodiging netwerken voorjaar")
    invitation = ledger.start(campaign)
    for name, status in (("Anna de Boer", Delivery.Status.DELIVERED), ("Cor Visser", Delivery.Status.FAILED)):
        person = ledger.recipient(campaign, name, answered=status == Delivery.Status.DELIVERED, consent=True)
        ledger.deliver(invitation, person, status, error="550 mailbox bestaat niet")
    return campaign


def test_admin_screens_run_under_the_policy_without_violations(admin_page, watch, call_with_audience):
    page = admin_page
    page.goto("/admin/")
    page.goto("/admin/campaigns/")
    page.goto(f"/admin/campaigns/new/?oproep={call_with_audience.pk}")
    page.get_by_label("Netwerk palliatieve zorg").check()
    expect(page.locator("#audience-count")).to_contain_text("3 ontvangers")
    page.get_by_label("Naam afzender").fill("Team Oproepen")
    page.get_by_role("button", name="Opslaan en controleren").click()
    expect(page.get_by_role("heading", name="Controleren en versturen", exact=True)).to_be_visible()

    campaign = Campaign.objects.get()
    page.goto(f"/admin/campaigns/edit/{campaign.pk}/")
    page.goto(f"/admin/campaigns/history/{campaign.pk}/")
    # Its date filter's pickers start without the inline scripts Wagtail writes for them.
    expect(page.locator(".xdsoft_datetimepicker").first).to_be_attached()
    page.goto(f"/admin/campaigns/delete/{campaign.pk}/")
    page.goto(f"/admin/campaigns/{campaign.pk}/voorbeeld/")
    frame = page.frame_locator('iframe[title^="Uitnodiging"]')
    expect(frame.locator("body")).to_contain_text("Beste Anouk Visser")
    assert frame.locator("a", has_text="Reageer op de oproep").evaluate("a => getComputedStyle(a).fontWeight") == "700"

    sent = sent_campaign(call_with_audience)
    page.goto(f"/admin/campaigns/{sent.pk}/voortgang/?verversen=uit")
    page.goto(f"/admin/campaigns/{sent.pk}/resultaten/")
    expect(page.locator("#campaign-figures")).to_be_visible()

    page.goto("/admin/campaigns/contact/")
    page.goto("/admin/campaigns/contact/import/")
    page.get_by_label("CSV-bestand").set_input_files(
        files=[{"name": "contacten.csv", "mimeType": "text/csv", "buffer": b"naam;e-mail\nEva Smit;eva@example.org\n"}]
    )
    page.get_by_role("button", name="Voorvertoning bekijken").click()
    expect(page.locator("[data-line]").first).to_be_visible()
    contact = Contact.objects.first()
    page.goto(f"/admin/campaigns/contact/edit/{contact.pk}/")
    page.goto(f"/admin/campaigns/contact/history/{contact.pk}/")
    page.goto("/admin/campaigns/contact/create/")
    page.goto("/admin/campaigns/organisation/")
    page.goto("/admin/campaigns/organisation/create/")
    page.goto("/admin/campaigns/suppression/")
    page.goto("/admin/campaigns/suppression/create/")

    page.goto(f"/admin/pages/{call_with_audience.pk}/edit/")
    page.locator('[data-side-panel-toggle="preview"]').click()
    preview = page.frame_locator("#w-preview-iframe")
    expect(preview.locator("h1")).to_have_text(call_with_audience.title)
    watch.assert_clean()
