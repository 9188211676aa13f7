"""Shared fixtures and the rule that, in CI, a skipped test is a failed run.

Tests that need a real service (PostgreSQL, Redis, a Celery worker, SMTP, a
browser) skip with a visible reason on a laptop without them. ``.ci/run``
sets ``FAIL_ON_SKIP=1``, which turns every skip into a failure of the run.
"""

import os

import pytest

from cms.factories import build_site_tree

pytest_plugins = ["tests.services"]

_skipped = []


def pytest_runtest_logreport(report):
    if report.skipped:
        _skipped.append(report.nodeid)


def pytest_sessionfinish(session, exitstatus):
    if os.environ.get("FAIL_ON_SKIP") == "1" and _skipped:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter):
    if os.environ.get("FAIL_ON_SKIP") == "1" and _skipped:
        terminalreporter.write_line(
            f"FAIL_ON_SKIP=1: {len(_skipped)} test(s) skipped, which fails this run: " + ", ".join(_skipped[:10]),
            red=True,
        )


@pytest.fixture
def site_tree(db):
    """The home page as site root, with the article and call indexes: ``(home, articles, calls)``."""
    return build_site_tree()
