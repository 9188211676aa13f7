"""The beat's minute: find due work in the database and signal the workers.

Redis only carries "there is work" signals; every decision is made from the
ledger, so a lost or doubled signal (a Redis flush, two beats) loses and
doubles nothing.
"""

import logging
import math
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from campaigns.models import Campaign, Delivery

from . import reminders, sending, workers

logger = logging.getLogger(__name__)

# At most this many send tasks are enqueued per dispatch; each keeps claiming until nothing is due.
MAX_SEND_TASKS = 8
UNFINISHED = (Delivery.Status.QUEUED, Delivery.Status.SENDING)


@dataclass(frozen=True)
class DispatchReport:
    started: int
    reminders_queued: int
    reclaimed: int
    send_tasks: int
    finished: int


def start_scheduled_campaigns(now):
    return Campaign.objects.filter(status=Campaign.Status.SCHEDULED, send_at__lte=now).update(
        status=Campaign.Status.SENDING
    )


def finish_campaigns():
    """Mark sending campaigns without unfinished deliveries as sent.

    Workers and the beat both call this, while a reminder or a retry may be
    adding deliveries. The campaigns are locked first (skipping any that such
    a change holds) and checked in a second statement, whose fresh snapshot
    sees every delivery committed before the lock was granted.
    """
    with transaction.atomic():
        candidates = list(
            Campaign.objects.select_for_update(skip_locked=True)
            .filter(status=Campaign.Status.SENDING)
            .exclude(launched_at=None)
            .values_list("pk", flat=True)
        )
        if not candidates:
            return 0
        unfinished = Delivery.objects.filter(message__campaign=OuterRef("pk"), status__in=UNFINISHED)
        return Campaign.objects.filter(pk__in=candidates).filter(~Exists(unfinished)).update(status=Campaign.Status.SENT)


def send_tasks_needed(now):
    due = sending.due_deliveries(now).count()
    return min(math.ceil(due / sending.batch_size()), MAX_SEND_TASKS)


def enqueue_send_tasks(count):
    for _ in range(count):
        workers.queue("campaigns.tasks.send_deliveries")


def wake_workers():
    """Enqueue as many send tasks as the due rows need; return how many."""
    tasks = send_tasks_needed(timezone.now())
    enqueue_send_tasks(tasks)
    return tasks


def dispatch_due_work():
    """Start scheduled campaigns, queue due reminders, reclaim expired leases, wake the workers."""
    now = timezone.now()
    started = start_scheduled_campaigns(now)
    queued = reminders.queue_due_reminders(now)
    reclaimed = sending.reclaim_expired_leases()
    tasks = wake_workers()
    finished = finish_campaigns()
    report = DispatchReport(started, queued, reclaimed, tasks, finished)
    logger.info("Dispatched due work: %s", report)
    return report
