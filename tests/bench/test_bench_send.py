"""``manage.py bench_send`` end to end: real workers, its own Redis, the raw limit, faults and namespaces.

A few hundred recipients each; the figures of real size are in docs/performance.md and docs/reliability.md.
"""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings

from tests.services import database_url

pytestmark = [pytest.mark.services, pytest.mark.timeout(600)]


@pytest.fixture
def bench_send(transactional_db, postgres):
    """``bench_send(*options)``: run the command on the test database; return its JSON lines."""
    from django.db import connection

    def run(*options, env=None, timeout=300):
        env = {**os.environ, "DATABASE_URL": database_url(connection.settings_dict), **(env or {})}
        env.pop("REDIS_URL", None)  # the command starts a redis-server of its own
        done = subprocess.run(
            [sys.executable, "manage.py", "bench_send", *options],
            cwd=settings.BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        assert done.returncode == 0, done.stderr[-4000:]
        return [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]

    return run


def test_plain_run_reports_every_mail_once_against_the_raw_limit(bench_send):
    (figures,) = bench_send("--recipients", "300", "--workers", "2", "--transport", "smtp")
    assert figures["received"] == figures["distinct_recipients"] == 300
    assert (figures["duplicates"], figures["missing"]) == (0, 0)
    assert figures["raw_mails_per_second"] > 0
    assert figures["sending_mails_per_second"] >= figures["mails_per_second"]  # the launch is not sending
    assert 0 < figures["ratio"] == pytest.approx(figures["mails_per_second"] / figures["raw_mails_per_second"], rel=0.01)
    assert figures["sender_cpu_ms_per_mail"] > 0 and figures["raw_cpu_ms_per_mail"] > 0
    assert figures["worker_peak_rss_mb"] > 0


def assert_recovered(figures):
    assert figures["missing"] == 0, figures
    assert figures["duplicates"] <= figures["accepted_not_committed"], figures
    assert figures["recovery_seconds"] is not None and figures["recovery_seconds"] < 60, figures


def test_every_fault_on_two_hosts_loses_nothing_and_recovers_within_a_minute(bench_send):
    """Workers in two network namespaces of their own; each fault mid-mailing in turn.

    The workers get an 8 s lease here (as the lease-recovery tests), so a dead
    worker's rows come back in seconds; docs/reliability.md has the figures with the 30 s default.
    """
    lines = bench_send(
        *("--recipients", "300", "--workers", "2", "--hosts", "2", "--fault", "all", "--sink-delay", "0.01"),
        env={"DELIVERY_LEASE_SECONDS": "8"},
        timeout=540,
    )
    by_fault = {figures["fault"]: figures for figures in lines}
    assert set(by_fault) == {"kill-worker", "flush-redis", "restart-redis", "redis-down-30s", "two-beats", "db-blip", "esp-errors"}
    for figures in lines:
        assert figures["hosts"] == 2
        assert_recovered(figures)
    for name in ("kill-worker", "flush-redis", "restart-redis", "redis-down-30s", "two-beats", "db-blip"):
        assert by_fault[name]["transport"] == "smtp" and by_fault[name]["received"] >= 300


def test_provider_errors_and_time_outs_lose_nothing(bench_send):
    """Enough recipients for several API calls of 500 (the fault strikes at 20 %): the fake ESP answers 503 and 429."""
    (figures,) = bench_send("--recipients", "2500", "--workers", "2", "--fault", "esp-errors")
    assert figures["transport"] == "esp"
    assert_recovered(figures)
    assert figures["esp_faults"].get("503", 0) >= 1 and figures["esp_faults"].get("429", 0) >= 1, figures
