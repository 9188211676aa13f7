"""``manage.py seed_demo``: a believable demo site, and a second run changes nothing."""

import re

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import models as db_models
from django.urls import reverse
from taggit.models import Tag
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, Revision, Task, Workflow

from campaigns.models import Campaign, Delivery, Suppression
from cms import models
from cms.demo import content
from newsletter.models import ConsentRecord, ConsentText, IssueMailing, NewsletterIssuePage, Subscriber, Topic
from tests.seeded_demo import seed, seeded, seeded_once  # noqa: F401 (fixtures)

EMAIL = re.compile(r"[\w.+-]+@([\w-]+(?:\.[\w-]+)+)")


def snapshot():
    """Counts and stored values that a second run must leave exactly as they were."""
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "images": get_image_model().objects.count(),
        "documents": get_document_model().objects.count(),
        "contact persons": models.ContactPerson.objects.count(),
        "personas": models.Persona.objects.count(),
        "users": get_user_model().objects.count(),
        "tags": Tag.objects.count(),
        "form fields": models.CallFormField.objects.count(),
        "article persona links": models.ArticlePersonaLink.objects.count(),
        "call persona links": models.CallPersonaLink.objects.count(),
        "related pages": models.ArticleRelatedPage.objects.count(),
        "deadlines": list(models.CallForInputPage.objects.order_by("pk").values_list("deadline", flat=True)),
        "article dates": list(models.ArticlePage.objects.order_by("pk").values_list("date", flat=True)),
        "live revisions": list(Page.objects.order_by("pk").values_list("live_revision_id", flat=True)),
        "topics": Topic.objects.count(),
        "consent texts": ConsentText.objects.count(),
        "subscribers": list(Subscriber.objects.order_by("email").values_list("email", "status")),
        "consent records": ConsentRecord.objects.count(),
        "mailings": IssueMailing.objects.count(),
        "deliveries": Delivery.objects.count(),
        "suppressions": Suppression.objects.count(),
        "group permissions": sorted(Group.objects.values_list("name", "permissions")),
    }


def test_second_run_changes_nothing(seeded):
    before = snapshot()

    output = seed()

    assert snapshot() == before
    assert "Nothing changed" in output


def test_first_run_reports_what_it_made_and_the_login(seeded):
    assert "Demo content ready" in seeded
    assert "6 articles" in seeded and "2 good examples" in seeded
    assert "redacteur" in seeded and content.DEMO_PASSWORD in seeded


def test_every_page_is_published_with_a_revision(seeded):
    pages = Page.objects.filter(depth__gt=1)
    assert pages.count() == 18
    for page in pages:
        assert page.live and page.live_revision_id, page.slug
        assert not page.has_unpublished_changes, page.slug


def test_articles_are_dated_themed_and_illustrated(seeded):
    articles = models.ArticlePage.objects.live()
    assert len({article.date for article in articles}) == articles.count() == 6
    for article in articles:
        assert article.listing_image is not None
        assert article.tags.exists()
        assert article.related_page_links.exists()
        assert article.first_published_at.date() == article.date
    assert set(Tag.objects.values_list("name", flat=True)) == {
        "sociaal domein",
        "mantelzorg",
        "ouderenzorg",
        "geestelijke verzorging",
        "gemeenten",
        "goede voorbeelden",
    }


def test_main_article_uses_every_block_type_but_video(seeded):
    article = models.ArticlePage.objects.get(slug=content.MAIN_ARTICLE_SLUG)
    block_types = {block.block_type for block in article.body}

    assert block_types == {"heading", "paragraph", "quote", "image", "document", "call_to_action"}
    image = next(block.value for block in article.body if block.block_type == "image")
    assert image["image"].contextual_alt_text and image["caption"]
    button = next(block.value for block in article.body if block.block_type == "call_to_action")
    assert button["page"].slug == content.CALL_SLUG


def test_one_call_is_open_and_one_is_closed(seeded):
    open_call = models.CallForInputPage.objects.get(slug=content.CALL_SLUG)
    closed_call = models.CallForInputPage.objects.get(slug=content.CLOSED_CALL_SLUG)

    assert open_call.is_open and not closed_call.is_open
    assert {field.field_type for field in open_call.form_fields.all()} >= {
        "singleline", "email", "dropdown", "multiline", "date", "radio", "checkboxes"
    }
    assert open_call.persona_links.count() == 3
    assert open_call.contact_person.email.endswith("@example.org")


def test_personas_come_with_a_real_pdf_and_an_image(seeded):
    personas = models.Persona.objects.all()
    assert {persona.condition for persona in personas} == {"Parkinson", "COPD", "Mantelzorg"}
    for persona in personas:
        assert persona.image is not None
        with persona.document.open_file() as pdf:
            assert pdf.read(4) == b"%PDF"


def test_demo_users_can_log_in_to_the_admin(seeded, client):
    User = get_user_model()
    assert User.objects.get(username="beheerder").is_superuser
    assert User.objects.get(username="redacteur").groups.filter(name="Editors").exists()

    login = client.post(reverse("wagtailadmin_login"), {"username": "redacteur", "password": content.DEMO_PASSWORD})
    assert login.status_code == 302
    assert client.get("/admin/").status_code == 200
    assert not User.objects.get(username="redacteur").has_perm("campaigns.launch_campaign")
    assert User.objects.get(username="campagnebeheerder").has_perm("campaigns.launch_campaign")


def test_editors_publish_without_a_moderator_and_no_workflow_speaks_english(seeded):
    assert not Workflow.objects.filter(active=True).exists()
    names = [*Workflow.objects.values_list("name", flat=True), *Task.objects.values_list("name", flat=True)]
    assert names and not any("approval" in name or "Moderators" in name for name in names)
    home = models.HomePage.objects.get()
    for username in ("redacteur", "campagnebeheerder"):
        assert home.permissions_for_user(get_user_model().objects.get(username=username)).can_publish(), username


def test_good_examples_are_there_for_the_one_click_drafts(seeded, client):
    index = models.ExampleIndexPage.objects.get()
    examples = models.ExamplePage.objects.child_of(index).live()
    assert examples.count() == len(content.EXAMPLES) == 2

    listing = client.get(index.url).text
    for example in examples:
        assert example.title in listing and example.organisation_name in listing
        assert example.intro in client.get(example.url).text


def test_no_email_address_outside_example_org(seeded):
    domains = set()
    for model in apps.get_models():
        text_fields = [
            field.name
            for field in model._meta.concrete_fields
            if isinstance(field, (db_models.CharField, db_models.TextField, db_models.JSONField))
        ]
        for row in model.objects.values_list(*text_fields) if text_fields else []:
            for value in row:
                domains.update(match.group(1).lower() for match in EMAIL.finditer(str(value)))
    assert domains == {"example.org"}


def test_home_page_shows_the_open_call(seeded, client):
    response = client.get("/")

    assert response.status_code == 200
    assert "Oproep nieuwe initiatieven voor project Zorg en Welzijn" in response.text


def test_accessibility_statement_is_published(seeded, client):
    response = client.get("/toegankelijkheid/")

    assert response.status_code == 200
    assert "WCAG" in response.text and "toegankelijkheid@example.org" in response.text


def test_every_demo_page_renders(seeded, client):
    for page in Page.objects.live().filter(depth__gt=1):
        assert client.get(page.url).status_code == 200, page.url


def test_newsletter_has_its_topics_and_a_consent_text_pointing_to_the_privacy_statement(seeded, client):
    assert list(Topic.objects.values_list("name", flat=True)) == [
        "Algemene nieuwsbrief",
        "Zorg en welzijn",
        "Netwerken palliatieve zorg",
    ]
    consent_text = ConsentText.current()
    assert consent_text.version == 1
    privacy = client.get(consent_text.privacy_page.url)
    assert privacy.status_code == 200 and "Privacyverklaring" in privacy.text
    assert consent_text.text in client.get("/nieuwsbrief/aanmelden/").text


def test_subscribers_are_confirmed_pending_or_unsubscribed_each_with_proof_of_consent(seeded):
    statuses = sorted(Subscriber.objects.values_list("status", flat=True))
    assert statuses.count(Subscriber.Status.CONFIRMED) >= 3
    assert statuses.count(Subscriber.Status.PENDING) == 1
    assert statuses.count(Subscriber.Status.UNSUBSCRIBED) == 1
    for subscriber in Subscriber.objects.all():
        record = subscriber.consents.get()
        assert record.consent_text == ConsentText.current() and record.topic_names, subscriber.email
        assert (record.confirmed_at is not None) == (subscriber.status != Subscriber.Status.PENDING)
        # The subscribers list shows when each signed up: before they confirmed, as it happened.
        assert subscriber.created_at == record.requested_at, subscriber.email
        if subscriber.confirmed_at:
            assert subscriber.created_at < subscriber.confirmed_at, subscriber.email
    pending = Subscriber.objects.get(status=Subscriber.Status.PENDING)
    assert not pending.topics.exists()
    left = Subscriber.objects.get(status=Subscriber.Status.UNSUBSCRIBED)
    assert not left.topics.exists()
    assert Suppression.objects.blocking(Suppression.Scope.NEWSLETTER).for_addresses([left.email]).exists()


def test_one_sent_issue_is_in_the_archive_with_its_mailing(seeded, client):
    issue = NewsletterIssuePage.objects.live().get()
    teasers = [block.value["page"].specific for block in issue.body if block.block_type == "page_teaser"]
    assert {type(page) for page in teasers} == {models.ArticlePage, models.CallForInputPage}
    assert issue.title in client.get(issue.get_parent().url).text

    mailing = IssueMailing.objects.get(issue=issue)
    assert mailing.campaign.kind == Campaign.Kind.NEWSLETTER
    assert mailing.campaign.status == Campaign.Status.SENT
    assert mailing.revision_id == issue.live_revision_id
    wanted = set(
        Subscriber.objects.filter(status=Subscriber.Status.CONFIRMED, topics__in=mailing.topics.all()).values_list("email", flat=True)
    )
    deliveries = Delivery.objects.filter(message__campaign=mailing.campaign)
    assert {delivery.recipient.email for delivery in deliveries} == wanted and wanted
    assert set(deliveries.values_list("status", flat=True)) == {Delivery.Status.SENT}
    assert all(delivery.sent_at for delivery in deliveries)


def test_editors_manage_topics_and_consent_texts_and_managers_see_subscribers(seeded):
    editor = get_user_model().objects.get(username="redacteur")
    manager = get_user_model().objects.get(username="campagnebeheerder")
    assert editor.has_perm("newsletter.add_topic") and editor.has_perm("newsletter.change_topic")
    assert editor.has_perm("newsletter.add_consenttext")
    assert not editor.has_perm("newsletter.view_subscriber")
    assert manager.has_perm("newsletter.view_subscriber")
