"""Results of a newsletter mailing: unsubscribes it caused and its complaint rate against Gmail's limits."""

from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from anymail.signals import AnymailTrackingEvent
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Delivery
from campaigns.services import sending, tracking
from campaigns.services.results import NewsletterResults
from newsletter.factories import NewsletterIssuePageFactory, SubscriberFactory
from newsletter.links import unsubscribe_link
from newsletter.services.mailing import schedule_issue
from tests.security.roles import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_check_reports():
    """The pre-send check caches its report per revision id, and every new test database repeats those ids."""
    cache.clear()


@pytest.fixture
def manager(db):
    return make_user("campaign_manager")


@pytest.fixture
def sent_mailing(newsletter_index, topics, manager):
    """An issue sent to four subscribers (the ledger has every mail as accepted by the mail server)."""
    issue = NewsletterIssuePageFactory(parent=newsletter_index, subject="Nieuws in december")
    revision = issue.save_revision()
    revision.publish()
    for number in range(4):
        SubscriberFactory(email=f"lezer{number}@example.org", topics=[topics[0]])
    mailing = schedule_issue(revision, topics[:1], user=manager)
    ids = list(Delivery.objects.filter(message__campaign=mailing.campaign).values_list("pk", flat=True))
    sending.record_sent(ids, "", unrecorded=(Delivery.Status.QUEUED,))
    return mailing


def complaint(delivery):
    return AnymailTrackingEvent(
        event_type="complained",
        event_id=f"klacht-{delivery.pk}",
        recipient=delivery.recipient.email,
        metadata={"delivery": str(delivery.pk)},
        timestamp=timezone.now(),
        esp_event={"event": "complained"},
    )


def results_page(manager, mailing):
    client = Client()
    client.force_login(manager)
    response = client.get(reverse("campaigns_results", args=[mailing.campaign_id]))
    assert response.status_code == 200
    return response.content.decode()


def figure(html, label):
    """The number shown after ``<dt>label</dt>``."""
    after = html.split(f"<dt>{label}</dt><dd>", 1)[1]
    return after.split("</dd>", 1)[0]


def test_results_show_the_unsubscribes_the_mailing_caused_and_a_complaint_rate_over_gmails_ceiling(sent_mailing, manager):
    campaign = sent_mailing.campaign
    first, second = campaign.recipients.order_by("email")[:2]
    Client(enforce_csrf_checks=True).post(urlsplit(unsubscribe_link(first)).path, {"List-Unsubscribe": "One-Click"})
    tracking.record_event("mailgun", complaint(Delivery.objects.get(recipient=second)))

    html = results_page(manager, sent_mailing)

    assert figure(html, "Afmeldingen door deze nieuwsbrief") == "1"
    assert figure(html, "Klachten (als spam gemeld)") == "1"
    assert figure(html, "Klachtpercentage") == "25,00%"
    assert "Te veel klachten:" in html
    assert "plafond van Gmail (0,3%)" in html
    assert "Gemeten over 4 verstuurde mails" in html
    assert "Openen en klikken worden niet gemeten" in html
    assert "<dt>Geopend</dt>" not in html
    assert "Reacties (" not in html  # a newsletter has no answers to read


def test_without_complaints_the_rate_is_in_order_and_opens_show_only_with_tracking_on(sent_mailing, manager, settings):
    settings.CAMPAIGNS_TRACK_OPENS_AND_CLICKS = True

    html = results_page(manager, sent_mailing)

    assert "In orde: 0,00% ligt onder de waarschuwingsgrens van Gmail (0,1%" in html
    assert figure(html, "Geopend") == "0"
    assert figure(html, "Geklikt") == "0"


@pytest.mark.parametrize(
    ("complained", "sent", "delivered", "level"),
    [(1, 2000, 0, "ok"), (1, 1000, 0, "warning"), (2, 1000, 0, "warning"), (3, 1000, 0, "ceiling"), (1, 5000, 1000, "warning")],
)
def test_the_complaint_rate_is_measured_against_gmails_warning_and_ceiling(complained, sent, delivered, level):
    figures = NewsletterResults(
        sent=sent, delivered=delivered, bounced=0, complained=complained, unsubscribed=0, opened=None, clicked=None
    )

    assert figures.complaint_level == level


def test_the_dashboard_lists_a_mailing_under_way_with_its_issue(newsletter_index, topics, manager):
    issue = NewsletterIssuePageFactory(parent=newsletter_index, title="Nieuwsbrief maart", subject="Lente in de wijk")
    revision = issue.save_revision()
    revision.publish()
    SubscriberFactory(topics=[topics[0]])
    schedule_issue(revision, topics[:1], user=manager)
    client = Client()
    client.force_login(manager)

    running = client.get(reverse("wagtailadmin_home")).content.decode().split('id="running-campaigns"')[1].split("</table>")[0]

    assert "Nieuwsbrief: Lente in de wijk" in running
    assert "Nieuwsbrief maart" in running
    assert "0 van 1" in running
