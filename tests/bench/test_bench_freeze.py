"""The launch figure of ``bench_send``: seconds and memory of freezing the audience, in a process of its own."""

import os
import uuid

import pytest

from tests.services import database_url

pytestmark = pytest.mark.services


def test_the_launch_memory_counts_the_launching_process_alone(transactional_db, postgres):
    """The benchmark process holds every invented contact when it starts the freeze.

    Linux carries a parent's peak RSS over ``exec`` in ``ru_maxrss``; measured
    by it, the freeze of 100,000 seemed to grow by 209 MB, which was the size
    of the benchmark itself. ``VmHWM`` is the launching process's own peak.
    """
    from django.db import connection

    from campaigns.bench.mailings import CallMailing

    ballast = b"x" * (300 * 2**20)  # written, so resident: the parent is 300 MB bigger
    mailing = CallMailing(uuid.uuid4().hex[:8], 40)
    figures = mailing.start({**os.environ, "DATABASE_URL": database_url(connection.settings_dict)})
    assert len(ballast) and figures["recipients"] == 40
    assert 0 <= figures["memory_growth_mb"] < 100, figures
