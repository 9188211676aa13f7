"""One wrk run against one page of a served site, with the server's CPU time over it."""

import statistics
import urllib.error
import urllib.request

from .wrk import run_wrk

WARM_UP_REQUESTS = 5


def status_of(url):
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def measure_page(server, path, connections, duration):
    """requests/s, p50, p99, errors and the workers' CPU ms per request for ``path``."""
    url = server.base_url + path
    statuses = {status_of(url) for _ in range(WARM_UP_REQUESTS)}
    before = server.worker_cpu_seconds()
    report = run_wrk(url, connections, duration)
    cpu = server.worker_cpu_seconds() - before
    report["status"] = sorted(statuses)
    report["cpu_ms_per_request"] = round(cpu * 1000 / report["requests"], 2) if report["requests"] else None
    if statuses != {200}:
        report["errors"] += 1  # the page itself did not answer 200
    return report


def median_report(reports):
    """The median of each figure over several runs (errors: the sum), with the single values beside it."""
    keys = ("requests_per_second", "p50_ms", "p99_ms", "cpu_ms_per_request")
    merged = {}
    for key in keys:
        values = [r[key] for r in reports if r.get(key) is not None]
        merged[key] = round(statistics.median(values), 2) if values else None
        if len(reports) > 1:
            merged[f"{key}_runs"] = [r.get(key) for r in reports]
    merged["requests"] = sum(r["requests"] for r in reports)
    for key in ("errors", "non_2xx_3xx", "socket_errors"):
        merged[key] = sum(r[key] for r in reports)
    merged["status"] = sorted({s for r in reports for s in r["status"]})
    return merged
