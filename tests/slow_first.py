"""Long tests without the test database run first, so that their minutes overlap the rest of a parallel run.

pytest-django orders tests as Django does: database tests, then transactional
ones, then those without a database. A minute-long test without a database
(``make run`` end to end, the page benchmark) therefore came last, and the
other processes of ``make test`` waited for it. Marked ``slow``, it moves to
the front, after pytest-django's sort (``trylast``). Only tests without the
test database may move: a transactional test ahead of the database tests
would leave them an emptied database.
"""

import pytest

DATABASE_FIXTURES = {"db", "transactional_db", "live_server", "django_db_reset_sequences", "django_db_serialized_rollback"}


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    first = []
    for item in items:
        if item.get_closest_marker("slow") is None:
            continue
        if item.get_closest_marker("django_db") or DATABASE_FIXTURES & set(item.fixturenames):
            raise pytest.UsageError(f"{item.nodeid} is marked slow but uses the test database: it cannot run first")
        first.append(item)
    moved = set(map(id, first))
    items[:] = first + [item for item in items if id(item) not in moved]
