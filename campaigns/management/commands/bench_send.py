"""Measure the sending engine end to end against the raw limit, with or without a fault, on one or more hosts.

    python manage.py bench_send --recipients 10000 --transport smtp --workers 2
    python manage.py bench_send --recipients 10000 --transport esp --workers 2
    python manage.py bench_send --recipients 10000 --fault kill-worker
    python manage.py bench_send --recipients 10000 --fault all
    python manage.py bench_send --recipients 10000 --hosts 2

Starts a redis-server of its own (free port, no persistence) as the broker,
W real Celery worker processes (prefork, concurrency 1, ``-Q celery,dispatch``)
on the configured PostgreSQL, and an SMTP sink or fake Mailgun API on
loopback that counts every mail and recipient. First the raw limit: the same
N mails by one process over one connection (Django's ``send_messages()``).
Then a throwaway mailing to N invented example.org recipients. Prints one
JSON line per measurement on stdout (progress on stderr); everything it
created is deleted afterwards. ``--hosts 2`` puts the workers in two network
namespaces of their own (needs root). See docs/performance.md and
docs/reliability.md.
"""

import json
import signal

from django.core.management.base import BaseCommand, CommandError

from campaigns.bench.faults import FAULTS
from campaigns.bench.harness import Bench


class Command(BaseCommand):
    help = "Send a throwaway mailing through real workers to a loopback mail server; print one JSON line of figures."

    def add_arguments(self, parser):
        parser.add_argument("--recipients", type=int, default=10000)
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--transport", choices=["smtp", "esp"], default="smtp")
        parser.add_argument("--hosts", type=int, default=1, help="Network namespaces to spread the workers over.")
        parser.add_argument("--kind", choices=["call", "newsletter"], default="call", help="A call's campaign or a newsletter issue.")
        parser.add_argument("--fault", choices=[*FAULTS, "all"], help="Inject this fault mid-mailing ('all': each in turn).")
        parser.add_argument("--sink-delay", type=float, default=0.0, help="Seconds the SMTP sink takes per mail (a slow server).")
        parser.add_argument("--timeout", type=int, default=1800, help="Give up after this many seconds of sending.")

    def handle(self, *args, recipients, workers, transport, hosts, kind, fault, sink_delay, timeout, **options):
        if recipients < 1 or workers < 1 or hosts < 1:
            raise CommandError("--recipients, --workers and --hosts must be at least 1.")
        if fault in ("kill-worker", "all") and workers < 2:
            raise CommandError("kill-worker needs at least 2 workers: one keeps sending while the other is replaced.")
        signal.signal(signal.SIGTERM, interrupted)
        faults = list(FAULTS) if fault == "all" else [fault]
        by_transport = {}
        for name in faults:
            wanted = getattr(FAULTS[name], "transport", None) if name else None
            by_transport.setdefault(wanted or transport, []).append(name)
        bench = Bench(
            transport=transport, workers=workers, hosts=hosts, kind=kind, sink_delay=sink_delay, timeout=timeout, log=self.progress
        )
        try:
            with bench:
                for session_transport, names in by_transport.items():
                    self.progress(f"starting {workers} worker(s) for {session_transport} on {hosts} host(s)")
                    with bench.session(session_transport) as session:
                        for name in names:
                            figures = bench.measure(session, recipients, name)
                            self.stdout.write(json.dumps(figures))
                            self.stdout.flush()
        except RuntimeError as error:
            raise CommandError(str(error)) from error

    def progress(self, text):
        self.stderr.write(text)
        self.stderr.flush()


def interrupted(signum, frame):
    raise SystemExit(f"bench_send: stopped by signal {signum}; cleaning up")
