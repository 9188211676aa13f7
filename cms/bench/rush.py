"""The deadline rush: many people answer one open call at the same moment.

Each client behaves like a browser: it GETs the call page, keeps the cookies
it is given, takes the form from the HTML as it is (hidden fields included, so
whatever CSRF scheme the page uses is followed), fills in every field with an
answer carrying a marker of its own, and POSTs it; then it starts over until
the time is up. An answer counts as accepted when the reply does not show the
form again with that answer in it.
"""

import http.client
import re
import statistics
import threading
import time
from collections import Counter
from datetime import date
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

from cms.forms import CONSENT_FIELD, HONEYPOT_FIELD

TIMEOUT = 120
# Wagtail renders a date field as a plain text input: its name tells it apart.
DATE_NAME = re.compile(r"datum|date", re.I)
# The error summary links to each refused field.
REFUSED_FIELD = re.compile(r'<a href="#id_([\w-]+)"')


class FormParser(HTMLParser):
    """The forms of a page: action, method and their fields in document order."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []
        self._form = None
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = {key: value or "" for key, value in attrs}
        if tag == "form":
            self._form = {"action": attrs.get("action", ""), "method": attrs.get("method", "get").lower(), "fields": []}
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input" and attrs.get("name"):
            self._form["fields"].append({"tag": "input", **attrs, "type": attrs.get("type", "text").lower()})
        elif tag == "textarea" and attrs.get("name"):
            self._textarea = {"tag": "textarea", **attrs}
            self._form["fields"].append(self._textarea)
        elif tag == "select" and attrs.get("name"):
            self._select = {"tag": "select", **attrs, "options": []}
            self._form["fields"].append(self._select)
        elif tag == "option" and self._select is not None:
            self._select["options"].append(attrs.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def call_form(html, path):
    """The page's POST form that submits to ``path`` (the call's own form, not the newsletter's)."""
    parser = FormParser()
    parser.feed(html)
    for form in parser.forms:
        if form["method"] == "post" and urlsplit(form["action"]).path in ("", path):
            return form
    return None


def fill(form, marker):
    """A valid answer: every field filled as a person would, the marker in every text."""
    data = []
    chosen = set()
    for field in form["fields"]:
        name, kind = field["name"], field.get("type", field["tag"])
        if name == HONEYPOT_FIELD:
            data.append((name, ""))
        elif field["tag"] == "textarea":
            data.append((name, f"Antwoord {marker} uit de drukte voor de sluitingsdatum."))
        elif field["tag"] == "select":
            values = [value for value in field["options"] if value]
            if values:
                data.append((name, values[0]))
        elif kind in ("checkbox", "radio"):
            # One choice per group; a lone checkbox only when it is required (consent stays unticked).
            if name in chosen or name == CONSENT_FIELD or (kind == "checkbox" and "required" not in field and not _grouped(form, name)):
                continue
            chosen.add(name)
            data.append((name, field.get("value") or "on"))
        elif kind in ("submit", "button", "reset", "image", "file"):
            continue
        elif kind == "hidden":
            data.append((name, field.get("value", "")))
        elif kind == "email":
            data.append((name, f"{marker}@example.org"))
        elif kind == "number":
            data.append((name, "3"))
        elif kind == "date" or (kind == "text" and DATE_NAME.search(name)):
            data.append((name, date.today().isoformat()))
        elif kind == "url":
            data.append((name, "https://example.org/"))
        else:
            data.append((name, f"Deelnemer {marker} "))
    return data


def _grouped(form, name):
    return sum(1 for field in form["fields"] if field["name"] == name) > 1


class Client:
    """One visitor with a cookie jar of its own."""

    def __init__(self, base_url):
        parts = urlsplit(base_url)
        self.host, self.port, self.origin = parts.hostname, parts.port, f"{parts.scheme}://{parts.netloc}"
        self.cookies = {}

    def request(self, method, path, body=None):
        headers = {"User-Agent": "bench-deadline-rush", "Accept": "text/html"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers.update({"Content-Type": "application/x-www-form-urlencoded", "Origin": self.origin, "Referer": self.origin + path})
        connection = http.client.HTTPConnection(self.host, self.port, timeout=TIMEOUT)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    self.cookies[name] = morsel.value
            return response.status, text
        finally:
            connection.close()


class Tally:
    def __init__(self):
        self.lock = threading.Lock()
        self.get_statuses = []
        self.post_statuses = []
        self.post_ms = []
        self.accepted = []
        self.refused = 0  # 2xx that showed the form again: the answer was not valid
        self.refused_fields = Counter()
        self.no_form = 0
        self.exceptions = []


def visitor(base_url, path, marker, stop_at, tally):
    client = Client(base_url)
    number = 0
    while time.monotonic() < stop_at:
        number += 1
        answer_marker = f"{marker}-{number}"
        try:
            status, html = client.request("GET", path)
            with tally.lock:
                tally.get_statuses.append(status)
            form = call_form(html, path) if status == 200 else None
            if form is None:
                with tally.lock:
                    tally.no_form += 1
                time.sleep(0.2)
                continue
            action = urlsplit(form["action"]).path or path
            started = time.monotonic()
            status, reply = client.request("POST", action, urlencode(fill(form, answer_marker)))
            elapsed = (time.monotonic() - started) * 1000
        except OSError as error:
            with tally.lock:
                tally.exceptions.append(type(error).__name__)
            continue
        with tally.lock:
            tally.post_statuses.append(status)
            tally.post_ms.append(elapsed)
            if status < 400 and answer_marker not in reply:
                tally.accepted.append(answer_marker)
            elif status < 400:
                tally.refused += 1
                tally.refused_fields.update(set(REFUSED_FIELD.findall(reply)))


def percentile(values, percent):
    if not values:
        return None
    if len(values) == 1:
        return round(values[0], 1)
    return round(statistics.quantiles(values, n=100, method="inclusive")[percent - 1], 1)


def rush(base_url, path, clients, seconds, marker):
    """Run ``clients`` visitors for ``seconds``; what they saw (the database is checked by the caller)."""
    tally = Tally()
    stop_at = time.monotonic() + seconds
    threads = [
        threading.Thread(target=visitor, args=(base_url, path, f"{marker}-{n}", stop_at, tally), daemon=True)
        for n in range(clients)
    ]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + TIMEOUT + 30)
    wall = time.monotonic() - started
    statuses = tally.get_statuses + tally.post_statuses
    return {
        "clients": clients,
        "seconds": round(wall, 1),
        "posts": len(tally.post_statuses),
        "accepted": len(tally.accepted),
        "accepted_per_second": round(len(tally.accepted) / wall, 1),
        "refused_invalid": tally.refused,
        "refused_fields": dict(tally.refused_fields),
        "status_5xx": sum(1 for s in statuses if s >= 500),
        "status_4xx": sum(1 for s in statuses if 400 <= s < 500),
        "status_429": sum(1 for s in tally.post_statuses if s == 429),
        "gets_without_form": tally.no_form,
        "connection_errors": len(tally.exceptions),
        "post_p50_ms": percentile(tally.post_ms, 50),
        "post_p99_ms": percentile(tally.post_ms, 99),
        "accepted_markers": tally.accepted,
    }


def check_stored(figures, stored):
    """Compare the accepted answers with the markers found in the database (marker -> times stored)."""
    accepted = set(figures.pop("accepted_markers"))
    figures["stored"] = sum(1 for count in stored.values() if count)
    figures["stored_once"] = sum(1 for marker in accepted if stored.get(marker) == 1)
    figures["duplicates"] = sum(count - 1 for count in stored.values() if count > 1)
    figures["missing"] = len([marker for marker in accepted if not stored.get(marker)])
    # Stored although the client never saw the thank-you page (e.g. it timed out): not lost, but reported.
    figures["stored_unacknowledged"] = len(set(stored) - accepted)
    return figures
