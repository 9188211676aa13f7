"""Celery tasks for the delivery ledger: thin wrappers around the services."""

import logging
import math
import os

from celery import shared_task
from kombu.exceptions import OperationalError

from campaigns.services import dispatch, launch, sending

logger = logging.getLogger(__name__)

# A send task that finds only rows due within this many seconds waits for them with a short countdown.
RETRY_HORIZON_SECONDS = 60


@shared_task(queue="dispatch")
def dispatch_due_work():
    """The beat's tick, in a queue of its own: every worker also consumes "dispatch", so it never waits behind send tasks."""
    dispatch.dispatch_due_work()


@shared_task(queue="dispatch")
def freeze_audience(campaign_id):
    """Freeze a launched campaign's audience into the ledger (seconds, even at 100,000 recipients).

    In the "dispatch" queue, not "celery": every worker consumes both, and
    "celery" can hold dozens of send tasks of a big mailing, each up to a
    15-second turn, so an editor's launch would wait behind all of them. In
    "dispatch" it waits at most for one send task's turn and the short tick.
    """
    launch.freeze(campaign_id)


@shared_task(bind=True)
def send_deliveries(self):
    """Claim and send batches; keep going (as a new task, or in this one while the broker is away) while work is waiting.

    When nothing is left, a campaign whose last mail just went out is marked
    sent now rather than at the next beat tick; a retry or a lease that runs
    out soon (maybe a dead worker's) gets a task of its own at that moment.
    """
    worker = f"{self.request.hostname}:{os.getpid()}"
    while sending.send_due(worker=worker):
        try:
            send_deliveries.delay()
            return
        except OperationalError:
            # The broker is away (a Redis restart): the database and the mail
            # server still are, so this task goes on sending in its place.
            logger.warning("The broker cannot take the next send task; this one goes on sending")
    dispatch.finish_campaigns()
    wait = sending.seconds_until_more_work()
    if wait is not None and wait <= RETRY_HORIZON_SECONDS:
        send_deliveries.apply_async(countdown=max(math.ceil(wait), 1))
