"""Who may open and post every admin URL of the project's own apps, generated from the URL configuration.

Every admin URL whose view lives in ``campaigns``, ``cms`` or ``newsletter``
(or is named ``campaigns…`` or ``newsletter…``), the newsletter's snippets
and Wagtail's form submissions must have a row in MATRIX:
a new URL without one fails ``test_every_project_admin_url_has_a_row``. Each
row gives the expected answer per role for GET and, for views that change
something, for POST; a refused POST must leave everything as it was.
"""

import inspect

import pytest
from django.core import mail
from django.db import transaction
from django.urls import URLResolver, get_resolver, reverse

from campaigns.factories import CampaignFactory, ContactFactory, OrganisationFactory
from campaigns.models import Campaign, Contact, Delivery, Organisation, Recipient, Suppression
from cms.factories import build_site_tree
from cms.models import CallResponse, ExampleIndexPage, ExamplePage
from newsletter.factories import (
    ConsentTextFactory,
    NewsletterIndexPageFactory,
    NewsletterIssuePageFactory,
    SubscriberFactory,
    TopicFactory,
)
from newsletter.models import ConsentRecord, ConsentText, IssueMailing, NewsletterIssuePage, Subscriber, Topic
from tests.campaigns import ledger

from .roles import make_call_page, make_user

USERS = ("anonymous", "editor", "campaign_manager", "manager_without_pages", "superuser")

OK = 200
LOGIN = "login"  # redirected to the admin login
DENIED = "denied"  # 403, or Wagtail's redirect to the dashboard with "no permission"
MOVED = 302  # a redirect elsewhere: done, or sent back with a message
NOT_ALLOWED = 405  # the wrong method


def row(kwargs=None, get=None, post=None, query=None, data=None):
    """A row of the matrix; ``get`` and ``post`` list the expected answer per role, in the order of USERS."""
    return {
        "kwargs": kwargs or (lambda world: {}),
        "query": query or (lambda world: ""),
        "data": data or {},
        "get": dict(zip(USERS, get, strict=True)),
        "post": dict(zip(USERS, post, strict=True)) if post else None,
    }


def draft(world):
    return {"pk": world["draft"].pk}


def sending(world):
    return {"pk": world["sending"].pk}


def paused(world):
    return {"pk": world["paused"].pk}


def contact(world):
    return {"instance_pk": world["contact"].pk}


def organisation(world):
    return {"instance_pk": world["organisation"].pk}


def suppression(world):
    return {"instance_pk": world["suppression"].pk}


def call(world):
    return {"page_id": world["call"].pk}


def answer(world):
    return {"response_pk": world["answer"].pk}


def archive(world):
    return {"page_id": world["archive"].pk}


def issue(world):
    return {"page_id": world["issue"].pk}


def pause_mailing(world):
    return {"pk": world["mailing"].campaign_id, "action": "pauzeren"}


def subscriber(world):
    return {"instance_pk": world["subscriber"].pk}


def topic(world):
    return {"pk": world["topic"].pk}


def consent_text(world):
    return {"pk": world["consent_text"].pk}


def export_csv(world):
    return "?export=csv"


def export_xlsx(world):
    return "?export=xlsx"


def mail_alone(world):
    return "?html=1"


def selected_submission(world):
    return f"?selected-submissions={world['answer'].pk}"


#            anonymous  editor  manager  no pages  superuser
EVERYONE = (LOGIN, OK, OK, OK, OK)
MANAGERS = (LOGIN, DENIED, OK, OK, OK)
READERS = (LOGIN, OK, OK, DENIED, OK)
NOBODY = (LOGIN, DENIED, DENIED, DENIED, DENIED)
# Who may launch mailings: the campaign managers, with or without rights on pages.
SENDERS = (LOGIN, DENIED, OK, OK, OK)
# Who has the rights of Wagtail's Editors group (pages, and the newsletter's topics and consent texts).
EDITORS = (LOGIN, OK, OK, DENIED, OK)
POST_ONLY = (LOGIN, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED)

MATRIX = {
    # Campaign screens (Wagtail's model viewset and the project's own views).
    "campaigns:index": row(get=EVERYONE),
    "campaigns:index_results": row(get=EVERYONE),
    # An empty post is a form with errors: shown again, nothing saved.
    "campaigns:add": row(get=EVERYONE, post=EVERYONE),
    "campaigns:edit": row(draft, get=EVERYONE, post=EVERYONE),
    "campaigns:delete": row(draft, get=MANAGERS, post=(LOGIN, DENIED, MOVED, MOVED, MOVED)),
    "campaigns:history": row(draft, get=EVERYONE),
    "campaigns:history_results": row(draft, get=EVERYONE),
    "campaigns:usage": row(draft, get=EVERYONE),
    "campaigns:audience_count": row(get=EVERYONE),
    "campaigns:contact_search": row(get=EVERYONE),
    "campaigns:overview": row(draft, get=EVERYONE),
    "campaigns:preview": row(draft, get=EVERYONE),
    "campaigns:test_send": row(draft, get=POST_ONLY, post=(LOGIN, MOVED, MOVED, MOVED, MOVED)),
    "campaigns:launch": row(draft, get=(LOGIN, DENIED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED), post=(LOGIN, DENIED, MOVED, MOVED, MOVED), data={"bevestigd": "ja"}),
    "campaigns:pause": row(sending, get=MANAGERS, post=(LOGIN, DENIED, MOVED, MOVED, MOVED)),
    "campaigns:resume": row(paused, get=MANAGERS, post=(LOGIN, DENIED, MOVED, MOVED, MOVED)),
    "campaigns:cancel": row(draft, get=MANAGERS, post=(LOGIN, DENIED, MOVED, MOVED, MOVED)),
    "campaigns_progress": row(sending, get=EVERYONE),
    "campaigns_results": row(sending, get=EVERYONE),
    "campaigns_retry": row(sending, get=POST_ONLY, post=(LOGIN, DENIED, MOVED, MOVED, MOVED)),
    # Answers: exactly who may read the call's submissions (no right on any page: none on the answers).
    "campaigns_answers_csv": row(sending, get=READERS),
    "campaigns_answers_xlsx": row(sending, get=READERS),
    "campaigns_good_example": row(answer, get=POST_ONLY, post=(LOGIN, MOVED, MOVED, DENIED, MOVED)),
    # Contacts, organisations, blocked addresses: only for who manages contacts.
    "campaigns_contact_modeladmin_index": row(get=MANAGERS),
    "campaigns_contact_modeladmin_index?export=csv": row(get=MANAGERS, query=export_csv),
    "campaigns_contact_modeladmin_create": row(get=MANAGERS, post=MANAGERS),
    "campaigns_contact_modeladmin_edit": row(contact, get=MANAGERS, post=MANAGERS),
    "campaigns_contact_modeladmin_delete": row(contact, get=MANAGERS, post=(LOGIN, DENIED, MOVED, MOVED, MOVED)),
    "campaigns_contact_modeladmin_history": row(contact, get=MANAGERS),
    "campaigns_contact_modeladmin_import": row(get=MANAGERS, post=MANAGERS),
    # Without an uploaded file: back to the upload step.
    "campaigns_contact_modeladmin_import_preview": row(get=(LOGIN, DENIED, MOVED, MOVED, MOVED)),
    "campaigns_contact_modeladmin_import_confirm": row(
        get=(LOGIN, DENIED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED), post=(LOGIN, DENIED, MOVED, MOVED, MOVED)
    ),
    "campaigns_organisation_modeladmin_index": row(get=MANAGERS),
    "campaigns_organisation_modeladmin_create": row(get=MANAGERS, post=MANAGERS),
    "campaigns_organisation_modeladmin_edit": row(organisation, get=MANAGERS, post=MANAGERS),
    "campaigns_organisation_modeladmin_delete": row(organisation, get=MANAGERS, post=(LOGIN, DENIED, MOVED, MOVED, MOVED)),
    "campaigns_organisation_modeladmin_history": row(organisation, get=MANAGERS),
    "campaigns_organisation_modeladmin_import": row(get=MANAGERS, post=MANAGERS),
    "campaigns_organisation_modeladmin_import_preview": row(get=(LOGIN, DENIED, MOVED, MOVED, MOVED)),
    "campaigns_organisation_modeladmin_import_confirm": row(
        get=(LOGIN, DENIED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED), post=(LOGIN, DENIED, MOVED, MOVED, MOVED)
    ),
    "campaigns_suppression_modeladmin_index": row(get=MANAGERS),
    "campaigns_suppression_modeladmin_create": row(get=MANAGERS, post=MANAGERS),
    # A block is added or lifted, never edited.
    "campaigns_suppression_modeladmin_edit": row(suppression, get=NOBODY, post=NOBODY),
    # Lifting a block needs a note for the audit log.
    "campaigns_suppression_modeladmin_delete": row(
        suppression, get=MANAGERS, post=(LOGIN, DENIED, MOVED, MOVED, MOVED), data={"note": "Adres bestaat weer"}
    ),
    "campaigns_suppression_modeladmin_inspect": row(suppression, get=MANAGERS),
    # The newsletter's subscriber import (campaigns' import views): for who manages contacts.
    "newsletter_subscriber_modeladmin_import": row(get=MANAGERS, post=MANAGERS),
    "newsletter_subscriber_modeladmin_import_preview": row(get=(LOGIN, DENIED, MOVED, MOVED, MOVED)),
    "newsletter_subscriber_modeladmin_import_confirm": row(
        get=(LOGIN, DENIED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED), post=(LOGIN, DENIED, MOVED, MOVED, MOVED)
    ),
    "campaigns_suppression_modeladmin_history": row(suppression, get=MANAGERS),
    # Newsletter issues: drafting from new content needs the right to add a page under the archive.
    "newsletter_draft_issue": row(archive, get=EDITORS, post=(LOGIN, MOVED, MOVED, DENIED, MOVED)),
    # Sending and controlling a mailing need "Mag mailings versturen"; an incomplete post shows the form again.
    "newsletter_send": row(issue, get=SENDERS, post=SENDERS, data={"when": "nu", "bevestigd": "ja"}),
    "newsletter_mailings": row(get=EVERYONE),
    # Checking an issue and a test mail to oneself: for who may edit the issue; a refused test mail sends nothing.
    "newsletter_check": row(issue, get=EDITORS),
    "newsletter_check?html=1": row(issue, get=EDITORS, query=mail_alone),
    "newsletter_recheck": row(issue, get=(LOGIN, NOT_ALLOWED, NOT_ALLOWED, DENIED, NOT_ALLOWED), post=(LOGIN, MOVED, MOVED, DENIED, MOVED)),
    "newsletter_test_send": row(issue, get=(LOGIN, NOT_ALLOWED, NOT_ALLOWED, DENIED, NOT_ALLOWED), post=(LOGIN, MOVED, MOVED, DENIED, MOVED)),
    "newsletter_mailing_control": row(pause_mailing, get=SENDERS, post=(LOGIN, DENIED, MOVED, MOVED, MOVED)),
    # Subscribers: seen by who may see contact details; nobody creates, edits or deletes one here.
    "newsletter_subscriber_modeladmin_index": row(get=MANAGERS),
    "newsletter_subscriber_modeladmin_index?export=csv": row(get=MANAGERS, query=export_csv),
    "newsletter_subscriber_modeladmin_index?export=xlsx": row(get=MANAGERS, query=export_xlsx),
    "newsletter_subscriber_modeladmin_inspect": row(subscriber, get=MANAGERS),
    "newsletter_subscriber_modeladmin_history": row(subscriber, get=MANAGERS),
    "newsletter_subscriber_modeladmin_create": row(
        get=NOBODY, post=NOBODY, data={"email": "nieuw@example.org", "status": Subscriber.Status.CONFIRMED}
    ),
    "newsletter_subscriber_modeladmin_edit": row(
        subscriber, get=NOBODY, post=NOBODY, data={"email": "ander@example.org", "status": Subscriber.Status.UNSUBSCRIBED}
    ),
    "newsletter_subscriber_modeladmin_delete": row(subscriber, get=NOBODY, post=NOBODY),
    # Export or erase everything about one address: superusers and who may see contact details.
    "newsletter_personal_data": row(
        get=MANAGERS, post=(LOGIN, DENIED, MOVED, MOVED, MOVED), data={"email": "lezer@example.org", "action": "erase"}
    ),
    # Topics: managed by editors.
    "wagtailsnippets_newsletter_topic:list": row(get=EDITORS),
    "wagtailsnippets_newsletter_topic:list_results": row(get=EDITORS),
    "wagtailsnippets_newsletter_topic:add": row(
        get=EDITORS, post=(LOGIN, MOVED, MOVED, DENIED, MOVED), data={"name": "Mantelzorg", "slug": "mantelzorg", "sort_order": "4"}
    ),
    "wagtailsnippets_newsletter_topic:edit": row(
        topic, get=EDITORS, post=(LOGIN, MOVED, MOVED, DENIED, MOVED), data={"name": "Wijkzorg", "slug": "wijkzorg", "sort_order": "1"}
    ),
    "wagtailsnippets_newsletter_topic:delete": row(topic, get=EDITORS, post=(LOGIN, MOVED, MOVED, DENIED, MOVED)),
    "wagtailsnippets_newsletter_topic:copy": row(topic, get=EDITORS),
    "wagtailsnippets_newsletter_topic:usage": row(topic, get=EDITORS),
    "wagtailsnippets_newsletter_topic:history": row(topic, get=EDITORS),
    "wagtailsnippets_newsletter_topic:history_results": row(topic, get=EDITORS),
    # Consent texts: editors add a version; no one changes or deletes one, a superuser neither (proof of consent).
    "wagtailsnippets_newsletter_consenttext:list": row(get=EDITORS),
    "wagtailsnippets_newsletter_consenttext:list_results": row(get=EDITORS),
    "wagtailsnippets_newsletter_consenttext:add": row(
        get=EDITORS, post=(LOGIN, MOVED, MOVED, DENIED, MOVED), data={"text": "Ja, graag.", "privacy_statement_version": "2027-01"}
    ),
    "wagtailsnippets_newsletter_consenttext:edit": row(
        consent_text, get=NOBODY, post=NOBODY, data={"text": "Anders.", "privacy_statement_version": "2027-01"}
    ),
    "wagtailsnippets_newsletter_consenttext:delete": row(consent_text, get=NOBODY, post=NOBODY),
    "wagtailsnippets_newsletter_consenttext:inspect": row(consent_text, get=EDITORS),
    "wagtailsnippets_newsletter_consenttext:copy": row(consent_text, get=EDITORS),
    # Wagtail's usage screen asks for the right to change, which no one has on a consent text.
    "wagtailsnippets_newsletter_consenttext:usage": row(consent_text, get=NOBODY),
    "wagtailsnippets_newsletter_consenttext:history": row(consent_text, get=EDITORS),
    "wagtailsnippets_newsletter_consenttext:history_results": row(consent_text, get=EDITORS),
    # Wagtail's form submissions of the call.
    "wagtailforms:list_submissions": row(call, get=READERS),
    "wagtailforms:list_submissions?export=csv": row(call, get=READERS, query=export_csv),
    "wagtailforms:list_submissions_results": row(call, get=READERS),
    "wagtailforms:delete_submissions": row(
        call, get=READERS, post=(LOGIN, MOVED, MOVED, DENIED, MOVED), query=selected_submission
    ),
}


def walk(patterns, prefix="", namespace=None):
    """``(route, full name, callback)`` of every URL pattern under ``patterns``."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(filter(None, [namespace, pattern.namespace])) or None
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        else:
            name = ":".join(filter(None, [namespace, pattern.name]))
            yield prefix + str(pattern.pattern), name, pattern.callback


def view_modules(callback):
    """The modules a URL's view comes from, through Wagtail's and Django's decorators."""
    modules = set()
    for layer in (callback, inspect.unwrap(callback, stop=lambda f: hasattr(f, "view_class"))):
        view = getattr(layer, "view_class", None) or (type(layer.__self__) if inspect.ismethod(layer) else layer)
        modules.add(view.__module__)
    return modules


def project_admin_urls():
    urls = {}
    for route, name, callback in walk(get_resolver().url_patterns):
        if not route.startswith("admin/"):
            continue
        own = any(module.startswith(("campaigns.", "cms.", "newsletter.")) for module in view_modules(callback))
        named = name.startswith(("campaigns", "newsletter", "wagtailsnippets_newsletter_"))
        if own or named or (name.startswith("wagtailforms:") and "submissions" in name):
            urls[name] = route
    return urls


def test_every_project_admin_url_has_a_row():
    urls = project_admin_urls()
    missing = sorted(f"{name} ({route})" for name, route in urls.items() if name not in MATRIX)
    stale = sorted(name for name in MATRIX if name.split("?")[0] not in urls)

    assert "campaigns:launch" in urls and "campaigns_contact_modeladmin_history" in urls
    assert "newsletter_send" in urls and "wagtailsnippets_newsletter_consenttext:edit" in urls
    assert not missing, "admin URLs without a row in the permission matrix: " + ", ".join(missing)
    assert not stale, "rows in the permission matrix for URLs that no longer exist: " + ", ".join(stale)


def build_world():
    """One of each thing the admin URLs act on, and one user per role."""
    tree = build_site_tree()
    tree[0].add_child(instance=ExampleIndexPage(title="Goede voorbeelden", slug="goede-voorbeelden", intro="Initiatieven."))
    call_page = make_call_page(tree)
    network = OrganisationFactory(name="Netwerk Eemland", kind=Organisation.Kind.NETWORK)
    person = ContactFactory(name="Bram de Jong", organisation=network)
    block = Suppression.objects.create(email="geblokkeerd@example.org", reason=Suppression.Reason.MANUAL)
    running = CampaignFactory(call_page=call_page, name="Lopende campagne")
    message = ledger.start(running)
    anna = ledger.recipient(running, "Anna de Boer", answered=True, consent=True)
    ledger.deliver(message, anna, Delivery.Status.FAILED, error="550 onbekend adres")
    held = CampaignFactory(call_page=call_page, name="Gepauzeerde campagne")
    ledger.start(held, status=Campaign.Status.PAUSED)
    return {
        **build_newsletter(tree[0]),
        "call": call_page,
        "contact": person,
        "organisation": network,
        "suppression": block,
        "draft": CampaignFactory(call_page=call_page, name="Conceptcampagne"),
        "sending": running,
        "paused": held,
        "answer": anna.response,
        "users": {role: make_user(role) for role in USERS if role != "anonymous"},
    }


def build_newsletter(home):
    """The archive with a published issue under way to a topic, a consent text and a subscriber with proof of consent."""
    archive_page = NewsletterIndexPageFactory(parent=home)
    issue_page = NewsletterIssuePageFactory(parent=archive_page, title="Nieuwsbrief januari")
    issue_page.save_revision().publish()
    issue_page.refresh_from_db()
    general = TopicFactory(name="Algemene nieuwsbrief", slug="algemeen")
    text = ConsentTextFactory()
    reader = SubscriberFactory(email="lezer@example.org", name="Lotte Visser", topics=[general])
    ConsentRecord.objects.create(
        subscriber=reader, source=ConsentRecord.Source.SIGNUP_PAGE, consent_text=text, topic_names=[general.name]
    )
    campaign = Campaign.objects.create(
        kind=Campaign.Kind.NEWSLETTER,
        name="Nieuwsbrief: januari",
        invitation_subject="Nieuwsbrief januari",
        invitation_body="",
        status=Campaign.Status.SENDING,
    )
    mailing = IssueMailing.objects.create(campaign=campaign, issue=issue_page, revision=issue_page.live_revision)
    mailing.topics.set([general])
    return {"archive": archive_page, "issue": issue_page, "topic": general, "consent_text": text, "subscriber": reader, "mailing": mailing}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the module, in a transaction that each test's own (nested) transaction rolls back to."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


def snapshot():
    """Everything a POST to these URLs could change."""
    return {
        "campaigns": sorted(Campaign.objects.values_list("pk", "status")),
        "recipients": Recipient.objects.count(),
        "deliveries": sorted(Delivery.objects.values_list("pk", "status")),
        "contacts": sorted(Contact.objects.values_list("pk", "name", "email")),
        "organisations": sorted(Organisation.objects.values_list("pk", "name")),
        "suppressions": sorted(Suppression.objects.values_list("pk", "email")),
        "responses": CallResponse.objects.count(),
        "examples": ExamplePage.objects.count(),
        "mails": len(mail.outbox),
        "issues": sorted(NewsletterIssuePage.objects.values_list("pk", "live", "latest_revision_id")),
        "mailings": IssueMailing.objects.count(),
        "subscribers": sorted(Subscriber.objects.values_list("pk", "email", "name", "status")),
        "subscriber topics": Subscriber.topics.through.objects.count(),
        "consent records": ConsentRecord.objects.count(),
        "topics": sorted(Topic.objects.values_list("pk", "name", "slug")),
        "consent texts": sorted(ConsentText.objects.values_list("pk", "version", "text")),
    }


def log_in(client, world, role):
    if role != "anonymous":
        client.force_login(world["users"][role])


def answer_kind(response):
    if response.status_code == 302:
        location = response["Location"]
        if location.startswith(reverse("wagtailadmin_login")):
            return LOGIN
        if location == reverse("wagtailadmin_home"):
            return DENIED
        return MOVED
    if response.status_code == 403:
        return DENIED
    return response.status_code


CASES = [
    pytest.param(name, role, method, id=f"{name}-{role}-{method}")
    for name, entry in MATRIX.items()
    for method in ("get", "post")
    if entry[method]
    for role in USERS
]


@pytest.mark.parametrize("name, role, method", CASES)
def test_access(client, db, mailoutbox, world, name, role, method):
    entry = MATRIX[name]
    url = reverse(name.split("?")[0], kwargs=entry["kwargs"](world)) + entry["query"](world)
    log_in(client, world, role)
    before = snapshot()

    response = client.get(url) if method == "get" else client.post(url, entry["data"])

    expected = entry[method][role]
    assert answer_kind(response) == expected, f"{method.upper()} {url} as {role}: {response.status_code}"
    if method == "get" or expected in (LOGIN, DENIED, NOT_ALLOWED):
        assert snapshot() == before, f"{method.upper()} {url} as {role} changed something"
