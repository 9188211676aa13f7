"""One benchmark run: services of its own, the raw limit, then the mailing through real workers.

``Bench`` owns what lives for the whole command: the run's redis-server and,
with ``hosts`` > 1, the network namespaces and the database relay. A
``Session`` is one transport's sink (or fake ESP) and its workers; each
measurement is a fresh throwaway mailing sent through it. Everything is
stopped and deleted on the way out, also after an error.
"""

import bisect
import os
import subprocess
import tempfile
import time
import uuid
from contextlib import ExitStack
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection
from django.db.models import Count

from campaigns.loopback import CountingSmtpSink, FakeMailgun
from campaigns.models import Delivery

from . import raw
from .faults import FAULTS, WORKER_APPLICATION_NAME
from .mailings import MAILINGS, first_delivery_mail
from .netns import Namespaces
from .processes import RedisServer, Usage, Worker, wait_ready

BEAT_INTERVAL = 60
POLL = 0.2
SAMPLE_EVERY = 0.5
LEDGER_EVERY = 1.0
FINAL = (Delivery.Status.SENT, Delivery.Status.FAILED, Delivery.Status.SKIPPED)
ESP_BATCH = 500
RECOVERED_SHARE = 0.8
RATE_WINDOW = 5.0
PRE_FAULT_WINDOW = 5.0


def database_url(host=None, port=None):
    """A DATABASE_URL for the database this process uses, tagged with the workers' application_name."""
    config = connection.settings_dict
    user = quote(config["USER"] or "", safe="")
    password = quote(config["PASSWORD"] or "", safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = host or config["HOST"] or "localhost"
    port = port or config["PORT"] or 5432
    return f"postgres://{credentials}{host}:{port}/{config['NAME']}?application_name={WORKER_APPLICATION_NAME}"


def git_commit():
    """The commit measured, "+dirty" when the campaigns app differs from it (the workers run the work tree)."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=10
        )
        changed = subprocess.run(["git", "diff", "--quiet", "HEAD", "--", "campaigns"], cwd=settings.BASE_DIR, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return None
    commit = head.stdout.strip()
    return f"{commit}+dirty" if commit and changed.returncode == 1 else commit or None


class Session:
    """A sink (or fake ESP) and ``count`` workers spread over the hosts, sending to it."""

    def __init__(self, bench, transport, count, sink_delay):
        self.bench = bench
        self.transport = transport
        self.redis = bench.redis
        addresses = bench.namespaces.host_addresses if bench.namespaces else []
        if transport == "esp":
            self.server = FakeMailgun(also_on=addresses)
        else:
            self.server = CountingSmtpSink(delay=sink_delay, also_on=addresses)
        self.workers = []
        self.started = 0
        self.count = count

    def __enter__(self):
        self.server.__enter__()
        try:
            self.workers = [self.spawn() for _ in range(self.count)]
            wait_ready(self.workers)
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc_info):
        for worker in self.workers:
            worker.stop()
        self.server.__exit__(None, None, None)

    def spawn(self):
        hosts = self.bench.namespaces.hosts if self.bench.namespaces else [None]
        host = hosts[self.started % len(hosts)]
        address = host.host_address if host else "127.0.0.1"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": self.bench.settings_module,
            "EMAIL_URL": self.server.url_on(address),
            "REDIS_URL": self.redis.url_on(address),
            "DATABASE_URL": database_url(host=address if host else None),
        }
        name = f"bench-{self.started}"
        self.started += 1
        return Worker(name, env, self.bench.log_dir, namespace=host.name if host else None)

    def launch_env(self):
        """The environment of a process that launches on this session's broker and database (campaigns.bench.freeze)."""
        return {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": self.bench.settings_module,
            "REDIS_URL": self.redis.url,
            "DATABASE_URL": database_url(),
        }

    def add_worker(self):
        self.workers.append(self.spawn())

    def kill_one_worker(self):
        alive = [worker for worker in self.workers if worker.alive()]
        victim = alive[0]
        victim.kill()
        return victim.name

    def alive_workers(self):
        return [worker for worker in self.workers if worker.alive()]


class Bench:
    def __init__(self, *, transport, workers, hosts, kind, sink_delay, timeout, log):
        self.transport = transport
        self.worker_count = workers
        self.hosts = hosts
        self.kind = kind
        self.sink_delay = sink_delay
        self.timeout = timeout
        self.log = log
        self.settings_module = os.environ.get("DJANGO_SETTINGS_MODULE") or settings.SETTINGS_MODULE
        self.namespaces = None
        self.raw_figures = {}

    def __enter__(self):
        self.stack = ExitStack()
        try:
            self.log_dir = Path(self.stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-send-")))
            binds = ["127.0.0.1"]
            if self.hosts > 1:
                self.namespaces = self.stack.enter_context(Namespaces(self.hosts))
                binds += self.namespaces.host_addresses
                config = connection.settings_dict
                self.namespaces.start_relay(config["HOST"] or "127.0.0.1", config["PORT"] or 5432, self.log_dir / "relay.log")
            self.redis = RedisServer(self.log_dir, binds=binds)
            self.redis.start()
            self.stack.callback(self.redis.stop)
            self.use_broker(self.redis.url)
        except BaseException:
            self.stack.close()
            raise
        return self

    def __exit__(self, *exc_info):
        self.stack.close()

    @staticmethod
    def use_broker(url):
        """This process launches and plays the beat: its Celery messages go to the run's Redis too."""
        from cms.celery import app

        app.conf.broker_url = url

    def session(self, transport):
        return Session(self, transport, self.worker_count, self.sink_delay)

    def raw(self, transport, sample, addresses):
        """The raw limit for this transport and these addresses (measured once per command and size)."""
        key = (transport, len(addresses))
        if key not in self.raw_figures:
            server = FakeMailgun() if transport == "esp" else CountingSmtpSink(delay=self.sink_delay)
            with server:
                self.log(f"raw limit: {len(addresses)} mails by one process over one {transport} connection")
                figures = raw.measure(
                    raw.spec_of(sample, addresses, ESP_BATCH if transport == "esp" else None), server.url, self.log_dir
                )
                received, _ = server.progress()
            if received != len(addresses):
                raise RuntimeError(f"The raw sender's sink received {received} of {len(addresses)} mails")
            self.raw_figures[key] = figures
        return self.raw_figures[key]

    def measure(self, session, recipients, fault_name=None):
        """Send one throwaway mailing through ``session``; return the figures (one JSON line's worth)."""
        run = uuid.uuid4().hex[:8]
        self.log(f"creating {recipients} recipients (run {run})")
        mailing = MAILINGS[self.kind](run, recipients)
        try:
            sample = mailing.sample_mail()
            raw_figures = self.raw(session.transport, sample, mailing.addresses) if sample else None
            figures = self.send(session, mailing, recipients, fault_name)
            if raw_figures is None:
                raw_figures = self.raw(session.transport, first_delivery_mail(mailing.campaign_id()), mailing.addresses)
        finally:
            self.log("deleting the mailing")
            mailing.delete()
        return with_raw(figures, raw_figures, recipients)

    def send(self, session, mailing, recipients, fault_name):
        fault = FAULTS[fault_name](session, self.log) if fault_name else None
        if fault:
            fault.arm(recipients)
        usage = Usage()
        usage.baseline(session.alive_workers())
        already, _ = session.server.progress()
        self.log(f"launching; {len(session.alive_workers())} worker(s), fault {fault_name or 'none'}")
        started = time.monotonic()
        launch_figures = mailing.start(session.launch_env()) or {}
        launched = time.monotonic()
        if "started_at" in launch_figures:  # launched in a process of its own: its start-up is not the launch
            started = launched - (time.time() - launch_figures["started_at"])
        last_beat = last_sample = last_ledger = launched
        while True:
            now = time.monotonic()
            count, _ = session.server.progress()
            if fault:
                fault.tick((count - already) / recipients)
            if now - last_sample >= SAMPLE_EVERY:
                usage.sample(session.alive_workers())
                last_sample = now
            if now - last_beat >= BEAT_INTERVAL:
                self.beat()
                last_beat = now
            if now - last_ledger >= LEDGER_EVERY:
                last_ledger = now
                counts = ledger(mailing.campaign_id())
                if sum(counts.get(status, 0) for status in FINAL) >= recipients and (fault is None or fault.done):
                    break
                self.log(f"{count - already} accepted, ledger {counts}")
            if now - launched > self.timeout:
                raise RuntimeError(f"Not finished within {self.timeout}s: {ledger(mailing.campaign_id())}")
            time.sleep(POLL)
        usage.sample(session.alive_workers())
        _, times = session.server.progress()
        times = times[already:]
        received = session.server.received
        received = received() if callable(received) else received
        addresses = set(mailing.addresses)
        counts = dict(received)
        distinct = sum(1 for address in addresses if counts.get(address))
        last = times[-1] if times else time.monotonic()
        seconds = last - started
        campaign_id = mailing.campaign_id()
        figures = {
            "kind": self.kind,
            "recipients": recipients,
            "transport": session.transport,
            "workers": self.worker_count,
            "hosts": self.hosts,
            "seconds": round(seconds, 2),
            "launch_seconds": launch_figures.get("seconds", round(launched - started, 2)),
            "launch_memory_growth_mb": launch_figures.get("memory_growth_mb"),
            "mails_per_second": round(distinct / seconds, 1) if seconds > 0 else None,
            # From the first mail to the last: the sending path alone, without the launch before it.
            "sending_mails_per_second": round(distinct / (last - times[0]), 1) if len(times) > 1 and last > times[0] else None,
            "sender_cpu_ms_per_mail": round(usage.cpu_seconds() * 1000 / distinct, 3) if distinct else None,
            "worker_peak_rss_mb": usage.peak_rss_mb(),
            "received": sum(counts.get(address, 0) for address in addresses),
            "distinct_recipients": distinct,
            "duplicates": sum(max(counts.get(address, 0) - 1, 0) for address in addresses),
            "missing": len(addresses) - distinct,
            "accepted_not_committed": Delivery.objects.filter(
                message__campaign_id=campaign_id, reclaimed_at__isnull=False
            ).count(),
            "ledger": ledger(campaign_id),
            "commit": git_commit(),
        }
        if fault:
            figures["fault"] = fault.name
            figures["recovery_seconds"] = recovery_seconds(times, fault.events)
            faults = getattr(session.server, "faults", None)
            if fault.name == "esp-errors" and faults is not None:
                figures["esp_faults"] = dict(faults)
        return figures

    def beat(self):
        """The beat's minute, played by this process (the workers consume its ``dispatch`` queue)."""
        from campaigns.services.dispatch import dispatch_due_work

        try:
            dispatch_due_work()
        except Exception as error:  # noqa: BLE001 - Redis may be down on purpose; the next minute tries again
            self.log(f"beat tick failed: {error.__class__.__name__}")
            connection.close()


def ledger(campaign_id):
    if campaign_id is None:
        return {}
    rows = Delivery.objects.filter(message__campaign_id=campaign_id).values_list("status").annotate(n=Count("pk"))
    return dict(rows)


def with_raw(figures, raw_figures, recipients):
    raw_rate = recipients / raw_figures["seconds"] if raw_figures["seconds"] else None
    figures["raw_mails_per_second"] = round(raw_rate, 1) if raw_rate else None
    figures["ratio"] = round(figures["mails_per_second"] / raw_rate, 3) if raw_rate and figures["mails_per_second"] else None
    figures["raw_cpu_ms_per_mail"] = round(raw_figures["cpu_seconds"] * 1000 / recipients, 3)
    return figures


def rate_between(times, start, end):
    if end <= start:
        return 0.0
    return (bisect.bisect_right(times, end) - bisect.bisect_right(times, start)) / (end - start)


def recovery_seconds(times, events, step=0.1):
    """Seconds from the first fault until the rest of the mailing runs at full speed, or until its last mail.

    Full speed: from that moment to the last mail, the send rate is at least
    80 % of the rate in the 5 s before the first fault (or since the first
    mail, if the fault came sooner). Measured to the end, so that a burst of
    mails already in flight when the fault struck does not count as
    recovered. A fault that never slowed the mailing shows the time from the
    first fault to the last one (0 for a single fault).
    """
    if not events or not times:
        return None
    first, last_event = events[0], events[-1]
    before_start = max(times[0], first - PRE_FAULT_WINDOW)
    before = rate_between(times, before_start, first) if first > before_start else 0.0
    finished = times[-1]
    moment = last_event
    while moment <= finished - RATE_WINDOW:
        if before and rate_between(times, moment, finished) >= RECOVERED_SHARE * before:
            return round(moment - first, 1)
        moment += step
    return round(max(finished - first, 0.0), 1)
