"""Sending an issue through the delivery ledger: who is queued, what is refused, and what real workers send."""

import time
from collections import Counter
from datetime import timedelta

from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from wagtail.models import PageLogEntry
from wagtail.rich_text import RichText

from campaigns.models import Campaign, Delivery, Message, Suppression
from campaigns.services.dispatch import dispatch_due_work
from campaigns.services.reminders import queue_due_reminders, reminder_due
from campaigns.services.sending import SUPPRESSED_REASON
from campaigns.services.suppression import suppress
from newsletter.factories import NewsletterIssuePageFactory, SubscriberFactory, TopicFactory
from newsletter.links import unsubscribe_link
from newsletter.models import Subscriber
from newsletter.services import audience
from newsletter.services.mail_kind import LEFT_TOPICS_REASON
from newsletter.services.mailing import MailingRefused, schedule_issue
from tests.security.roles import make_user

Status = Delivery.Status
FINAL = (Status.SENT, Status.FAILED, Status.SKIPPED)


@pytest.fixture(autouse=True)
def fresh_check_reports():
    """The pre-send check caches its report per revision id, and every new test database repeats those ids."""
    cache.clear()


def publish(page):
    revision = page.save_revision()
    revision.publish()
    page.refresh_from_db()
    return revision


@pytest.fixture
def issue(newsletter_index):
    return NewsletterIssuePageFactory(
        parent=newsletter_index,
        title="Nieuwsbrief december",
        subject="Nieuws uit de regio's",
        body=[("text", RichText("<p>Eerste versie van de tekst.</p>"))],
    )


@pytest.fixture
def revision(issue):
    return publish(issue)


@pytest.fixture
def manager(db):
    return make_user("campaign_manager")


@pytest.fixture
def people(topics):
    """Subscribers of every kind; only ``general`` and ``both`` may get an issue to the first two topics."""
    general, care, networks = topics
    return {
        "general": SubscriberFactory(email="algemeen@example.org", topics=[general]),
        "both": SubscriberFactory(email="beide@example.org", topics=[general, care]),
        "networks_only": SubscriberFactory(email="netwerk@example.org", topics=[networks]),
        "pending": SubscriberFactory(
            email="wacht@example.org", status=Subscriber.Status.PENDING, confirmed_at=None, topics=[general]
        ),
        "unsubscribed": SubscriberFactory(email="weg@example.org", status=Subscriber.Status.UNSUBSCRIBED, topics=[care]),
        "blocked": SubscriberFactory(email="geblokkeerd@example.org", topics=[general]),
        "bounced": SubscriberFactory(email="bounce@example.org", topics=[care]),
    }


def block(people):
    suppress(people["blocked"].email, Suppression.Scope.NEWSLETTER, Suppression.Reason.UNSUBSCRIBED)
    suppress(people["bounced"].email, Suppression.Scope.ALL, Suppression.Reason.HARD_BOUNCE)


@pytest.mark.django_db
def test_an_issue_is_queued_once_for_each_confirmed_unblocked_subscriber_of_the_chosen_topics(
    revision, topics, people, manager
):
    block(people)
    suppress("someone-else@example.org", Suppression.Scope.CAMPAIGNS, Suppression.Reason.UNSUBSCRIBED)
    chosen = topics[:2]
    assert audience.count(chosen) == 2

    mailing = schedule_issue(revision, chosen, user=manager)

    campaign = mailing.campaign
    assert campaign.kind == Campaign.Kind.NEWSLETTER
    assert campaign.call_page is None
    assert campaign.name == "Nieuwsbrief: Nieuws uit de regio's"
    assert campaign.status == Campaign.Status.SENDING
    assert mailing.revision == revision
    assert set(mailing.topics.all()) == set(chosen)
    assert mailing.check_report["passed"] is True
    (message,) = campaign.messages.all()
    assert (message.kind, message.sequence, message.subject) == (Message.Kind.NEWSLETTER, 0, "Nieuws uit de regio's")
    queued = Delivery.objects.filter(message=message)
    assert sorted(queued.values_list("recipient__email", flat=True)) == ["algemeen@example.org", "beide@example.org"]
    assert set(queued.values_list("status", flat=True)) == {Status.QUEUED}
    recipients = campaign.recipients.order_by("email")
    assert [r.subscriber for r in recipients] == [people["general"], people["both"]]
    assert len({r.unsubscribe_token_hash for r in recipients}) == 2

    entry = PageLogEntry.objects.get(action="newsletter.schedule")
    assert entry.page_id == revision.object_id and entry.revision_id == revision.pk and entry.user == manager
    assert entry.data["recipients"] == 2
    assert "@" not in str(entry.data)


@pytest.mark.django_db
def test_an_issue_for_later_waits_as_scheduled_until_its_moment(revision, topics, people, manager):
    moment = timezone.now() + timedelta(hours=3)
    mailing = schedule_issue(revision, topics[:1], send_at=moment, user=manager)

    assert mailing.campaign.status == Campaign.Status.SCHEDULED
    assert mailing.campaign.send_at == moment
    assert set(Delivery.objects.filter(message__campaign=mailing.campaign).values_list("next_attempt_at", flat=True)) == {
        moment
    }


@pytest.mark.django_db
def test_refusals_are_dutch_and_queue_nothing(issue, newsletter_index, topics, people, manager):
    unpublished = NewsletterIssuePageFactory(parent=newsletter_index, live=False)
    with pytest.raises(MailingRefused, match="niet gepubliceerd"):
        schedule_issue(unpublished.save_revision(), topics, user=manager)

    revision = publish(issue)
    with pytest.raises(MailingRefused, match="ten minste één onderwerp"):
        schedule_issue(revision, [], user=manager)

    with pytest.raises(MailingRefused, match="Niemand om naar te versturen"):
        schedule_issue(revision, [TopicFactory(name="Zonder abonnees")], user=manager)

    newer = publish(issue)
    with pytest.raises(MailingRefused, match="andere versie"):
        schedule_issue(revision, topics, user=manager)
    assert newer.pk != revision.pk
    assert not Campaign.objects.exists()


@pytest.mark.django_db
def test_each_subscriber_gets_an_issue_once_however_often_it_is_sent(revision, topics, people, manager):
    general, care, _ = topics
    first = schedule_issue(revision, [general], user=manager)

    with pytest.raises(MailingRefused, match="kregen deze nieuwsbrief al"):
        schedule_issue(revision, [general], user=manager)  # a second click on "Versturen"
    later = schedule_issue(revision, [care], user=manager)

    assert sorted(first.campaign.recipients.values_list("email", flat=True)) == [
        "algemeen@example.org",
        "beide@example.org",
        "geblokkeerd@example.org",
    ]
    # "beide" has both topics and got the first mailing already.
    assert list(later.campaign.recipients.values_list("email", flat=True)) == ["bounce@example.org"]


@pytest.mark.django_db
def test_a_newsletter_campaign_is_never_reminded(revision, topics, people, manager):
    mailing = schedule_issue(revision, topics[:1], user=manager)
    Campaign.objects.filter(pk=mailing.campaign_id).update(reminder_days_before=[14, 3], status=Campaign.Status.SENT)

    assert reminder_due(Campaign.objects.get(pk=mailing.campaign_id)) is None
    assert queue_due_reminders() == 0


def wait_until_final(campaign, workers, timeout=40):
    """Poll the ledger until every delivery is final, playing the beat now and then."""
    deadline = time.monotonic() + timeout
    next_beat = 0.0
    while time.monotonic() < deadline:
        if not Delivery.objects.filter(message__campaign=campaign).exclude(status__in=FINAL).exists():
            return
        if time.monotonic() >= next_beat:
            dispatch_due_work()
            next_beat = time.monotonic() + 2
        time.sleep(0.1)
    counts = Counter(Delivery.objects.filter(message__campaign=campaign).values_list("status", flat=True))
    pytest.fail(f"Deliveries not final within {timeout}s: {dict(counts)}\n{workers.logs()[-5000:]}")


def text_of(message):
    return message.get_body(preferencelist=("plain",)).get_content()


@pytest.mark.services
def test_real_workers_send_the_confirmed_revision_only_to_subscribers_who_still_want_it(
    celery_workers, smtp_sink, issue, revision, topics, people, manager
):
    block(people)
    extra = [SubscriberFactory(email=f"lezer{n}@example.org", topics=[topics[0]]) for n in range(3)]
    mailing = schedule_issue(revision, topics[:2], user=manager)
    # Queued, not yet sent: the editor changes the issue, one subscriber unsubscribes with one click
    # (RFC 8058, as a mail client posts it), another drops the mailing's only topic they had.
    issue.subject = "Een heel ander onderwerp"
    issue.body = [("text", RichText("<p>Tweede versie, na het bevestigen.</p>"))]
    publish(issue)
    leaving = mailing.campaign.recipients.get(email="algemeen@example.org")
    response = Client(enforce_csrf_checks=True).post(
        urlsplit(unsubscribe_link(leaving)).path, {"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200
    extra[0].topics.clear()

    celery_workers.start(smtp_sink.url, count=2)
    wait_until_final(mailing.campaign, celery_workers)

    expected = {"beide@example.org", extra[1].email, extra[2].email}
    mails = smtp_sink.wait_for(len(expected))
    time.sleep(0.5)
    assert Counter(m["To"].addresses[0].addr_spec for m in smtp_sink.messages) == Counter(expected)
    for mail in mails:
        assert mail["Subject"] == "Nieuws uit de regio's"
        assert "Eerste versie van de tekst." in text_of(mail)
        assert "Tweede versie" not in text_of(mail)
        assert str(mail["List-Unsubscribe"]).strip().startswith("<http://testserver/nieuwsbrief/afmelden/")
        assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert len({mail["List-Unsubscribe"] for mail in mails}) == len(mails)
    skipped = dict(
        Delivery.objects.filter(message__campaign=mailing.campaign, status=Status.SKIPPED).values_list(
            "recipient__email", "error"
        )
    )
    assert skipped == {"algemeen@example.org": SUPPRESSED_REASON, extra[0].email: LEFT_TOPICS_REASON}
    assert Campaign.objects.get(pk=mailing.campaign_id).status == Campaign.Status.SENT
