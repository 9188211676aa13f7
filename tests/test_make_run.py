"""`make run` ends in `make start`: web, Celery worker and beat under honcho. Ctrl-C must stop all
three without an error line, and the merged log must read on one clock."""

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from datetime import datetime
from pathlib import Path

import pytest

pytestmark = pytest.mark.services

ROOT = Path(__file__).resolve().parents[1]
HONCHO_LINE = re.compile(r"^(\d\d:\d\d:\d\d) (\w+)\.1 +\| (.*)$")
CELERY_TIME = re.compile(r"^\[\d{4}-\d\d-\d\d (\d\d:\d\d:\d\d),\d+: ")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def dev_env(tmp_path):
    """The dev settings on a fresh, migrated SQLite in a VAR_DIR of its own, on a machine whose clock is UTC."""
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "REDIS_URL", "EMAIL_URL"}}
    env.update(DJANGO_SETTINGS_MODULE="cms.settings.dev", VAR_DIR=str(tmp_path), TZ="UTC")
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True, timeout=180
    )
    return env


def collect(stream, lines):
    for line in stream:
        lines.append(line.rstrip("\n"))


def wait_for(condition, timeout, what):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"no {what} within {timeout} s"
        time.sleep(0.5)


def answers(url):
    try:
        urllib.request.urlopen(url, timeout=2)
    except OSError:
        return False
    return True


@pytest.mark.slow
def test_ctrl_c_stops_web_worker_and_beat_cleanly_on_one_clock(dev_env):
    port = free_port()
    make = subprocess.Popen(
        ["make", "--no-print-directory", "start", f"PORT={port}", f"VAR_DIR={dev_env['VAR_DIR']}"],
        cwd=ROOT,
        env=dev_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    lines = []
    reader = threading.Thread(target=collect, args=(make.stdout, lines), daemon=True)
    reader.start()
    try:
        wait_for(lambda: answers(f"http://127.0.0.1:{port}/favicon.ico"), 60, "answer from the site")
        robots = urllib.request.urlopen(f"http://127.0.0.1:{port}/robots.txt", timeout=5).read().decode()
        assert f"http://127.0.0.1:{port}/sitemap.xml" in robots, "links must point at the port served"
        wait_for(lambda: any("celery@" in line and "ready." in line for line in lines), 60, "ready worker")
        wait_for(lambda: any("Scheduler: Sending due task" in line for line in lines), 70, "task sent by beat")
        # What Ctrl-C in a terminal does: SIGINT to every process in the foreground group.
        os.killpg(make.pid, signal.SIGINT)
        make.wait(timeout=30)
    finally:
        if make.poll() is None:
            os.killpg(make.pid, signal.SIGKILL)
    reader.join(timeout=5)
    log = "\n".join(lines)

    # GNU make, interrupted itself, re-raises SIGINT once its recipe has ended: silently, no "Error 130".
    assert make.returncode in (0, -signal.SIGINT), log
    for bad in ("ERROR", "Error 130", "Interrupt", "SIGKILL", "Traceback"):
        assert bad not in log, f"{bad!r} in the log:\n{log}"
    assert "worker.1 stopped" in log and "beat.1 stopped" in log and "web.1 stopped" in log

    stamped = [
        (match[1], CELERY_TIME.match(match[3])[1])
        for match in filter(None, map(HONCHO_LINE.match, lines))
        if CELERY_TIME.match(match[3])
    ]
    assert stamped, log
    for honcho_time, celery_time in stamped:
        apart = abs(datetime.strptime(honcho_time, "%H:%M:%S") - datetime.strptime(celery_time, "%H:%M:%S"))
        assert apart.total_seconds() <= 2, f"honcho says {honcho_time}, Celery {celery_time}"
