"""Mail servers on 127.0.0.1 for the sending benchmark and the tests: nothing leaves the machine.

``CountingSmtpSink`` is an SMTP server that counts what each address received,
and when (for the benchmark's send rate over time).
``FakeMailgun`` answers Mailgun's send API the way Mailgun does, substituting
``%recipient.x%`` merge fields per recipient, and can be told to answer with
errors first (for example 429 with Retry-After) to exercise retries, to
hold its answer after accepting the mails (the window in which a worker may
die with its mails already accepted), or to fail a share of calls at random
(``fail_randomly``: 429, 503 and calls that time out).
Both may listen on several addresses at once (``also_on``), for senders in
network namespaces of their own.
"""

import email
import email.policy
import email.utils
import json
import logging
import random
import re
import socket
import threading
import time
import uuid
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

from aiosmtpd.controller import Controller

MERGE_FIELD = re.compile(r"%recipient\.([^%]+)%")

# aiosmtpd logs every SMTP command at INFO: thousands of lines per benchmark.
logging.getLogger("mail.log").setLevel(logging.WARNING)


def free_port(host="127.0.0.1"):
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


class CountingSmtpSink:
    """An SMTP server that accepts everything and counts mails per recipient address.

    ``times`` holds the monotonic clock of every accepted recipient, in order.
    """

    def __init__(self, host="127.0.0.1", delay=0.0, also_on=()):
        self.host = host
        self.port = free_port(host)
        self.delay = delay
        self.received = Counter()
        self.times = []
        self._lock = threading.Lock()
        self._controllers = [Controller(self, hostname=address, port=self.port) for address in (host, *also_on)]

    @property
    def url(self):
        return self.url_on(self.host)

    def url_on(self, address):
        return f"smtp://{address}:{self.port}"

    def progress(self):
        """(count, copy of ``times``) of the recipients accepted so far."""
        with self._lock:
            return len(self.times), list(self.times)

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            time.sleep(self.delay)
        now = time.monotonic()
        with self._lock:
            self.received.update(address.lower() for address in envelope.rcpt_tos)
            self.times.extend(now for _ in envelope.rcpt_tos)
        return "250 Message accepted for delivery"

    def __enter__(self):
        for controller in self._controllers:
            controller.start()
        return self

    def __exit__(self, *exc_info):
        for controller in self._controllers:
            controller.stop()


class FakeMailgun:
    """Mailgun's ``POST /v3/<domain>/messages`` on loopback, one rendered mail per recipient kept.

    ``script`` is a list of (status, headers) answers given to the first calls,
    after which every call is accepted. ``holds`` lists the seconds that the
    first accepted calls wait between keeping their mails and answering.
    ``fail_randomly()`` makes later calls fail at random instead.
    """

    def __init__(self, host="127.0.0.1", script=(), holds=(), also_on=()):
        self.host = host
        self.port = free_port(host)
        self.script = list(script)
        self.holds = list(holds)
        self.calls = []
        self.accepted = []
        self.times = []
        self.faults = Counter()
        self._errors = self._timeouts = 0.0
        self._timeout_seconds = 0
        self._faults_after = 0
        self._random = random.Random(0)
        self._lock = threading.Lock()
        self._servers = [ThreadingHTTPServer((address, self.port), self._handler()) for address in (host, *also_on)]
        for server in self._servers:
            server.daemon_threads = True

    @property
    def api_url(self):
        return self.api_url_on(self.host)

    def api_url_on(self, address):
        return f"http://{address}:{self.port}/v3"

    @property
    def email_url(self):
        return self.email_url_on(self.host)

    def email_url_on(self, address):
        return f"mailgun://test-key@?api_url={self.api_url_on(address)}"

    @property
    def url(self):
        return self.email_url

    def url_on(self, address):
        return self.email_url_on(address)

    def received(self):
        with self._lock:
            return Counter(mail["to"].lower() for mail in self.accepted)

    def progress(self):
        """(count, copy of the monotonic clock of each accepted mail) so far."""
        with self._lock:
            return len(self.times), list(self.times)

    def fail_randomly(self, errors, timeouts, timeout_seconds, first=(), after=0):
        """Once ``after`` more mails are accepted, answer a share ``errors`` of calls 429 (Retry-After: 2) or 503,
        and let a share ``timeouts`` hang ``timeout_seconds`` without accepting anything, as a provider that
        never got the request would. ``first`` lists faults ("429", "503", "timeout") given to the next calls
        from then on in any case.
        """
        with self._lock:
            self._errors, self._timeouts, self._timeout_seconds = errors, timeouts, timeout_seconds
            self._faults_after = len(self.accepted) + after
            self.script.extend(first)

    def _fault(self):
        """The fault for this call, if any: "429", "503", "timeout" or None (under the lock)."""
        if len(self.accepted) < self._faults_after:
            return None
        if self.script and isinstance(self.script[0], str):
            return self.script.pop(0)
        draw = self._random.random()
        if draw < self._errors:
            return "429" if draw < self._errors / 2 else "503"
        if draw < self._errors + self._timeouts:
            return "timeout"
        return None

    def answer(self, fields):
        """Return (status, headers, body, hold) for one API call and keep the mails it accepts."""
        with self._lock:
            self.calls.append(len(fields.get("to", [])))
            fault = self._fault()
            if fault:
                self.faults[fault] += 1
                if fault == "timeout":
                    return 504, {}, {"message": "Gateway timeout"}, self._timeout_seconds
                retry_after = {"Retry-After": "2"} if fault == "429" else {}
                return int(fault), retry_after, {"message": "Too many requests" if fault == "429" else "Error"}, 0
            if self.script and not isinstance(self.script[0], str):  # a scripted (status, headers) answer
                status, headers = self.script.pop(0)
                return status, headers, {"message": "Too many requests" if status == 429 else "Error"}, 0
            message_id = f"<{uuid.uuid4().hex}@fake-mailgun.example.org>"
            mails = render_per_recipient(fields, message_id)
            self.accepted.extend(mails)
            self.times.extend(time.monotonic() for _ in mails)
            hold = self.holds.pop(0) if self.holds else 0
        return 200, {}, {"id": message_id, "message": "Queued. Thank you."}, hold

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                fields = form_fields(self.headers.get("Content-Type", ""), body)
                status, headers, payload, hold = fake.answer(fields)
                time.sleep(hold)
                data = json.dumps(payload).encode()
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                try:
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the sender died while the answer was held

            def log_message(self, format, *args):
                pass

        return Handler

    def __enter__(self):
        for server in self._servers:
            threading.Thread(target=server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc_info):
        for server in self._servers:
            server.shutdown()
            server.server_close()


def form_fields(content_type, body):
    """A form body (urlencoded or multipart, as the requests library sends it) as {name: [values]}."""
    if content_type.startswith("application/x-www-form-urlencoded"):
        return parse_qs(body.decode(), keep_blank_values=True)
    message = email.message_from_bytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + body, policy=email.policy.HTTP
    )
    fields = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        fields.setdefault(name, []).append(part.get_payload(decode=True).decode())
    return fields


def render_per_recipient(fields, message_id):
    """What Mailgun would deliver: one mail per "to" address with its merge fields filled in.

    ``variables`` are the mail's custom data (``v:`` fields), which Mailgun
    returns as ``user-variables`` with every tracking event.
    """
    variables = json.loads(fields.get("recipient-variables", ["{}"])[0])
    mails = []
    for to in fields.get("to", []):
        address = email.utils.parseaddr(to)[1]
        values = variables.get(address, {})

        def fill(text, values=values):
            return MERGE_FIELD.sub(lambda match: str(values.get(match.group(1), "")), text)

        mails.append(
            {
                "to": address,
                "subject": fill(fields["subject"][0]),
                "text": fill(fields.get("text", [""])[0]),
                "html": fill(fields.get("html", [""])[0]),
                "headers": {name[2:]: fill(value[0]) for name, value in fields.items() if name.startswith("h:")},
                "variables": {name[2:]: fill(value[0]) for name, value in fields.items() if name.startswith("v:")},
                "message_id": message_id,
            }
        )
    return mails
