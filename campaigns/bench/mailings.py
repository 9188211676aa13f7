"""The throwaway mailings a benchmark sends: a call's campaign or a newsletter issue, and their removal."""

import json
import subprocess
import sys

from django.conf import settings
from django.utils import timezone

from campaigns import tokens
from campaigns.models import Campaign, Contact, Delivery, Organisation, Recipient
from campaigns.services import rendering
from cms.factories import CallForInputPageFactory, build_site_tree
from cms.models import CallIndexPage
from newsletter.factories import NewsletterIndexPageFactory, NewsletterIssuePageFactory
from newsletter.models import IssueMailing, NewsletterIndexPage, Subscriber, Topic
from newsletter.services import presend_check
from newsletter.services.mailing import schedule_issue


class CallMailing:
    """A call for input's campaign to ``count`` invented contacts at example.org."""

    kind = "call"

    def __init__(self, run, count):
        calls = CallIndexPage.objects.first() or build_site_tree()[2]
        self.page = CallForInputPageFactory(
            parent=calls, title=f"Benchmark {run}", slug=f"benchmark-{run}", notify_contact_person=False
        )
        self.organisation = Organisation.objects.create(name=f"Benchmark {run}", kind=Organisation.Kind.NETWORK)
        contacts = Contact.objects.bulk_create(
            [
                Contact(name=f"Benchmark {index}", email=f"benchmark-{run}-{index}@example.org", organisation=self.organisation)
                for index in range(count)
            ],
            batch_size=2000,
        )
        self.addresses = [contact.email for contact in contacts]
        self.campaign = Campaign.objects.create(
            call_page=self.page,
            name=f"Benchmark {run}",
            invitation_subject="Benchmark: deel uw initiatief",
            invitation_body="Beste {naam},\n\nWilt u namens {organisatie} reageren? Dat kan tot {deadline}:\n{link}",
        )
        self.campaign.chosen_contacts.set(contacts)

    def sample_mail(self):
        """One recipient's mail as the workers build it, for the raw sender to copy."""
        contact = Contact.objects.filter(organisation=self.organisation).first()
        nonce = tokens.new_nonce()
        recipient = Recipient(
            campaign=self.campaign,
            contact=contact,
            email=contact.email,
            name=contact.name,
            organisation_name=self.organisation.name,
            organisation_kind=self.organisation.kind,
            token_nonce=nonce,
            **tokens.token_hashes(self.campaign.pk, contact.email, nonce),
        )
        email = rendering.build_email(
            self.campaign, self.campaign.invitation_subject, self.campaign.invitation_body, recipient
        )
        message_id = f"<{nonce}@{rendering.sender_domain()}>"
        email.extra_headers["Message-ID"] = message_id
        email.extra_headers.update(rendering.relay_metadata_headers(message_id))
        return email

    def start(self, env):
        """Launch in a fresh process with ``env`` (campaigns.bench.freeze); return its seconds and memory growth."""
        done = subprocess.run(
            [sys.executable, "-m", "campaigns.bench.freeze", str(self.campaign.pk)],
            cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=600,
        )  # fmt: skip
        if done.returncode:
            raise RuntimeError(f"The launch failed: {done.stderr[-2000:]}")
        return json.loads(done.stdout.strip().splitlines()[-1])

    def campaign_id(self):
        return self.campaign.pk

    def delete(self):
        from wagtail.models import ModelLogEntry

        ModelLogEntry.objects.filter(object_id=str(self.campaign.pk), content_type__model="campaign").delete()
        Campaign.objects.filter(pk=self.campaign.pk).delete()
        Contact.objects.filter(organisation=self.organisation).delete()
        self.organisation.delete()
        self.page.delete()


class NewsletterMailing:
    """A published issue sent to ``count`` confirmed subscribers of a topic of its own."""

    kind = "newsletter"

    def __init__(self, run, count):
        home = build_site_tree()[0]
        index = NewsletterIndexPage.objects.first() or NewsletterIndexPageFactory(parent=home)
        self.topic = Topic.objects.create(name=f"Benchmark {run}", slug=f"benchmark-{run}", active=False)
        issue = NewsletterIssuePageFactory(parent=index, title=f"Benchmark {run}", slug=f"benchmark-{run}", subject="Benchmark")
        issue.save_revision().publish()
        now = timezone.now()
        subscribers = Subscriber.objects.bulk_create(
            [
                Subscriber(
                    email=f"benchmark-{run}-{index}@example.org",
                    name=f"Lezer {index}",
                    status=Subscriber.Status.CONFIRMED,
                    confirmed_at=now,
                )
                for index in range(count)
            ],
            batch_size=2000,
        )
        Subscriber.topics.through.objects.bulk_create(
            [Subscriber.topics.through(subscriber=subscriber, topic=self.topic) for subscriber in subscribers],
            batch_size=2000,
        )
        self.addresses = [subscriber.email for subscriber in subscribers]
        issue.refresh_from_db()
        self.issue = issue
        self.mailing = None
        report = presend_check.check_revision(issue.live_revision)  # cached per revision: not timed
        if not report.passed:
            raise RuntimeError(f"The benchmark issue did not pass the pre-send check: {report.as_dict()}")

    def sample_mail(self):
        return None  # built from a real delivery after the mailing (see harness)

    def start(self, env):
        """Schedule the issue in this process (``env`` is for a launch elsewhere); no figures of its own (None)."""
        self.mailing = schedule_issue(self.issue.live_revision, [self.topic], user=None)
        return None

    def campaign_id(self):
        return self.mailing.campaign_id if self.mailing else None

    def delete(self):
        from wagtail.models import ModelLogEntry, PageLogEntry

        for mailing in IssueMailing.objects.filter(issue=self.issue).select_related("campaign"):
            ModelLogEntry.objects.filter(object_id=str(mailing.campaign_id), content_type__model="campaign").delete()
            mailing.campaign.delete()
        Subscriber.objects.filter(topics=self.topic).delete()
        PageLogEntry.objects.filter(page_id=self.issue.pk).delete()
        self.issue.delete()
        self.topic.delete()


def first_delivery_mail(campaign_id):
    """A real delivery's mail of the mailing, as the workers built it."""
    from campaigns.services import sending

    delivery = (
        Delivery.objects.filter(message__campaign_id=campaign_id)
        .select_related("message__campaign__call_page", "recipient")
        .order_by("pk")
        .first()
    )
    return sending.build(delivery)


MAILINGS = {"call": CallMailing, "newsletter": NewsletterMailing}
