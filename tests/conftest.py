"""Shared fixtures; the plugins for real services, parallel runs and the rule that, in CI, a skipped test is a failed run.

Tests that need a real service (PostgreSQL, Redis, a Celery worker, SMTP, a
browser) skip with a visible reason on a laptop without them. ``.ci/run``
sets ``FAIL_ON_SKIP=1``, which turns every skip into a failure of the run
(``tests/fail_on_skip.py``).
"""

import pytest

from cms.factories import build_site_tree

pytest_plugins = ["tests.services", "tests.parallel", "tests.fail_on_skip", "tests.slow_first"]


def pytest_collection_modifyitems(items):
    """Every transactional test restores the migrated data before it runs (``serialized_rollback``).

    Such a test ends by emptying the database. With the restore, the next one
    finds Wagtail's root page, groups and content types again; without it, a
    test that flushed with Django's post-migrate signal re-creates content types
    under new ids, which the next restoring test then collides with.
    """
    for item in items:
        marker = item.get_closest_marker("django_db")
        transactional = bool(marker and marker.kwargs.get("transaction")) or bool(
            {"transactional_db", "live_server"} & set(item.fixturenames)
        )
        if transactional and not (marker and marker.kwargs.get("serialized_rollback")):
            item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=True), append=False)


@pytest.fixture
def site_tree(db):
    """The home page as site root, with the article and call indexes: ``(home, articles, calls)``."""
    return build_site_tree()
