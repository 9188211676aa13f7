"""Measure the sending engine end to end: real workers, a loopback mail server, a throwaway campaign.

    python manage.py benchmark_sending --recipients 10000 --workers 2 --transport smtp
    python manage.py benchmark_sending --recipients 10000 --workers 2 --transport esp

Uses the configured database and broker (``DATABASE_URL``, ``REDIS_URL``);
mail goes to an SMTP sink or a fake Mailgun API on 127.0.0.1, never outside.
Everything the run creates is deleted afterwards.
"""

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
from django.db.models import Count

from campaigns.loopback import CountingSmtpSink, FakeMailgun
from campaigns.models import Campaign, Contact, Delivery, Organisation
from campaigns.services.dispatch import dispatch_due_work
from campaigns.services.launch import launch
from cms.factories import CallForInputPageFactory, build_site_tree
from cms.models import CallIndexPage

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

    def handle(self, *args, recipients, workers, transport, timeout, **options):
        if recipients < 1 or workers < 1:
            raise CommandError("--recipients and --workers must be at least 1.")
        run = uuid.uuid4().hex[:8]
        with ExitStack() as stack:
            server = stack.enter_context(FakeMailgun() if transport == "esp" else CountingSmtpSink())
            log_dir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="benchmark-sending-")))
            processes = start_workers(workers, server.email_url if transport == "esp" else server.url, log_dir)
            stack.callback(stop_workers, processes)
            self.stdout.write(f"{workers} worker(s) ready; creating {recipients} contacts (run {run})")
            campaign = create_campaign(run, recipients)
            stack.callback(delete_campaign, campaign)
            self.measure(campaign, server, recipients, timeout)

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
            *("--without-gossip", "--without-mingle", "--without-heartbeat", "-n", f"benchmark-{index}@%h"),
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
