"""Fixtures for tests against real services: Redis, PostgreSQL, an SMTP server, a Celery worker.

Each fixture skips with the reason when its service is missing, so a laptop
without Redis still runs the rest; ``FAIL_ON_SKIP=1`` (CI) makes such a skip
fail the run.
"""

import email
import email.policy
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from aiosmtpd.controller import Controller
from django.conf import settings

WORKER_START_TIMEOUT = 30
WORKER_STOP_TIMEOUT = 10


@pytest.fixture(scope="session")
def redis_url():
    """The Redis the tests may use (and flush): ``REDIS_URL``, e.g. ``redis://127.0.0.1:6379/15``."""
    url = os.environ.get("REDIS_URL", "")
    if not url:
        pytest.skip("REDIS_URL not set: this test needs a real Redis (e.g. redis://127.0.0.1:6379/15)")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        pytest.skip(f"REDIS_URL not reachable: {url} ({error})")
    return url


@pytest.fixture(scope="session")
def postgres():
    """Skip unless the tests run against PostgreSQL (``DATABASE_URL=postgres://...``)."""
    engine = settings.DATABASES["default"]["ENGINE"]
    if "postgresql" not in engine:
        pytest.skip(f"DATABASE_URL is not PostgreSQL (engine {engine}): this test needs a real PostgreSQL")


class SmtpSink:
    """Collects every message the SMTP server receives, parsed."""

    def __init__(self):
        self.host = "127.0.0.1"
        self.port = None
        self.delay = 0.0  # seconds per message, to make a send last long enough to interrupt
        self.messages = []
        self._received = threading.Condition()

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            time.sleep(self.delay)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self._received:
            self.messages.append(message)
            self._received.notify_all()
        return "250 Message accepted for delivery"

    def wait_for(self, count, timeout=20):
        """Wait until ``count`` messages arrived; return them all (fails the test on timeout)."""
        with self._received:
            if not self._received.wait_for(lambda: len(self.messages) >= count, timeout=timeout):
                pytest.fail(f"SMTP sink: expected {count} message(s) within {timeout}s, got {len(self.messages)}")
            return list(self.messages)

    @property
    def url(self):
        return f"smtp://{self.host}:{self.port}"


def free_port(host="127.0.0.1"):
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_sink():
    """A real SMTP server (aiosmtpd) on 127.0.0.1 and a free port."""
    sink = SmtpSink()
    sink.port = free_port(sink.host)
    controller = Controller(sink, hostname=sink.host, port=sink.port)
    controller.start()
    yield sink
    controller.stop()


def database_url(settings_dict):
    """A ``DATABASE_URL`` for the database Django is connected to (the test database)."""
    user = quote(settings_dict["USER"] or "", safe="")
    password = quote(settings_dict["PASSWORD"] or "", safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    port = f":{settings_dict['PORT']}" if settings_dict["PORT"] else ""
    return f"postgres://{credentials}{settings_dict['HOST'] or 'localhost'}{port}/{settings_dict['NAME']}"


class CeleryWorker:
    def __init__(self, process, log_path):
        self.process = process
        self.log_path = log_path

    def log(self):
        return self.log_path.read_text(errors="replace")

    def wait_until_ready(self):
        deadline = time.monotonic() + WORKER_START_TIMEOUT
        while time.monotonic() < deadline:
            if " ready." in self.log():
                return
            if self.process.poll() is not None:
                pytest.fail(f"Celery worker exited with {self.process.returncode}:\n{self.log()}")
            time.sleep(0.1)
        pytest.fail(f"Celery worker not ready within {WORKER_START_TIMEOUT}s:\n{self.log()}")

    def kill(self):
        """SIGKILL the worker and its pool children at once, as a crashed host would stop."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def stop(self):
        """Warm shutdown (SIGTERM); kill the worker's process group if it hangs."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(WORKER_STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.kill()


def worker_environment(redis_url, email_url):
    from django.db import connection

    # DJANGO_SETTINGS_MODULE comes with os.environ (pytest-django puts it there);
    # settings.SETTINGS_MODULE would be None inside a test that overrides settings.
    return {
        **os.environ,
        "DATABASE_URL": database_url(connection.settings_dict),
        "REDIS_URL": redis_url,
        "EMAIL_URL": email_url,
    }


def spawn_celery_worker(env, log_path):
    """Start one worker process in its own process group; see ``CeleryWorker.wait_until_ready``."""
    command = [
        str(Path(sys.executable).parent / "celery"),
        "-A",
        "cms",
        "worker",
        "--pool=prefork",
        "--concurrency=1",
        "-Q",
        "celery",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        "--loglevel=INFO",
        "-n",
        f"test-{uuid.uuid4().hex[:8]}@%h",
    ]
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(
            command,
            cwd=settings.BASE_DIR,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return CeleryWorker(process, log_path)


def start_celery_worker(env, log_path):
    worker = spawn_celery_worker(env, log_path)
    try:
        worker.wait_until_ready()
    except BaseException:
        worker.kill()
        raise
    return worker


@pytest.fixture
def celery_worker(transactional_db, postgres, redis_url, smtp_sink, tmp_path):
    """A real Celery worker process on the test database, the test Redis and the SMTP sink.

    Redis is flushed first so that no message left by an earlier run reaches this worker.
    """
    redis.Redis.from_url(redis_url).flushdb()
    worker = start_celery_worker(worker_environment(redis_url, smtp_sink.url), tmp_path / "celery-worker.log")
    try:
        yield worker
    finally:
        worker.stop()


class CeleryWorkers:
    """Starts workers on demand; every one still running is stopped when the test ends."""

    def __init__(self, redis_url, log_dir):
        self.redis_url = redis_url
        self.log_dir = log_dir
        self.started = []

    def start(self, email_url, count=1):
        """Start ``count`` workers side by side and return them once all are ready."""
        env = worker_environment(self.redis_url, email_url)
        workers = [
            spawn_celery_worker(env, self.log_dir / f"celery-worker-{len(self.started) + index}.log")
            for index in range(count)
        ]
        self.started.extend(workers)
        for worker in workers:
            worker.wait_until_ready()
        return workers

    def logs(self):
        return "\n".join(worker.log() for worker in self.started)

    def kill_all(self):
        for worker in self.started:
            worker.kill()


@pytest.fixture
def celery_workers(transactional_db, postgres, redis_url, tmp_path):
    """``celery_workers.start(email_url, count=1)``: real worker processes, on a flushed Redis; killed at the end."""
    redis.Redis.from_url(redis_url).flushdb()
    workers = CeleryWorkers(redis_url, tmp_path)
    try:
        yield workers
    finally:
        workers.kill_all()  # the ledger is in the database: nothing a worker holds needs a clean stop
