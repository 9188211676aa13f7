"""Builds the demo site from ``cms.demo.content`` with the project's factories.

Every object is looked up (by slug, title, name, e-mail or username) before it
is made, and nothing that exists is changed, so a second run is a no-op. Dates
that depend on "now" (article dates, call deadlines) are fixed at the first run.
"""

import datetime
from collections import Counter

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import dateformat, timezone, translation
from django.utils.text import slugify
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import GroupPagePermission, Page, Revision, Site, Task, Workflow
from wagtail.rich_text import RichText

from campaigns.demo import seed_contacts
from cms import factories, models

from . import content
from .newsletter import NewsletterSeeder

CAMPAIGN_MANAGERS_GROUP = "Campagnebeheerders"
CAMPAIGN_MANAGER_MODELS = ["campaign", "contact", "organisation", "suppression"]
# Editors manage the newsletter's topics and consent texts; campaign managers see its subscribers.
EDITOR_NEWSLETTER_MODELS = ["topic", "consenttext"]
CAMPAIGN_MANAGER_NEWSLETTER_PERMISSIONS = ["view_subscriber"]
# Wagtail's migrations make this workflow (and a task of the same name) for its Moderators group.
WAGTAIL_DEFAULT_WORKFLOW = "Moderators approval"
DUTCH_DEFAULT_WORKFLOW = "Goedkeuring door moderatoren"


def create_demo_groups():
    """The demo's roles (DESIGN.md, "The people"), made once; returns what was made, counted by kind.

    The tests build their roles with it too.
    """
    created = Counter()
    if create_campaign_groups():
        created["groups"] += 1
    if let_editors_publish():
        created["page permissions"] += 1
    granted = grant_newsletter_permissions()
    if granted:
        created["group permissions"] += granted
    return created


def grant_newsletter_permissions():
    """The newsletter's rights for editors and campaign managers, also in a demo seeded before it existed.

    Returns how many rights were missing and are now granted.
    """
    newsletter = Permission.objects.filter(content_type__app_label="newsletter")
    wanted = {
        Group.objects.get(name=content.EDITORS_GROUP): newsletter.filter(content_type__model__in=EDITOR_NEWSLETTER_MODELS),
        Group.objects.get(name=CAMPAIGN_MANAGERS_GROUP): newsletter.filter(codename__in=CAMPAIGN_MANAGER_NEWSLETTER_PERMISSIONS),
    }
    granted = 0
    for group, permissions in wanted.items():
        missing = list(permissions.exclude(group=group))
        group.permissions.add(*missing)
        granted += len(missing)
    return granted


def let_editors_publish():
    """Editors publish their pages themselves: no moderator stands between them and the site.

    Gives Wagtail's "Editors" group the publish permission on the root page
    and switches off the moderation workflow Wagtail put on the root, with
    its name in Dutch should anyone switch it on again. Does this once;
    returns whether it did.
    """
    root = Page.get_first_root_node()
    editors = Group.objects.get(name=content.EDITORS_GROUP)
    publish = Permission.objects.get(content_type__app_label="wagtailcore", codename="publish_page")
    _, created = GroupPagePermission.objects.get_or_create(group=editors, page=root, permission=publish)
    if not created:
        return False
    Workflow.objects.filter(name=WAGTAIL_DEFAULT_WORKFLOW).update(name=DUTCH_DEFAULT_WORKFLOW)
    Task.objects.filter(name=WAGTAIL_DEFAULT_WORKFLOW).update(name=DUTCH_DEFAULT_WORKFLOW)
    for workflow in Workflow.objects.filter(workflow_pages__page=root, active=True):
        workflow.deactivate()
    return True


def create_campaign_groups():
    """"Campagnebeheerders" may launch mailings and manage contacts; editors may prepare campaigns.

    Creates the group and grants the editors their campaign rights once;
    returns whether it did.
    """
    group, created = Group.objects.get_or_create(name=CAMPAIGN_MANAGERS_GROUP)
    if not created:
        return False
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="campaigns", content_type__model__in=CAMPAIGN_MANAGER_MODELS),
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
    )
    Group.objects.get(name=content.EDITORS_GROUP).permissions.add(
        *Permission.objects.filter(content_type__app_label="campaigns", codename__in=["add_campaign", "change_campaign"])
    )
    return True


class DemoSeeder:
    """Creates what is missing and counts what it created, by kind."""

    def __init__(self):
        self.created = Counter()
        self.now = timezone.now()
        self.pages = {}

    def run(self):
        with transaction.atomic():
            home, article_index, call_index = self.site_tree()
            contacts = {spec["name"]: self.contact_person(spec) for spec in content.CONTACT_PERSONS}
            personas = {spec["name"]: self.persona(spec) for spec in content.PERSONAS}
            for title, lines in content.DOCUMENTS.items():
                self.document(title, lines)
            for spec in content.CALLS:
                self.call(call_index, spec, contacts, personas)
            for spec in content.ARTICLES:
                self.article(article_index, spec, contacts, personas)
            self.accessibility_statement(home)
            self.good_examples(home)
            self.created.update(create_demo_groups())
            for spec in content.USERS:
                self.user(spec)
            NewsletterSeeder(self).run(home)
        return self.created

    # Site structure

    def site_tree(self):
        existing = set(Page.objects.values_list("pk", flat=True))
        home, article_index, call_index = factories.build_site_tree()
        new_pages = Page.objects.exclude(pk__in=existing).count()
        if new_pages:
            self.created["pages"] += new_pages
        site = Site.objects.get(root_page=home)
        if not site.site_name:
            site.site_name = content.SITE_NAME
            site.save(update_fields=["site_name"])
            self.created["site names"] += 1
        self.first_publish(home, content.HOME_INTRO)
        self.first_publish(article_index, content.ARTICLE_INDEX_INTRO)
        self.first_publish(call_index, content.CALL_INDEX_INTRO)
        return home, article_index, call_index

    def first_publish(self, page, intro):
        """Give a page made by ``build_site_tree`` (no revision yet) our intro and publish it."""
        if page.live_revision_id:
            return
        page.intro = intro
        self.publish(page)

    def publish(self, page, published_at=None):
        """Save a revision and publish it, dated ``published_at`` (default: now)."""
        if published_at:
            page.first_published_at = published_at
        revision = page.save_revision()
        revision.publish()
        if published_at:
            Page.objects.filter(pk=page.pk).update(last_published_at=published_at, latest_revision_created_at=published_at)
            Revision.objects.filter(pk=revision.pk).update(created_at=published_at)
        self.created["revisions"] += 1

    def existing_page(self, model, parent, slug):
        page = model.objects.child_of(parent).filter(slug=slug).first()
        if page:
            self.pages[slug] = page
        return page

    def created_page(self, page):
        self.pages[page.slug] = page
        self.created["pages"] += 1
        return page

    # Media and snippets

    def image(self, title):
        image = get_image_model().objects.filter(title=title).first()
        if image is None:
            color, label = content.IMAGES[title]
            image = factories.ImageFactory(
                title=title, file=ContentFile(factories.make_image(color, label=label), name=f"{slugify(title)}.png")
            )
            self.created["images"] += 1
        return image

    def document(self, title, lines):
        document = get_document_model().objects.filter(title=title).first()
        if document is None:
            document = factories.DocumentFactory(
                title=title, file=ContentFile(factories.make_pdf(title, lines), name=f"{slugify(title)}.pdf")
            )
            self.created["documents"] += 1
        return document

    def contact_person(self, spec):
        person = models.ContactPerson.objects.filter(email=spec["email"]).first()
        if person is None:
            person = factories.ContactPersonFactory(**spec)
            self.created["contact persons"] += 1
        return person

    def persona(self, spec):
        persona = models.Persona.objects.filter(name=spec["name"]).first()
        if persona is None:
            title = f"Persona {spec['name']} ({spec['condition']})"
            persona = factories.PersonaFactory(
                name=spec["name"],
                condition=spec["condition"],
                summary=spec["summary"],
                image=self.image(spec["image"]),
                document=self.document(title, spec["pdf_lines"]),
            )
            self.created["personas"] += 1
        return persona

    def user(self, spec):
        User = get_user_model()
        if User.objects.filter(username=spec["username"]).exists():
            return
        fields = {"email": spec["email"], "first_name": spec["first_name"], "last_name": "(demo)"}
        # None gives an unusable password: nobody logs in with it until an operator sets one.
        password = content.DEMO_PASSWORD if settings.DEMO_PASSWORDS_ALLOWED else None
        if spec["superuser"]:
            User.objects.create_superuser(spec["username"], password=password, **fields)
        else:
            user = User.objects.create_user(spec["username"], password=password, **fields)
            user.groups.add(Group.objects.get(name=content.EDITORS_GROUP))
            if spec.get("campaign_manager"):
                user.groups.add(Group.objects.get(name=CAMPAIGN_MANAGERS_GROUP))
        self.created["users"] += 1

    # Pages

    def stream(self, body):
        """StreamField data for a body written as small tuples (see ``cms.demo.content``)."""
        blocks = []
        for kind, *args in body:
            if kind == "heading":
                text, level = (args + ["h2"])[:2]
                blocks.append(("heading", {"text": text, "level": level}))
            elif kind == "paragraph":
                blocks.append(("paragraph", RichText(args[0])))
            elif kind == "quote":
                blocks.append(("quote", {"quote": args[0], "attribution": args[1]}))
            elif kind == "image":
                title, alt_text, caption = args
                image = {"image": self.image(title), "alt_text": alt_text, "decorative": False}
                blocks.append(("image", {"image": image, "caption": caption}))
            elif kind == "document":
                title, link_text = args
                document = get_document_model().objects.get(title=title)
                blocks.append(("document", {"document": document, "title": link_text}))
            elif kind == "call_to_action":
                text, slug = args
                blocks.append(("call_to_action", {"text": text, "page": self.pages[slug], "url": ""}))
            else:
                raise ValueError(f"Unknown demo block {kind!r}")
        return blocks

    def call(self, call_index, spec, contacts, personas):
        if self.existing_page(models.CallForInputPage, call_index, spec["slug"]):
            return
        deadline = timezone.localtime(self.now + datetime.timedelta(days=spec["deadline_days"])).replace(
            hour=17, minute=0, second=0, microsecond=0
        )
        page = factories.CallForInputPageFactory(
            parent=call_index,
            slug=spec["slug"],
            title=spec["title"],
            intro=spec["intro"],
            deadline=deadline,
            body=self.stream(spec["body"]),
            form_intro=spec["form_intro"],
            thank_you_text=spec["thank_you_text"],
            contact_person=contacts[spec["contact"]],
            form_fields=factories.STANDARD_FORM_FIELDS + spec["extra_form_fields"],
        )
        page.persona_links = [models.CallPersonaLink(persona=personas[name]) for name in spec["personas"]]
        published_at = min(self.now, deadline - datetime.timedelta(days=42))
        self.publish(page, published_at)
        self.created_page(page)

    def article(self, article_index, spec, contacts, personas):
        if self.existing_page(models.ArticlePage, article_index, spec["slug"]):
            return
        date = timezone.localdate(self.now) - datetime.timedelta(days=spec["days_ago"])
        page = factories.ArticlePageFactory(
            parent=article_index,
            slug=spec["slug"],
            title=spec["title"],
            intro=spec["intro"],
            date=date,
            listing_image=self.image(spec["image"]),
            body=self.stream(spec["body"]),
            contact_person=contacts[spec["contact"]],
        )
        page.tags.add(*spec["tags"])
        page.persona_links = [models.ArticlePersonaLink(persona=personas[name]) for name in spec["personas"]]
        page.related_page_links = [models.ArticleRelatedPage(related_page=self.pages[slug]) for slug in spec["related"]]
        published_at = timezone.make_aware(datetime.datetime.combine(date, datetime.time(9, 30)))
        self.publish(page, min(published_at, self.now))
        self.created_page(page)

    def accessibility_statement(self, home):
        spec = content.ACCESSIBILITY
        if self.existing_page(models.StandardPage, home, spec["slug"]):
            return
        with translation.override("nl"):
            today = dateformat.format(timezone.localdate(self.now), "j F Y")
        body = [(kind, *(arg.replace("{date}", today) for arg in args)) for kind, *args in spec["body"]]
        page = factories.StandardPageFactory(
            parent=home, slug=spec["slug"], title=spec["title"], intro=spec["intro"], body=self.stream(body)
        )
        self.publish(page)
        self.created_page(page)

    def good_examples(self, home):
        """The "Goede voorbeelden" index, where "Maak goed voorbeeld" puts its drafts, with a few published ones."""
        spec = content.EXAMPLE_INDEX
        index = self.existing_page(models.ExampleIndexPage, home, spec["slug"])
        if index is None:
            index = models.ExampleIndexPage(title=spec["title"], slug=spec["slug"], intro=spec["intro"])
            home.add_child(instance=index)
            self.publish(index)
            self.created_page(index)
        for spec in content.EXAMPLES:
            if self.existing_page(models.ExamplePage, index, spec["slug"]):
                continue
            page = index.add_child(
                instance=models.ExamplePage(
                    title=spec["title"],
                    slug=spec["slug"],
                    intro=spec["intro"],
                    organisation_name=spec["organisation_name"],
                    region=spec["region"],
                    body=self.stream(spec["body"]),
                )
            )
            self.publish(page, self.now - datetime.timedelta(days=spec["days_ago"]))
            self.created_page(page)


def accounts_with_published_password():
    """Usernames of demo accounts that still open with ``content.DEMO_PASSWORD``."""
    usernames = [spec["username"] for spec in content.USERS]
    users = get_user_model().objects.filter(username__in=usernames).order_by("username")
    return [user.username for user in users if user.check_password(content.DEMO_PASSWORD)]


def seed_demo():
    """Create the demo site and contacts where missing; returns what was created, counted by kind."""
    created = DemoSeeder().run()
    created.update(seed_contacts())
    return created
