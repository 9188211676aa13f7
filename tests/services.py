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


def serving(sink):
    """Run ``sink`` as a real SMTP server (aiosmtpd) on 127.0.0.1 and a free port while the fixture lasts."""
    sink.port = free_port(sink.host)
    controller = Controller(sink, hostname=sink.host, port=sink.port)
    controller.start()
    yield sink
    controller.stop()


@pytest.fixture
def smtp_sink():
    """A real SMTP server that accepts every mail."""
    yield from serving(SmtpSink())


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
        "celery,dispatch",  # as Procfile.dev and docker-compose.yml: the beat's tick has a queue of its own
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

    def start(self, email_url, count=1, **environment):
        """Start ``count`` workers side by side and return them once all are ready.

        ``environment`` adds variables to theirs, e.g. ``DELIVERY_LEASE_SECONDS="6"``.
        """
        env = {**worker_environment(self.redis_url, email_url), **environment}
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


SERVER_START_TIMEOUT = 30


def web_environment(var_dir, **overrides):
    """The environment docker-compose.yml gives the web service, on the test database and ``var_dir``.

    Variables the settings read are dropped from this process's environment
    first, so that nothing of the test settings leaks into production.
    """
    from django.db import connection

    kept = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "REDIS_", "EMAIL_"))}
    for name in ("DATABASE_URL", "SECRET_KEY", "VAR_DIR", "MEDIA_ROOT", "ALLOWED_HOSTS", "SITE_URL"):
        kept.pop(name, None)
    return {
        **kept,
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "SECRET_KEY": settings.SECRET_KEY,
        "SUPPRESSION_HASH_KEY": settings.SUPPRESSION_HASH_KEY,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SITE_URL": "http://localhost:8000",
        "DATABASE_URL": database_url(connection.settings_dict),
        "VAR_DIR": str(var_dir),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        **overrides,
    }


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory):
    """``collectstatic`` with the production storage (manifest, compressed), once per test run."""
    var_dir = tmp_path_factory.mktemp("static-build")
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "VAR_DIR": str(var_dir),
        "SUPPRESSION_HASH_KEY": settings.SUPPRESSION_HASH_KEY,
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=settings.BASE_DIR,
        env=environment,
        check=True,
        timeout=300,
    )
    return var_dir / "static"


class ServerProcess:
    """A server (gunicorn, nginx) listening on 127.0.0.1:``port``; its stdout and stderr go to ``log_path``."""

    def __init__(self, name, process, port, log_path):
        self.name = name
        self.process = process
        self.port = port
        self.log_path = log_path

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def log(self):
        return self.log_path.read_text(errors="replace")

    def wait_until_ready(self):
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"{self.name} exited with {self.process.returncode}:\n{self.log()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.1)
        pytest.fail(f"{self.name} not listening within {SERVER_START_TIMEOUT}s:\n{self.log()}")

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(WORKER_STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_gunicorn(environment, log_path):
    """gunicorn with the project's gunicorn.conf.py (one worker) on a free port."""
    port = free_port()
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "--config",
        str(settings.BASE_DIR / "gunicorn.conf.py"),
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "1",
    ]
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(
            command, cwd=settings.BASE_DIR, env=environment, stdout=log_file, stderr=subprocess.STDOUT
        )
    server = ServerProcess("gunicorn", process, port, log_path)
    try:
        server.wait_until_ready()
    except BaseException:
        server.stop()
        raise
    return server


@pytest.fixture
def start_production_server(transactional_db, postgres, collected_static, tmp_path):
    """``start_production_server(**environment)``: gunicorn on production settings and the test database.

    Its VAR_DIR is this test's own (cache, mail files), with the collected static files linked in.
    """
    var_dir = tmp_path / "var"
    var_dir.mkdir()
    (var_dir / "static").symlink_to(collected_static, target_is_directory=True)
    started = []

    def start(**overrides):
        server = start_gunicorn(web_environment(var_dir, **overrides), tmp_path / f"gunicorn-{len(started)}.log")
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


# What the official nginx image's /etc/nginx/nginx.conf puts around the files it
# includes, with every path a non-root nginx would need moved into ``prefix``.
NGINX_MAIN_CONFIG = """
worker_processes 1;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    keepalive_timeout 65;
    client_body_temp_path {prefix}/client_body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    include {site};
}}
"""


def nginx_site_config(**placeholders):
    """deploy/nginx.conf.template with its ``${ZW_...}`` placeholders filled in, as the nginx image does."""
    text = (settings.BASE_DIR / "deploy" / "nginx.conf.template").read_text()
    for name, value in placeholders.items():
        text = text.replace(f"${{{name}}}", str(value))
    return text


@pytest.fixture
def start_nginx(tmp_path):
    """``start_nginx(upstream_port)``: nginx with deploy/nginx.conf.template in front of 127.0.0.1:upstream_port."""
    binary = os.environ.get("NGINX_PATH") or "/usr/sbin/nginx"
    if not os.access(binary, os.X_OK):
        pytest.skip(f"nginx not found at {binary} (set NGINX_PATH; Debian: apt-get install nginx-light)")
    started = []

    def start(upstream_port):
        prefix = tmp_path / f"nginx-{len(started)}"
        prefix.mkdir()
        port = free_port()
        site = prefix / "site.conf"
        site.write_text(
            nginx_site_config(
                ZW_LISTEN=f"127.0.0.1:{port}",
                ZW_UPSTREAM=f"127.0.0.1:{upstream_port}",
                ZW_MEDIA_ROOT=settings.MEDIA_ROOT,
            )
        )
        main = prefix / "nginx.conf"
        main.write_text(NGINX_MAIN_CONFIG.format(prefix=prefix, site=site))
        # Running as root, nginx's workers would switch to "nobody", who may not read pytest's tmp_path.
        user = "user root;" if os.geteuid() == 0 else ""
        log_path = prefix / "nginx.log"
        directives = f"daemon off; pid {prefix}/nginx.pid; error_log {log_path}; {user}"
        with log_path.open("ab") as log_file:
            process = subprocess.Popen(
                [binary, "-p", str(prefix), "-e", str(log_path), "-c", str(main), "-g", directives],
                stdout=log_file,
                stderr=subprocess.STDOUT,
            )
        server = ServerProcess("nginx", process, port, log_path)
        started.append(server)
        server.wait_until_ready()
        return server

    yield start
    for server in started:
        server.stop()


class RefusingSmtpSink(SmtpSink):
    """An SMTP sink that refuses addresses as real servers do, quoting the address.

    ``refused`` for good (550), ``temporarily_refused`` for now (450, greylisting).
    """

    def __init__(self):
        super().__init__()
        self.refused = set()
        self.temporarily_refused = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused:
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown in virtual mailbox table"
        if address in self.temporarily_refused:
            return f"450 4.2.0 <{address}>: Recipient address rejected: Greylisted, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"


@pytest.fixture
def refusing_smtp_sink():
    """A real SMTP server that refuses the addresses added to its ``refused`` or ``temporarily_refused`` set."""
    yield from serving(RefusingSmtpSink())


@pytest.fixture
def mail_to_refusing_sink(settings, refusing_smtp_sink):
    """Django's own mail (not a worker's) goes over SMTP to ``refusing_smtp_sink``, which it returns."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = refusing_smtp_sink.host, refusing_smtp_sink.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    return refusing_smtp_sink
