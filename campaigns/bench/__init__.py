"""Sending benchmark: ``manage.py bench_send``.

Starts its own redis-server, real Celery workers (optionally in network
namespaces of their own) and a loopback SMTP sink or fake ESP API, measures
the raw limit in the same run, injects faults, and reports one JSON line per
mailing. ``python -m campaigns.bench.plots`` draws the figures in docs/.
"""
