"""Celery tasks for the delivery ledger: thin wrappers around the services."""

import math

from celery import shared_task

from campaigns.services import dispatch, sending

# A send task that finds only rows due within this many seconds waits for them with a short countdown.
RETRY_HORIZON_SECONDS = 60


@shared_task
def dispatch_due_work():
    dispatch.dispatch_due_work()


@shared_task
def send_deliveries():
    """Claim and send batches; keep going (as a new task) while work is waiting.

    When nothing is left, a campaign whose last mail just went out is marked
    sent now rather than at the next beat tick.
    """
    if sending.send_due():
        send_deliveries.delay()
        return
    dispatch.finish_campaigns()
    wait = sending.seconds_until_next_retry()
    if wait is not None and wait <= RETRY_HORIZON_SECONDS:
        send_deliveries.apply_async(countdown=math.ceil(wait))
