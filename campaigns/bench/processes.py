"""The processes a benchmark run starts: its own redis-server, Celery workers, and what they cost (/proc)."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings

from campaigns.loopback import free_port

START_TIMEOUT = 90
STOP_TIMEOUT = 20
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


class StartError(Exception):
    pass


class RedisServer:
    """A redis-server of the run's own, without persistence, so a flush or restart hits nobody else."""

    def __init__(self, log_dir, binds=("127.0.0.1",)):
        self.binds = tuple(binds)
        self.port = free_port()
        self.log_path = Path(log_dir) / "redis.log"
        self.process = None

    def url_on(self, address):
        return f"redis://{address}:{self.port}/0"

    @property
    def url(self):
        return self.url_on("127.0.0.1")

    def start(self):
        command = [
            "redis-server",
            *("--port", str(self.port), "--bind", *self.binds),
            *("--save", "", "--appendonly", "no", "--protected-mode", "no"),
        ]
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + START_TIMEOUT
        while not self.ping():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise StartError(f"redis-server did not start:\n{self.log_path.read_text(errors='replace')[-2000:]}")
            time.sleep(0.05)

    def ping(self):
        import redis

        try:
            return redis.Redis.from_url(self.url, socket_connect_timeout=0.5).ping()
        except redis.RedisError:
            return False

    def flushall(self):
        import redis

        redis.Redis.from_url(self.url).flushall()

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def celery_command(name):
    return [
        str(Path(sys.executable).parent / "celery"),
        *("-A", "cms", "worker", "--pool=prefork", "--concurrency=1", "--loglevel=INFO"),
        *("-Q", "celery,dispatch", "--without-gossip", "--without-mingle", "--without-heartbeat"),
        *("-n", f"{name}@%h"),
    ]


class Worker:
    """One Celery worker as production runs it (prefork, concurrency 1), maybe inside a network namespace."""

    def __init__(self, name, env, log_dir, namespace=None):
        self.name = name
        self.namespace = namespace
        self.log_path = Path(log_dir) / f"{name}.log"
        command = celery_command(name)
        if namespace:
            command = ["ip", "netns", "exec", namespace, *command]  # ip execs: the pid stays the worker's
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                command, cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )

    @property
    def pid(self):
        return self.process.pid

    def alive(self):
        return self.process.poll() is None

    def ready(self):
        if b" ready." in self.log_path.read_bytes():
            return True
        if not self.alive():
            raise StartError(f"Worker {self.name} exited:\n{self.log_path.read_text(errors='replace')[-3000:]}")
        return False

    def kill(self):
        """SIGKILL the worker and its pool child at once, as a crashed host stops."""
        if self.alive():
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def stop(self):
        if self.alive():
            self.process.terminate()
            try:
                self.process.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.kill()


def wait_ready(workers):
    deadline = time.monotonic() + START_TIMEOUT
    for worker in workers:
        while not worker.ready():
            if time.monotonic() > deadline:
                raise StartError(f"Worker {worker.name} not ready in {START_TIMEOUT}s")
            time.sleep(0.2)


def children_by_parent():
    tree = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        tree.setdefault(int(fields[1]), []).append(int(entry.name))
    return tree


def descendants(pid, tree):
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(tree.get(current, ()))
    return found


def cpu_ticks(pid):
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2 :].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def status_kb(pid, field):
    """A memory figure of ``/proc/<pid>/status`` in kB: ``VmRSS`` (now) or ``VmHWM`` (peak)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    return 0


def peak_rss_kb(pid):
    return status_kb(pid, "VmHWM")


class Usage:
    """CPU and peak memory of worker process trees, sampled from /proc.

    A worker's CPU is its main process's plus its pool child's, which does the
    work, counted from ``baseline()`` on (start-up is not sending); a killed
    worker keeps what was last sampled. Its memory is the peak RSS of its
    largest process (the pool child; the two share most pages after fork).
    """

    def __init__(self):
        self.ticks = {}
        self.start_ticks = {}
        self.peak_kb = {}

    def sample(self, workers):
        tree = children_by_parent()
        for worker in workers:
            if not worker.alive():
                continue
            for pid in descendants(worker.pid, tree):
                try:
                    self.ticks[pid] = cpu_ticks(pid)
                    self.peak_kb[worker.name] = max(self.peak_kb.get(worker.name, 0), peak_rss_kb(pid))
                except (OSError, ValueError, IndexError):
                    continue

    def baseline(self, workers):
        self.sample(workers)
        self.start_ticks = dict(self.ticks)

    def cpu_seconds(self):
        return sum(ticks - self.start_ticks.get(pid, 0) for pid, ticks in self.ticks.items()) / CLOCK_TICKS

    def peak_rss_mb(self):
        return round(max(self.peak_kb.values(), default=0) / 1024, 1)
