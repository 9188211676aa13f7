"""Looks inside a Wagtail site from a process of its own: ``python probe.py '<json request>'``.

Run with the served site's environment and interpreter (ours or bakerydemo's,
so it imports nothing of this project); prints one JSON object. Requests:

* ``{"find": {"article": "cms.ArticlePage", "call": "cms.CallForInputPage:open"}}``:
  the path of the first live page of each type (``:method`` narrows the queryset);
* ``{"queries": ["/", "/feed/"], "host": "127.0.0.1"}``: SQL queries of a GET
  with Django's test client, cold (right after every cache was cleared) and warm
  (the next GET);
* ``{"answers": "/oproepen/x/", "marker": "rush-ab12"}``: how often each marker
  starting with ``marker`` occurs among the answers stored for that form page.
"""

import json
import os
import re
import sys
from collections import Counter
from urllib.parse import urlsplit


def find(spec):
    from django.apps import apps

    found = {}
    for name, target in spec.items():
        label, _, method = target.partition(":")
        model = apps.get_model(label)
        pages = model.objects.live().public()
        if method:
            pages = getattr(pages, method)()
        page = pages.order_by("path").first()
        found[name] = urlsplit(page.get_url()).path if page else None
    return found


def queries(paths, host):
    from django.core.cache import caches
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST=host)
    counts = {}
    for path in paths:
        for cache in caches.all():
            cache.clear()
        figures = {}
        for state in ("cold", "warm"):
            with CaptureQueriesContext(connection) as captured:
                response = client.get(path)
            figures[state] = len(captured)
            figures[f"{state}_status"] = response.status_code
        counts[path] = figures
    return counts


def answers(path, marker):
    from wagtail.models import Page

    page = None
    for candidate in Page.objects.live().specific():
        if urlsplit(candidate.get_url() or "").path == path:
            page = candidate
            break
    if page is None:
        raise SystemExit(f"No live page at {path}")
    pattern = re.compile(re.escape(marker) + r"-[0-9a-z-]+")
    seen = Counter()
    for data in page.get_submission_class().objects.filter(page=page).values_list("form_data", flat=True):
        seen.update(set(pattern.findall(json.dumps(data))))
    return dict(seen)


def main(request):
    import django

    sys.path.insert(0, os.getcwd())  # run as a file from the site's directory: import the site from there
    django.setup()
    if "find" in request:
        return find(request["find"])
    if "queries" in request:
        return queries(request["queries"], request.get("host", "127.0.0.1"))
    if "answers" in request:
        return answers(request["answers"], request["marker"])
    raise SystemExit(f"Unknown request: {request}")


if __name__ == "__main__":
    print(json.dumps(main(json.loads(sys.argv[1]))))
