"""The demo site as ``manage.py seed_demo`` builds it, for tests that need the demo's own pages and accounts.

Import ``seeded_once`` and ``seeded`` into a test module: the demo is seeded once
for that module (seconds per run) and rolled back when the module is done.
"""

import io

import pytest
from django.core.management import call_command
from django.db import transaction


def seed():
    """Run ``seed_demo``; returns what it printed."""
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def seeded_once(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield seed()
        transaction.set_rollback(True)


@pytest.fixture
def seeded(seeded_once, db):
    """The first run's output; what a test changes rolls back to the seeded state."""
    return seeded_once
