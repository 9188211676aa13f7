"""Accepted mails are recorded in groups: a worker that dies before recording its group loses nothing.

A real worker process, PostgreSQL, Redis and an SMTP server that holds one
mail's answer, so the worker can be killed at a known point: the server has
accepted the first mails of the batch and the worker has not recorded them.
"""

import asyncio
import threading
import time
from collections import Counter

import pytest
from aiosmtpd.controller import Controller

from campaigns.models import Delivery
from campaigns.services import sending
from campaigns.services.dispatch import dispatch_due_work
from campaigns.services.launch import launch
from tests.services import free_port

from .test_resilience import expire_leases, wait_until_final

Status = Delivery.Status
ACCEPTED_BEFORE_THE_HOLD = 3


class HoldingSmtp:
    """Accepts every mail, except that it holds the answer to mail number ``hold_at`` until released."""

    def __init__(self, hold_at):
        self.hold_at = hold_at
        self.accepted = []
        self.holding = threading.Event()
        self.released = threading.Event()
        self._calls = 0

    async def handle_DATA(self, server, session, envelope):
        self._calls += 1
        if self._calls == self.hold_at + 1:
            self.holding.set()
            while not self.released.is_set():
                await asyncio.sleep(0.05)
            return "451 4.3.0 Niet afgeleverd"
        self.accepted.extend(envelope.rcpt_tos)
        return "250 Message accepted for delivery"


@pytest.fixture
def holding_smtp():
    handler = HoldingSmtp(hold_at=ACCEPTED_BEFORE_THE_HOLD)
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    handler.url = f"smtp://127.0.0.1:{port}"
    yield handler
    handler.released.set()
    controller.stop()


def test_mails_accepted_but_not_yet_recorded_when_the_worker_dies_are_reclaimed_and_sent_again(
    celery_workers, holding_smtp, campaign, make_contacts, capsys
):
    assert ACCEPTED_BEFORE_THE_HOLD < sending.RECORD_GROUP
    (worker,) = celery_workers.start(holding_smtp.url)
    make_contacts(10)
    launch(campaign)
    assert holding_smtp.holding.wait(30), celery_workers.logs()[-3000:]

    # The server accepted three mails; the worker waits for the fourth's answer and has recorded none of them.
    rows = Delivery.objects.filter(message__campaign=campaign)
    accepted_first = list(holding_smtp.accepted)
    assert len(accepted_first) == ACCEPTED_BEFORE_THE_HOLD
    assert rows.filter(status=Status.SENT).count() == 0
    assert set(rows.filter(recipient__email__in=accepted_first).values_list("status", flat=True)) == {Status.SENDING}
    worker.kill()

    in_flight = expire_leases(campaign)
    celery_workers.start(holding_smtp.url)
    dispatch_due_work()
    wait_until_final(campaign, celery_workers)

    counts = Counter(holding_smtp.accepted)
    duplicates = sum(count - 1 for count in counts.values())
    reclaimed = rows.filter(reclaimed_at__isnull=False)
    with capsys.disabled():
        print(f"\n[group] killed with {in_flight} rows in flight, {len(accepted_first)} accepted but unrecorded; "
              f"reclaimed {reclaimed.count()}, duplicates {duplicates}, missing {10 - len(counts)}")
    assert len(counts) == 10
    assert rows.filter(status=Status.SENT).count() == 10
    assert {address for address, count in counts.items() if count > 1} == set(accepted_first)
    assert in_flight == reclaimed.count() == 10
    assert set(reclaimed.filter(recipient__email__in=accepted_first).values_list("recipient__email", flat=True)) == set(
        accepted_first
    )
    assert duplicates <= reclaimed.count()
