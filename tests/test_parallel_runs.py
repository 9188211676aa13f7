"""The suite runs in several processes (``make test`` does ``-n 3``): each worker gets its own Redis
database and VAR_DIR, and a skipped test on any worker still fails a ``FAIL_ON_SKIP=1`` run."""

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.parallel import redis_url_for_worker

ROOT = Path(__file__).resolve().parents[1]

RECORDING_CONFTEST = """
import json, os
from pathlib import Path

def pytest_configure(config):
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker:
        seen = {name: os.environ.get(name) for name in ("REDIS_URL", "VAR_DIR")}
        (Path(__file__).parent / f"{worker}.json").write_text(json.dumps(seen))
"""

TESTS = """
import pytest

@pytest.mark.parametrize("number", range(6))
def test_passes(number):
    pass

def test_needs_a_service():
    pytest.skip("no such service here")
"""


def run_in_three_processes(tmp_path, **environment):
    (tmp_path / "conftest.py").write_text(RECORDING_CONFTEST)
    (tmp_path / "test_sample.py").write_text(TESTS)
    dropped = ("PYTEST_", "DJANGO_", "DATABASE_", "REDIS_", "VAR_DIR", "FAIL_ON_SKIP")
    env = {key: value for key, value in os.environ.items() if not key.startswith(dropped)}
    env.update(PYTHONPATH=str(ROOT), **environment)
    command = [sys.executable, "-m", "pytest", "-p", "no:django", "-p", "no:cacheprovider", "-p", "tests.parallel"]
    command += ["-p", "tests.fail_on_skip", "-n", "3", "--rootdir", str(tmp_path), str(tmp_path)]
    return subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)


def test_each_worker_has_its_own_redis_database_and_var_dir_and_a_skip_on_any_fails_the_run(tmp_path):
    var_dir = tmp_path / "var"
    run = run_in_three_processes(
        tmp_path, REDIS_URL="redis://127.0.0.1:6379/15", VAR_DIR=str(var_dir), FAIL_ON_SKIP="1"
    )

    workers = ("gw0", "gw1", "gw2")
    seen = {worker: json.loads((tmp_path / f"{worker}.json").read_text()) for worker in workers}
    assert [seen[worker]["REDIS_URL"] for worker in workers] == [
        "redis://127.0.0.1:6379/15",
        "redis://127.0.0.1:6379/6",
        "redis://127.0.0.1:6379/5",
    ], run.stdout
    assert [seen[worker]["VAR_DIR"] for worker in workers] == [str(var_dir / worker) for worker in workers]
    assert all((var_dir / worker).is_dir() for worker in workers)
    assert run.returncode == 1, run.stdout
    assert "6 passed, 1 skipped" in run.stdout
    assert "FAIL_ON_SKIP=1: 1 test(s) skipped, which fails this run: test_sample.py::test_needs_a_service" in run.stdout


def test_worker_databases_never_repeat_for_sixteen_workers():
    for base in (15, 9, 0):
        databases = [int(redis_url_for_worker(f"redis://h:6379/{base}", index).rsplit("/", 1)[1]) for index in range(16)]
        assert len(set(databases)) == 16
    assert redis_url_for_worker("redis://:secret@h:6380", 1) == "redis://:secret@h:6380/7"
