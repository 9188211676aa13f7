"""Faults a benchmark run injects mid-mailing, triggered by the share of mails the sink has accepted.

Each fault records the monotonic moments it struck (``events``); the
harness measures recovery from the first of them.
"""

import threading
import time

from django.db import connection, connections

REDIS_DOWN_SECONDS = 30
BEAT_TICKS = 5
ESP_ERRORS, ESP_TIMEOUTS = 0.05, 0.01
# Longer than anymail's 30 s request timeout: the worker gives up first.
ESP_TIMEOUT_HOLD = 35
# The workers' PostgreSQL application_name, by which db-blip finds their connections.
WORKER_APPLICATION_NAME = "zwbench-worker"


class Fault:
    name = None
    at = ()  # shares of the mailing accepted at which ``strike`` runs

    def __init__(self, session, log):
        self.session = session
        self.log = log
        self.events = []

    def arm(self, recipients):
        """Called before the launch: a fault that must strike at an exact count sets it up here."""

    def tick(self, share):
        """Called on every poll with the share accepted so far; strikes when a threshold is passed."""
        while len(self.events) < len(self.at) and share >= self.at[len(self.events)]:
            self.events.append(time.monotonic())
            self.strike(len(self.events) - 1)
        self.follow_up()

    def strike(self, index):
        raise NotImplementedError

    def follow_up(self):
        """Work a fault still has to do after striking (bring Redis back, ...)."""

    @property
    def done(self):
        return len(self.events) == len(self.at) and self.settled()

    def settled(self):
        return True


class KillWorker(Fault):
    """SIGKILL one worker (and its pool child) at 30 % and again at 60 %, starting a new one each time."""

    name = "kill-worker"
    at = (0.3, 0.6)

    def strike(self, index):
        killed = self.session.kill_one_worker()
        self.log(f"killed {killed}; starting a replacement")
        self.session.add_worker()


class FlushRedis(Fault):
    name = "flush-redis"
    at = (0.5,)

    def strike(self, index):
        self.session.redis.flushall()
        self.log("FLUSHALL on the run's Redis")


class RestartRedis(Fault):
    name = "restart-redis"
    at = (0.5,)

    def strike(self, index):
        self.session.redis.stop()
        self.session.redis.start()
        self.log("Redis restarted (empty: no persistence)")


class RedisDown(Fault):
    name = "redis-down-30s"
    at = (0.3,)

    def strike(self, index):
        self.session.redis.stop()
        self.log(f"Redis stopped for {REDIS_DOWN_SECONDS}s")

    def follow_up(self):
        if self.events and not self.settled() and time.monotonic() - self.events[0] >= REDIS_DOWN_SECONDS:
            self.session.redis.start()
            self.log("Redis is back (empty)")

    def settled(self):
        return self.session.redis.ping()


class EspErrors(Fault):
    """From 20 % on, 5 % of API calls answer 429 (Retry-After) or 503 and 1 % time out (drawn from a seeded
    generator: the same calls in every run); the next two calls after 20 % get a 503 and a 429 in any case,
    so even a short mailing meets both. The fake ESP counts the 20 % itself (armed before the launch), so a
    fast mailing cannot pass it between two polls."""

    name = "esp-errors"
    at = (0.2,)
    transport = "esp"

    def arm(self, recipients):
        after = max(int(recipients * self.at[0]), 1)
        self.session.server.fail_randomly(ESP_ERRORS, ESP_TIMEOUTS, ESP_TIMEOUT_HOLD, first=("503", "429"), after=after)

    def strike(self, index):
        self.log("the fake ESP now fails 5 % of calls (429/503) and lets 1 % time out")


class TwoBeats(Fault):
    """Two dispatchers tick at the same moment, five times a second apart, as two beats would."""

    name = "two-beats"
    at = (0.3,)

    def strike(self, index):
        from campaigns.services.dispatch import dispatch_due_work

        barrier = threading.Barrier(2)

        def beat():
            try:
                for _ in range(BEAT_TICKS):
                    barrier.wait()
                    dispatch_due_work()
                    time.sleep(1)
            finally:
                connections.close_all()

        self.threads = [threading.Thread(target=beat, daemon=True) for _ in range(2)]
        for thread in self.threads:
            thread.start()
        self.log("two dispatchers ticking together")

    def settled(self):
        return not any(thread.is_alive() for thread in self.threads)


class DbBlip(Fault):
    """At 50 %, ``pg_terminate_backend`` every connection of the workers (found by their application_name)."""

    name = "db-blip"
    at = (0.5,)

    def strike(self, index):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND application_name = %s AND pid <> pg_backend_pid()",
                [WORKER_APPLICATION_NAME],
            )
            (terminated,) = cursor.fetchone()
        self.log(f"terminated {terminated} database connection(s) of the workers")


FAULTS = {fault.name: fault for fault in (KillWorker, FlushRedis, RestartRedis, RedisDown, TwoBeats, DbBlip, EspErrors)}
