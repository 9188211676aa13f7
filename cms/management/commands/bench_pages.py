"""``manage.py bench_pages``: page speed under gunicorn, optionally beside wagtail/bakerydemo, and the deadline rush.

    python manage.py bench_pages                        # every page type, 10 s at 1 and 8 connections
    python manage.py bench_pages --peer bakerydemo --runs 3
    python manage.py bench_pages --pages none --rush 30 --rush-clients 50

Serves the demo site with gunicorn (2 sync workers, production settings, a
PostgreSQL database of its own created and seeded first, a redis-server of its
own) on 127.0.0.1 and loads each page with Debian's ``wrk``. Prints one JSON
line per site and page: requests/s, p50 and p99 latency, errors, the workers'
CPU ms per request (from /proc) and the SQL queries of a cold and a warm
request (counted with Django's test client against the same database, never
inside the served processes). ``--peer bakerydemo`` clones, installs and loads
bakerydemo once into ``--cache-dir`` and serves it the same way.
"""

import json
import secrets
import tempfile
from contextlib import ExitStack
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cms.bench import report
from cms.bench.measure import measure_page, median_report
from cms.bench.processes import gunicorn, redis_server, require
from cms.bench.rush import check_stored, rush
from cms.bench.sites import BakeryDemo, OurSite, database_url

PAGE_TYPES = ("home", "article", "call", "listing", "search", "feed")
UNCACHED = "ours-uncached"
DEFAULT_CACHE_DIR = Path.home() / ".cache" / "zw-bench-pages"


def _env_pair(text):
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise ValueError(text)
    return key, value


class Command(BaseCommand):
    help = "Serve the site with gunicorn, load each page type with wrk and print requests/s, latency, CPU and queries."

    def add_arguments(self, parser):
        parser.add_argument("--duration", type=int, default=10, help="Seconds of load per page and connection count.")
        parser.add_argument("--connections", default="1,8", help="Comma-separated connection counts.")
        parser.add_argument("--pages", default=",".join(PAGE_TYPES), help=f"Comma-separated, of {', '.join(PAGE_TYPES)}; 'none' for none.")
        parser.add_argument("--runs", type=int, default=1, help="Repeat the load this often; the figures are medians.")
        parser.add_argument(
            "--cache", default="on,off", help="Serve ours with the page cache on (production settings), off, or both (two servers)."
        )
        parser.add_argument("--peer", choices=["bakerydemo"], help="Serve and load this peer beside ours, interleaved.")
        parser.add_argument("--peer-python", help="Interpreter for the peer's venv (bakerydemo needs 3.12 or later).")
        parser.add_argument("--peer-repo", help="Where to clone bakerydemo from.")
        parser.add_argument("--database-url", help="PostgreSQL URL of the database to create for ours (default: DATABASE_URL's server, '<name>_pages').")
        parser.add_argument("--peer-database-url", help="Same for the peer (default '<name>_bakery'; kept between runs).")
        parser.add_argument("--keep-db", action="store_true", help="Reuse our benchmark database if it exists (migrated and seeded again).")
        parser.add_argument("--cache-dir", default=str(DEFAULT_CACHE_DIR), help="Static files and the peer's clone and venv, kept between runs.")
        parser.add_argument("--env", action="append", type=_env_pair, default=[], metavar="KEY=VALUE", help="Extra environment for our server.")
        parser.add_argument("--rush", type=int, default=0, metavar="SECONDS", help="Then run the deadline rush on the open call this long.")
        parser.add_argument("--rush-clients", type=int, default=50)
        parser.add_argument("--rush-rate-limit", default="100000/m", help="FORM_RATE_LIMIT while rushing: every client posts from 127.0.0.1.")
        parser.add_argument("--json-out", help="Also write every figure of the run to this file.")

    def handle(self, *args, **options):
        for binary in ("wrk", "redis-server"):
            try:
                require(binary)
            except RuntimeError as error:
                raise CommandError(str(error))
        page_types = [] if options["pages"] == "none" else [p.strip() for p in options["pages"].split(",") if p.strip()]
        unknown = set(page_types) - set(PAGE_TYPES)
        if unknown:
            raise CommandError(f"Unknown page type(s): {', '.join(sorted(unknown))}")
        connections = [int(c) for c in options["connections"].split(",")]
        base_url = _database_url_setting()
        cache_dir = Path(options["cache_dir"])
        extra_env = dict(options["env"])
        if options["rush"]:
            extra_env.setdefault("FORM_RATE_LIMIT", options["rush_rate_limit"])
        cache_modes = [mode.strip() for mode in options["cache"].split(",") if mode.strip()]
        if not cache_modes or set(cache_modes) - {"on", "off"}:
            raise CommandError("--cache takes on, off or on,off")
        try:
            ours = OurSite(options["database_url"] or database_url(base_url, f"{_name(base_url)}_pages"), cache_dir, extra_env)
            variants = []
            if "on" in cache_modes:
                variants.append(ours)
            if "off" in cache_modes:
                variants.append(ours.variant(UNCACHED, "cms.bench.uncached_settings"))
            peer = None
            if options["peer"]:
                peer_db = options["peer_database_url"] or database_url(base_url, f"{_name(base_url)}_bakery")
                peer = BakeryDemo(peer_db, cache_dir, repo=options["peer_repo"], python=options["peer_python"])
            result = self.run(ours, variants, peer, page_types, connections, options)
        except RuntimeError as error:
            raise CommandError(str(error))
        if options["json_out"]:
            Path(options["json_out"]).write_text(json.dumps(result, indent=1) + "\n")

    def run(self, ours, variants, peer, page_types, connections, options):
        """Set up once, serve every variant of ours (and the peer) at the same time, load them in turn."""
        sites = [*variants, *([peer] if peer else [])]
        with ExitStack() as stack:
            log_dir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-pages-")))
            redis = {site.name: stack.enter_context(redis_server(log_dir)) for site in sites}
            self.stderr.write("Setting up (not timed): database, static files, demo content …")
            ours.prepare(redis[variants[0].name], keep_db=options["keep_db"])
            for variant in variants:
                variant.pages = ours.pages
            if peer:
                self.stderr.write(f"Setting up {peer.name} in {peer.dir} (reused when there) …")
                peer.prepare(redis[peer.name])
            queries = {
                site.name: site.probe({"queries": [site.pages[t] for t in page_types if t in site.pages]}, redis[site.name])
                for site in sites
            }
            servers = {
                site.name: stack.enter_context(
                    gunicorn(site.gunicorn, site.app, lambda port, site=site: site.env(redis[site.name], port), site.cwd, log_dir / f"{site.name}-gunicorn.log")
                )
                for site in sites
            }  # fmt: skip
            reports = {}
            for number in range(options["runs"]):
                for page_type in page_types:
                    for count in connections:
                        for site in sites:  # interleaved, so that both see the same machine
                            if page_type not in site.pages:
                                continue
                            self.stderr.write(f"run {number + 1}: {site.name} {page_type} at {count} connection(s) …")
                            figures = measure_page(servers[site.name], site.pages[page_type], count, options["duration"])
                            reports.setdefault((site.name, page_type), {}).setdefault(count, []).append(figures)
            lines = []
            for site in sites:
                for page_type in page_types:
                    if (site.name, page_type) not in reports:
                        continue
                    path = site.pages[page_type]
                    by_connections = {count: median_report(r) for count, r in reports[(site.name, page_type)].items()}
                    line = report.page_line(site.name, page_type, path, queries[site.name].get(path), by_connections)
                    lines.append(line)
                    self.stdout.write(json.dumps(line))
            pairs = [(v.name, peer.name) for v in variants] if peer else []
            if len(variants) == 2:
                pairs.append(("ours", UNCACHED))
            ratio_lines = {f"{a}_vs_{b}": report.ratios(lines, a, b) for a, b in pairs}
            if ratio_lines:
                self.stdout.write(json.dumps({"ratios": ratio_lines}))
            if lines:
                self.stderr.write(report.table(lines, ratio_lines))
            result = {"duration": options["duration"], "runs": options["runs"], "pages": lines, "ratios": ratio_lines}
            if options["rush"]:
                site = variants[0]
                result["rush"] = self.rush(site, servers[site.name], redis[site.name], options)
            for site in sites:
                log = servers[site.name].log_tail()
                if "Traceback" in log:
                    self.stderr.write(f"{site.name}'s gunicorn logged errors:\n{log}")
            return result

    def rush(self, ours, server, redis_url, options):
        path = ours.pages["call"]
        marker = f"rush-{secrets.token_hex(4)}"
        self.stderr.write(f"Deadline rush: {options['rush_clients']} clients answer {path} for {options['rush']} s …")
        figures = rush(server.base_url, path, options["rush_clients"], options["rush"], marker)
        stored = ours.probe({"answers": path, "marker": marker}, redis_url)
        figures = {"rush": True, "path": path, "form_rate_limit": options["rush_rate_limit"], **check_stored(figures, stored)}
        self.stdout.write(json.dumps(figures))
        self.stderr.write(report.rush_table(figures))
        return figures


def _database_url_setting():
    db = settings.DATABASES["default"]
    if "postgresql" not in db["ENGINE"]:
        raise CommandError("bench_pages needs PostgreSQL: set DATABASE_URL=postgres://… (its server is used).")
    credentials = db["USER"] or ""
    if db["PASSWORD"]:
        credentials += f":{db['PASSWORD']}"
    host = db["HOST"] or "localhost"
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{credentials + '@' if credentials else ''}{host}{port}/{db['NAME']}"


def _name(url):
    return url.rsplit("/", 1)[1]
