"""Page-speed benchmark: ``manage.py bench_pages`` (``--rush`` for the deadline rush).

Serves the site with gunicorn (production settings, a PostgreSQL database and a
Redis server of its own), drives it with Debian's ``wrk`` and reads the server's
CPU time from /proc; optionally serves wagtail/bakerydemo beside it the same way.
Nothing here runs inside the served processes.
"""
