"""``manage.py bench_pages``: the page benchmark and the deadline rush, in a short version for CI.

The bakerydemo peer is left out here: setting it up downloads its requirements
from PyPI, which a test run must not depend on (docs/performance.md).
"""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from cms.bench.rush import call_form, fill
from cms.bench.wrk import parse_wrk
from cms.factories import CallForInputPageFactory
from cms.models import CallResponse

PROJECT_DIR = Path(__file__).resolve().parent.parent.parent

WRK_REPORT = """\
Running 2s test @ http://127.0.0.1:8000/
  2 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    12.30ms    3.10ms  40.00ms   80.00%
    Req/Sec   325.00     50.00   400.00     90.00%
  Latency Distribution
     50%   11.50ms
     75%   13.00ms
     90%   15.00ms
     99%    1.20s
  1300 requests in 2.00s, 10.00MB read
  Socket errors: connect 0, read 3, write 0, timeout 2
  Non-2xx or 3xx responses: 7
Requests/sec:    649.50
Transfer/sec:      5.00MB
"""


def test_wrk_report_is_read_with_its_units_and_every_kind_of_error():
    report = parse_wrk(WRK_REPORT)
    assert report["requests"] == 1300
    assert report["requests_per_second"] == 649.5
    assert report["p50_ms"] == 11.5
    assert report["p99_ms"] == 1200.0
    assert (report["non_2xx_3xx"], report["socket_errors"], report["errors"]) == (7, 5, 12)


def test_wrk_report_without_errors_counts_none():
    clean = "\n".join(line for line in WRK_REPORT.splitlines() if "errors" not in line and "Non-2xx" not in line)
    assert parse_wrk(clean)["errors"] == 0


def test_rush_client_fills_in_an_answer_the_call_stores(client, site_tree):
    """What the rush's visitors post is a valid answer: dropdown, date and the CSRF token (if any) included."""
    _, _, calls = site_tree
    call = CallForInputPageFactory(parent=calls)
    page = client.get(call.url)
    form = call_form(page.content.decode(), call.url)
    answer = fill(form, "rush-test-1-1")
    assert ("website", "") in answer  # the honeypot stays empty
    response = client.post(call.url, dict(answer))
    assert response.status_code == 200
    assert b"rush-test-1-1" not in response.content  # the thank-you page, not the form again
    stored = CallResponse.objects.get(page=call)
    assert stored.form_data["e_mailadres"] == "rush-test-1-1@example.org"
    assert not stored.publication_consent


@pytest.mark.services
@pytest.mark.slow
@pytest.mark.timeout(600)
def test_bench_pages_serves_pages_without_errors_and_stores_every_rushed_answer_once(postgres, tmp_path):
    for binary in ("wrk", "redis-server"):
        if not shutil.which(binary):
            pytest.skip(f"{binary} not installed (apt-get install {binary})")
    db = settings.DATABASES["default"]
    bench_db = f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}_pages_ci"
    command = [
        sys.executable, "manage.py", "bench_pages", "--duration", "2", "--pages", "home,call", "--connections", "8",
        "--cache", "on,off", "--rush", "5", "--rush-clients", "10", "--database-url", bench_db,
        "--cache-dir", str(tmp_path), "--json-out", str(tmp_path / "figures.json"),
    ]  # fmt: skip
    result = subprocess.run(command, cwd=PROJECT_DIR, capture_output=True, text=True, timeout=540)
    print(result.stderr[-5000:])
    assert result.returncode == 0, result.stderr[-3000:]
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    pages = [line for line in lines if "page" in line]
    assert {(line["site"], line["page"]) for line in pages} == {
        ("ours", "home"), ("ours", "call"), ("ours-uncached", "home"), ("ours-uncached", "call"),
    }  # fmt: skip
    for line in pages:
        assert line["c8"]["errors"] == 0, line
        assert line["c8"]["requests"] > 0, line
        assert line["c8"]["cpu_ms_per_request"] > 0, line
    rush = next(line for line in lines if line.get("rush"))
    assert rush["accepted"] > 0, rush
    assert rush["status_5xx"] == 0, rush
    assert rush["refused_invalid"] == 0, rush
    assert rush["stored_once"] == rush["accepted"], rush
    assert (rush["duplicates"], rush["missing"]) == (0, 0), rush
    assert json.loads((tmp_path / "figures.json").read_text())["rush"]["accepted"] == rush["accepted"]
