"""Redis, the broker, goes away mid-mailing: the workers that are sending go on, and the mailing ends without it.

A send task hands on to a new task when its 15-second turn is up; with no
broker to take that task it goes on sending itself, as the database and the
mail server are still there. Before, the task failed and the rest of the
mailing waited for the broker and the beat's next tick.
"""

import time
from collections import Counter

import pytest
from kombu import Connection

from campaigns.bench.processes import RedisServer
from campaigns.models import Delivery
from campaigns.services.launch import launch
from campaigns.tasks import send_deliveries
from tests.services import CeleryWorkers

pytestmark = [pytest.mark.services, pytest.mark.timeout(180)]


@pytest.fixture
def own_redis(tmp_path):
    """A redis-server of this test's own: stopping it hits nobody else."""
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


def test_a_mailing_longer_than_one_task_ends_while_the_broker_is_down(
    transactional_db, postgres, own_redis, smtp_sink, campaign, make_contacts, tmp_path
):
    smtp_sink.delay = 0.1  # 200 mails: 20 seconds of sending, more than one task's turn
    make_contacts(200)
    launch(campaign)
    workers = CeleryWorkers(own_redis.url, tmp_path)
    try:
        workers.start(smtp_sink.url)
        with Connection(own_redis.url) as connection:
            send_deliveries.apply_async(connection=connection)
        smtp_sink.wait_for(20, timeout=30)
        own_redis.stop()

        deadline = time.monotonic() + 60
        while Delivery.objects.filter(message__campaign=campaign).exclude(status=Delivery.Status.SENT).exists():
            assert time.monotonic() < deadline, workers.logs()[-3000:]
            time.sleep(0.2)
    finally:
        workers.kill_all()

    counts = Counter(message["To"].addresses[0].addr_spec for message in smtp_sink.messages)
    assert len(counts) == 200 and max(counts.values()) == 1
