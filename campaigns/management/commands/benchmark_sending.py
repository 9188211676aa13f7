"""Measure the sending engine end to end: real workers, a loopback mail server, a throwaway campaign.

    python manage.py benchmark_sending --recipients 10000 --workers 2 --transport smtp
    python manage.py benchmark_sending --recipients 10000 --workers 2 --transport esp
    python manage.py benchmark_sending --recipients 10000 --workers 2 --kind newsletter

``--kind newsletter`` sends a throwaway newsletter issue to as many confirmed
subscribers (the pre-send check runs first and is not timed) and prints one
JSON line: seconds from scheduling to the last mail accepted, mails per
second, and what the mail server received.

Uses the configured database and broker (``DATABASE_URL``, ``REDIS_URL``);
mail goes to an SMTP sink or a fake Mailgun API on 127.0.0.1, never outside.
Everything the run creates is deleted afterwards.
"""

import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from contextlib import ExitStack
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count, Max
from django.utils import timezone

from campaigns.loopback import CountingSmtpSink, FakeMailgun
from campaigns.models import Campaign, Contact, Delivery, Organisation
from campaigns.services.dispatch import dispatch_due_work
from campaigns.services.launch import launch
from cms.factories import CallForInputPageFactory, build_site_tree
from cms.models import CallIndexPage
from newsletter.factories import NewsletterIndexPageFactory, NewsletterIssuePageFactory
from newsletter.models import IssueMailing, NewsletterIndexPage, Subscriber, Topic
from newsletter.services import presend_check
from newsletter.services.mailing import schedule_issue

WORKER_START_TIMEOUT = 60
BEAT_INTERVAL = 60
FINAL = (Delivery.Status.SENT, Delivery.Status.FAILED, Delivery.Status.SKIPPED)


class Command(BaseCommand):
    help = "Send a throwaway campaign through real workers to a loopback mail server and print mails per second."

    def add_arguments(self, parser):
        parser.add_argument("--recipients", type=int, default=10000)
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--transport", choices=["smtp", "esp"], default="smtp")
        parser.add_argument("--timeout", type=int, default=900, help="Give up after this many seconds of sending.")
        parser.add_argument("--kind", choices=["call", "newsletter"], default="call", help="A call's campaign or a newsletter issue.")

    def handle(self, *args, recipients, workers, transport, timeout, kind, **options):
        if recipients < 1 or workers < 1:
            raise CommandError("--recipients and --workers must be at least 1.")
        run = uuid.uuid4().hex[:8]
        with ExitStack() as stack:
            server = stack.enter_context(FakeMailgun() if transport == "esp" else CountingSmtpSink())
            log_dir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="benchmark-sending-")))
            processes = start_workers(workers, server.email_url if transport == "esp" else server.url, log_dir)
            stack.callback(stop_workers, processes)
            if kind == "newsletter":
                self.stderr.write(f"{workers} worker(s) ready; creating {recipients} subscribers (run {run})")
                issue = create_issue(run, recipients)
                stack.callback(delete_issue, issue)
                self.measure_newsletter(issue, server, recipients, workers, timeout)
                return
            self.stdout.write(f"{workers} worker(s) ready; creating {recipients} contacts (run {run})")
            campaign = create_campaign(run, recipients)
            stack.callback(delete_campaign, campaign)
            self.measure(campaign, server, recipients, timeout)

    def measure_newsletter(self, issue, server, recipients, workers, timeout):
        revision = issue.live_revision
        report = presend_check.check_revision(revision)  # cached per revision: schedule_issue finds it ready
        if not report.passed:
            raise CommandError(f"The benchmark issue did not pass the pre-send check: {report.as_dict()}")
        started = timezone.now()
        mailing = schedule_issue(revision, [issue.benchmark_topic], user=None)
        campaign = mailing.campaign
        counts = self.wait_until_final(campaign, timeout)
        last = Delivery.objects.filter(message__campaign=campaign).aggregate(last=Max("sent_at"))["last"] or timezone.now()
        seconds = (last - started).total_seconds()
        received = server.received() if isinstance(server, FakeMailgun) else server.received
        addresses = set(campaign.recipients.values_list("email", flat=True))
        figures = {
            "kind": "newsletter",
            "recipients": len(addresses),
            "workers": workers,
            "seconds": round(seconds, 1),
            "mails_per_second": round(counts.get(Delivery.Status.SENT, 0) / seconds, 1) if seconds else None,
            "received": sum(Counter(received).values()),
            "distinct_recipients": len(addresses & set(received)),
            "duplicates": sum(count - 1 for address, count in received.items() if address in addresses),
            "missing": len(addresses - set(received)),
            "ledger": counts,
        }
        if figures["recipients"] != recipients:
            raise CommandError(f"Scheduled {figures['recipients']} of {recipients} subscribers: {figures}")
        self.stdout.write(json.dumps(figures))

    def wait_until_final(self, campaign, timeout):
        """Poll the ledger until no row is queued or sending, playing the beat once a minute."""
        started = last_beat = time.monotonic()
        while True:
            counts = dict(
                Delivery.objects.filter(message__campaign=campaign).values_list("status").annotate(n=Count("pk"))
            )
            if not any(status not in FINAL for status in counts):
                return counts
            now = time.monotonic()
            if now - started > timeout:
                raise CommandError(f"Not finished within {timeout}s: {counts}")
            if now - last_beat >= BEAT_INTERVAL:
                dispatch_due_work()
                last_beat = now
            time.sleep(0.2)

    def measure(self, campaign, server, recipients, timeout):
        started = time.monotonic()
        launch(campaign)
        launched = time.monotonic()
        self.stdout.write(f"Launched in {launched - started:.1f}s; sending...")
        last_beat = launched
        while True:
            counts = dict(
                Delivery.objects.filter(message__campaign=campaign).values_list("status").annotate(n=Count("pk"))
            )
            if not any(status not in FINAL for status in counts):
                break
            now = time.monotonic()
            if now - launched > timeout:
                raise CommandError(f"Not finished within {timeout}s: {counts}")
            if now - last_beat >= BEAT_INTERVAL:
                dispatch_due_work()
                last_beat = now
            time.sleep(0.5)
        elapsed = time.monotonic() - launched
        received = server.received() if isinstance(server, FakeMailgun) else server.received
        self.report(campaign, counts, received, recipients, elapsed, getattr(server, "calls", None))

    def report(self, campaign, counts, received, recipients, elapsed, api_calls):
        addresses = set(campaign.recipients.values_list("email", flat=True))
        sent = counts.get(Delivery.Status.SENT, 0)
        duplicates = sum(count - 1 for address, count in received.items() if address in addresses)
        missing = len(addresses - set(received))
        reclaimed = Delivery.objects.filter(message__campaign=campaign, reclaimed_at__isnull=False).count()
        lines = [
            f"recipients:        {recipients}",
            f"sent (ledger):     {sent}",
            f"other states:      {({k: v for k, v in counts.items() if k != Delivery.Status.SENT}) or 'none'}",
            f"sending time:      {elapsed:.1f}s (launch commit to last row final)",
            f"mails per second:  {sent / elapsed:.1f}",
            f"received (server): {sum(Counter(received).values())}",
            f"duplicates:        {duplicates}",
            f"missing:           {missing}",
            f"reclaimed leases:  {reclaimed}",
        ]
        if api_calls is not None:
            lines.append(f"API calls:         {len(api_calls)} (largest {max(api_calls, default=0)} recipients)")
        self.stdout.write("\n".join(lines))


def start_workers(count, email_url, log_dir):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": settings.SETTINGS_MODULE, "EMAIL_URL": email_url}
    celery = str(Path(sys.executable).parent / "celery")
    processes = []
    for index in range(count):
        log_path = log_dir / f"worker-{index}.log"
        command = [
            *(celery, "-A", "cms", "worker", "--pool=prefork", "--concurrency=1", "--loglevel=INFO"),
            *("-Q", "celery,dispatch", "--without-gossip", "--without-mingle", "--without-heartbeat"),
            *("-n", f"benchmark-{index}@%h"),
        ]
        with log_path.open("wb") as log_file:
            process = subprocess.Popen(
                command, cwd=settings.BASE_DIR, env=env, stdout=log_file, stderr=subprocess.STDOUT
            )
        processes.append((process, log_path))
    deadline = time.monotonic() + WORKER_START_TIMEOUT
    for process, log_path in processes:
        while b" ready." not in log_path.read_bytes():
            if process.poll() is not None or time.monotonic() > deadline:
                stop_workers(processes)
                raise CommandError(f"A worker did not start:\n{log_path.read_text(errors='replace')[-3000:]}")
            time.sleep(0.2)
    return processes


def stop_workers(processes):
    for process, _ in processes:
        if process.poll() is None:
            process.terminate()
    for process, _ in processes:
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def create_campaign(run, count):
    calls = CallIndexPage.objects.first() or build_site_tree()[2]
    page = CallForInputPageFactory(
        parent=calls, title=f"Benchmark {run}", slug=f"benchmark-{run}", notify_contact_person=False
    )
    organisation = Organisation.objects.create(name=f"Benchmark {run}", kind=Organisation.Kind.NETWORK)
    contacts = Contact.objects.bulk_create(
        [
            Contact(name=f"Benchmark {index}", email=f"benchmark-{run}-{index}@example.org", organisation=organisation)
            for index in range(count)
        ],
        batch_size=1000,
    )
    campaign = Campaign.objects.create(
        call_page=page,
        name=f"Benchmark {run}",
        invitation_subject="Benchmark: deel uw initiatief",
        invitation_body="Beste {naam},\n\nWilt u namens {organisatie} reageren? Dat kan tot {deadline}:\n{link}",
    )
    campaign.chosen_contacts.set(contacts)
    return campaign


def delete_campaign(campaign):
    from wagtail.models import ModelLogEntry

    campaign = Campaign.objects.select_related("call_page").get(pk=campaign.pk)
    page = campaign.call_page
    contact_ids = list(campaign.chosen_contacts.values_list("pk", flat=True))
    organisation_ids = set(Contact.objects.filter(pk__in=contact_ids).values_list("organisation", flat=True))
    ModelLogEntry.objects.filter(object_id=str(campaign.pk), content_type__model="campaign").delete()
    campaign.delete()
    Contact.objects.filter(pk__in=contact_ids).delete()
    Organisation.objects.filter(pk__in=organisation_ids).delete()
    page.delete()


def create_issue(run, count):
    """A published issue and ``count`` confirmed subscribers of a topic of its own."""
    home = build_site_tree()[0]
    index = NewsletterIndexPage.objects.first() or NewsletterIndexPageFactory(parent=home)
    topic = Topic.objects.create(name=f"Benchmark {run}", slug=f"benchmark-{run}", active=False)
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
        batch_size=1000,
    )
    Subscriber.topics.through.objects.bulk_create(
        [Subscriber.topics.through(subscriber=subscriber, topic=topic) for subscriber in subscribers], batch_size=1000
    )
    issue.refresh_from_db()
    issue.benchmark_topic = topic
    return issue


def delete_issue(issue):
    from wagtail.models import ModelLogEntry, PageLogEntry

    topic = issue.benchmark_topic
    for mailing in IssueMailing.objects.filter(issue=issue).select_related("campaign"):
        ModelLogEntry.objects.filter(object_id=str(mailing.campaign_id), content_type__model="campaign").delete()
        mailing.campaign.delete()
    Subscriber.objects.filter(topics=topic).delete()
    PageLogEntry.objects.filter(page_id=issue.pk).delete()
    issue.delete()
    topic.delete()
