"""``FAIL_ON_SKIP=1`` (CI): a skipped test fails the run, with or without pytest-xdist.

Under xdist the controller sees every worker's reports through
``pytest_runtest_logreport`` and decides the exit status there.
"""

import os

import pytest

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
