"""The admin screens an editor and a campaign manager use show no English, on the demo as ``seed_demo`` builds it.

Each screen's visible text (``innerText``: no attributes, no scripts, nothing
hidden) is searched for whole English words and phrases seen in the admin
before; every hit on every screen is reported at once.
"""

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from campaigns.factories import CampaignFactory
from campaigns.models import Contact, Organisation
from cms.demo import content
from cms.models import ArticlePage, CallForInputPage, ContactPerson, Persona
from tests.campaigns import ledger

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ENGLISH = [
    "Add",
    "Alt text",
    "Cancel",
    "Choices",
    "Choose",
    "Default value",
    "Delete",
    # Not "Document": the Dutch word is the same.
    "Documents",
    "Edit",
    "File",
    "Guide",
    "Help text",
    "Image",
    "Moderators approval",
    # Python's None where Wagtail lacks a name.
    "None",
    "Password",
    "Preview",
    "Publish",
    "Required",
    # The root page's title from Wagtail's migrations.
    "Root",
    "Save draft",
    "Search",
    "Settings",
    "Title",
    "Upload",
]
# Wagtail's Dutch catalogue had these wrong (half English, or not what the form builder does).
MISTRANSLATED = [
    "Alt tekst",
    "Door komma's gescheiden lijst met opties",
    "Multi select",
    "Titel tag",
    "Workflow taken",
]
UNWANTED = re.compile(
    r"\b(" + "|".join(re.escape(word) for word in ENGLISH + MISTRANSLATED) + r")\b", re.IGNORECASE
)
# Proper names that may stand in a Dutch sentence.
ALLOWED = [
    "Wagtail",
]


def english_in(text):
    """Every word or phrase of ENGLISH and MISTRANSLATED in ``text``, each with a few words around it."""
    for name in ALLOWED:
        text = text.replace(name, "")
    return [
        f"{match.group(0)!r} in “…{text[max(match.start() - 30, 0):match.end() + 30]}…”".replace("\n", " ")
        for match in UNWANTED.finditer(text)
    ]


class Walk:
    """Visits admin screens and keeps the English it sees on each."""

    def __init__(self, page):
        self.page = page
        self.found = {}

    def check(self, screen, selector="body"):
        """Note the English in the visible text of ``selector`` (the whole page by default)."""
        texts = self.page.locator(selector).evaluate_all("nodes => nodes.map(node => node.innerText)")
        for hit in english_in("\n".join(texts)):
            self.found.setdefault(hit, screen)

    def visit(self, screen, url):
        response = self.page.goto(url)
        assert response.ok, f"{screen}: {url} answered {response.status}"
        self.check(screen)

    def assert_dutch(self):
        hits = [f"{screen}: {hit}" for hit, screen in self.found.items()]
        assert not hits, f"{len(hits)} English word(s) in the admin:\n" + "\n".join(hits)


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=io.StringIO())


def log_in(walk, username):
    page = walk.page
    page.goto("/admin/login/")
    walk.check("login page")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(content.DEMO_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    walk.check("dashboard")


def check_sidebar_menus(walk):
    """Open each menu of the sidebar (reports, help, the user's own) and check what it shows."""
    page = walk.page
    sidebar = page.locator("[data-wagtail-sidebar]")
    user_menu = sidebar.locator(".sidebar-footer button").first
    for button in [*sidebar.locator(".sidebar-sub-menu-item > button").all(), user_menu]:
        button.click()
        walk.check(f"sidebar menu {button.inner_text().strip()!r}", "[data-wagtail-sidebar]")
        page.keyboard.press("Escape")


def check_every_tab(walk, screen):
    """Click through the editor's tabs: a hidden tab's text is not visible text."""
    page = walk.page
    for tab in page.get_by_role("tab").all():
        tab.click()
        walk.check(f"{screen}, tab {tab.inner_text().strip()}")


def check_chooser(walk, screen, field):
    """Open the actions of a chosen item in ``field``, then its chooser, and check both."""
    page = walk.page
    field.get_by_role("button", name="Acties").click()
    walk.check(f"{screen}, actions", "[data-w-dropdown-target=content]:visible")
    field.locator(".chosen [data-chooser-action-choose]").click()
    modal = page.locator(".modal-dialog")
    expect(modal.locator(".modal-body .listing, .modal-body table").first).to_be_visible()
    walk.check(screen, ".modal-dialog")
    modal.locator("[data-bs-dismiss=modal], [data-dismiss=modal], button.close").first.click()
    expect(modal).to_be_hidden()


def check_page_editor(walk, screen, page_object):
    page = walk.page
    walk.visit(screen, f"/admin/pages/{page_object.pk}/edit/")
    page.get_by_role("button", name="Meer acties").click()
    walk.check(f"{screen}, action menu")
    page.keyboard.press("Escape")
    check_every_tab(walk, screen)


def walk_as_editor(walk):
    page = walk.page
    log_in(walk, "redacteur")
    check_sidebar_menus(walk)
    walk.visit("page explorer", "/admin/pages/")
    article = ArticlePage.objects.get(slug=content.MAIN_ARTICLE_SLUG)
    walk.visit("page explorer of the articles", f"/admin/pages/{article.get_parent().pk}/")
    walk.visit("page search", "/admin/pages/search/?q=zorg")

    check_page_editor(walk, "article editor", article)
    page.get_by_role("tab", name="Inhoud").click()
    walk.check("article editor, image block", "[data-contentpath=image]")
    check_chooser(walk, "image chooser", page.locator("[data-contentpath=image] .w-field--admin_image_chooser").first)
    walk.check("article editor, document block", "[data-contentpath=document]")
    check_chooser(walk, "document chooser", page.locator(".w-field--document_chooser_widget").first)

    # Its form fields' help texts: Wagtail's Dutch said choices are comma-separated; they are one per line.
    check_page_editor(walk, "call editor", CallForInputPage.objects.get(slug=content.CALL_SLUG))

    walk.visit("images", "/admin/images/")
    walk.visit("documents", "/admin/documents/")
    walk.visit("contact persons", "/admin/snippets/cms/contactperson/")
    walk.visit("contact person", f"/admin/snippets/cms/contactperson/edit/{ContactPerson.objects.first().pk}/")
    walk.visit("personas", "/admin/snippets/cms/persona/")
    walk.visit("persona", f"/admin/snippets/cms/persona/edit/{Persona.objects.first().pk}/")


def walk_as_campaign_manager(walk):
    call = CallForInputPage.objects.get(slug=content.CALL_SLUG)
    draft = CampaignFactory(call_page=call, name="Najaar")
    launched = CampaignFactory(call_page=call, name="Voorjaar")
    ledger.start(launched)
    ledger.recipient(launched, "Anna de Boer", answered=True, consent=True)
    log_in(walk, "campagnebeheerder")
    check_sidebar_menus(walk)
    walk.visit("campaigns", reverse("campaigns:index"))
    walk.visit("new campaign", reverse("campaigns:add"))
    walk.visit("new campaign for a call", reverse("campaigns:add") + f"?call={call.pk}")
    walk.visit("campaign", reverse("campaigns:edit", args=[draft.pk]))
    walk.visit("campaign overview", reverse("campaigns:overview", args=[draft.pk]))
    walk.visit("campaign preview", reverse("campaigns:preview", args=[draft.pk]))
    walk.visit("campaign progress", reverse("campaigns_progress", args=[launched.pk]))
    walk.visit("campaign results", reverse("campaigns_results", args=[launched.pk]))
    walk.visit("contacts", reverse("campaigns_contact_modeladmin_index"))
    walk.visit("contact", reverse("campaigns_contact_modeladmin_edit", args=[Contact.objects.first().pk]))
    walk.visit("contact import", reverse("campaigns_contact_modeladmin_import"))
    walk.visit("organisations", reverse("campaigns_organisation_modeladmin_index"))
    organisation = Organisation.objects.first()
    walk.visit("organisation", reverse("campaigns_organisation_modeladmin_edit", args=[organisation.pk]))
    walk.visit("organisation import", reverse("campaigns_organisation_modeladmin_import"))
    walk.visit("blocked addresses", reverse("campaigns_suppression_modeladmin_index"))
    walk.visit("new blocked address", reverse("campaigns_suppression_modeladmin_create"))


def test_an_editor_and_a_campaign_manager_see_the_admin_in_dutch(page, demo):
    """One test for both roles: seeding the demo and the live server's database cost more than the walk."""
    page.set_default_timeout(15_000)
    walk = Walk(page)
    walk_as_editor(walk)
    page.context.clear_cookies()
    walk_as_campaign_manager(walk)
    walk.assert_dutch()
