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

    def run(*options, timeout=300):
        env = {**os.environ, "DATABASE_URL": database_url(connection.settings_dict)}
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
    assert 0 < figures["ratio"] == pytest.approx(figures["mails_per_second"] / figures["raw_mails_per_second"], rel=0.01)
    assert figures["sender_cpu_ms_per_mail"] > 0 and figures["raw_cpu_ms_per_mail"] > 0
    assert figures["worker_peak_rss_mb"] > 0
