"""Hypothesis strategies and helpers for fuzzing the public URLs (see test_fuzz_public.py)."""

import base64
import json
import os
from contextlib import contextmanager
from urllib.parse import quote

from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from wagtail.contrib.forms.models import FormSubmission

from campaigns.models import Delivery, Recipient, Suppression, TrackingEvent
from cms.models import CallResponse
from newsletter.models import ConsentRecord, Subscriber

# 300 examples per test in CI; FUZZ_EXAMPLES=5000 digs deeper on demand.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "300"))
# deadline=None and too_slow: timing on a shared 2-core machine says nothing about the code.
# No example database: it would write .hypothesis/ into the work tree; a
# failure prints the falsifying example and a @reproduce_failure blob instead.
# The tests take their fixtures outside the @given function, so hypothesis
# never sees a function-scoped fixture (that health check stays on).
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)

# What an attacker or a broken client tries first, next to hypothesis' own text.
HOSTILE_TEXT = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "=HYPERLINK(\"http://example.org\")",
    "+31 6 12345678",
    "-1",
    "@SUM(A1)",
    "' OR 1=1 --",
    "%00%ff",
    "\u202eevil",
    "\ufeff",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 👍",
    "31-02-2027",
    "0-0-0",
    "9999-12-31",
    "1-3-99999",
    "nobody@",
    "@example.org",
    "a@b",
    "sanne@example.org\r\nBcc: x@example.org",
    "x" * 300,
    "woord " * 2000,
]
hostile_text = st.one_of(
    st.sampled_from(HOSTILE_TEXT),
    st.text(max_size=60),
    st.emails(),
    st.dates().map(lambda day: day.strftime("%d-%m-%Y")),
    st.integers().map(str),
)


@contextmanager
def rolled_back():
    """One example's requests inside a savepoint that is rolled back, so the next example starts clean."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def stored_rows():
    """Everything a public post may write: compare before and after a post."""
    return {
        "call responses": list(CallResponse.objects.order_by("pk").values_list("pk", "content_hash", "changed_at")),
        "form submissions": FormSubmission.objects.count(),
        "recipients": list(Recipient.objects.order_by("pk").values_list("pk", "response_id", "answered_at")),
        "suppressions": list(Suppression.objects.order_by("pk").values_list("pk", "email", "scope", "reason")),
        "tracking events": TrackingEvent.objects.count(),
        "deliveries": list(Delivery.objects.order_by("pk").values_list("pk", "status", "provider_message_id")),
        "subscribers": list(Subscriber.objects.order_by("pk").values_list("pk", "email", "name", "status")),
        "consent records": list(ConsentRecord.objects.order_by("pk").values_list("pk", "subscriber_id", "confirmed_at")),
        "subscriber topics": list(Subscriber.topics.through.objects.order_by("pk").values_list("subscriber_id", "topic_id")),
    }


def without_rows_of(rows, subscriber):
    """``stored_rows()`` minus the rows of ``subscriber``: what a personal link of theirs must leave alone."""
    owned = {
        "subscribers": lambda row: row[0] == subscriber.pk,
        "consent records": lambda row: row[1] == subscriber.pk,
        "subscriber topics": lambda row: row[0] == subscriber.pk,
        "suppressions": lambda row: row[1] == subscriber.email,
    }
    return {key: [row for row in value if not owned[key](row)] if key in owned else value for key, value in rows.items()}


@st.composite
def form_posts(draw, valid_answers):
    """A form body as a dict of value lists: a valid answer with some fields changed, dropped or doubled.

    Starting from ``valid_answers`` keeps valid posts frequent enough to test
    both sides; unknown field names ride along.
    """
    data = {name: [value] for name, value in valid_answers.items()}
    for name in draw(st.lists(st.sampled_from(sorted(data)), unique=True, max_size=len(data))):
        data[name] = draw(st.lists(hostile_text, max_size=3))
    extra = draw(st.dictionaries(st.text(min_size=1, max_size=12), st.lists(hostile_text, min_size=1, max_size=2), max_size=3))
    return {**extra, **data}


raw_bodies = st.one_of(
    st.binary(max_size=300),
    st.text(max_size=200).map(str.encode),
    st.sampled_from([b"\xff\xfe", b"a=%ff%fe", b"&&&===", b"%", b"a=" + b"x" * 100_000, b"[" * 3000, b"{}"]),
)
content_types = st.sampled_from(
    [
        "application/x-www-form-urlencoded",
        "application/x-www-form-urlencoded; charset=utf-16",
        "application/x-www-form-urlencoded; charset=nonsense",
        "multipart/form-data; boundary=grens",
        "multipart/form-data",
        "application/json",
        "text/plain",
        "",
    ]
)


def url_segment(text):
    return quote(text, safe="")


garbage_tokens = st.one_of(
    st.text(max_size=120),
    st.binary(max_size=50).map(lambda raw: base64.urlsafe_b64encode(raw).rstrip(b"=").decode()),
    st.sampled_from(["", ".", "..", "%00", "null", "0" * 43, "a" * 101, "voorbeeld "]),
)


@st.composite
def near_tokens(draw, token):
    """A real token with one change: a character replaced, cut short, made longer, or in other case."""
    change = draw(st.sampled_from(["replace", "truncate", "extend", "swapcase"]))
    if change == "replace":
        index = draw(st.integers(0, len(token) - 1))
        char = draw(st.characters(codec="utf-8").filter(lambda c: c != token[index]))
        return token[:index] + char + token[index + 1 :]
    if change == "truncate":
        return token[: draw(st.integers(0, len(token) - 1))]
    if change == "extend":
        return token + draw(st.text(min_size=1, max_size=10))
    return token.swapcase()


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | hostile_text,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=12,
)


def json_body(value):
    # allow_nan: NaN and Infinity are what a careless sender writes too.
    return json.dumps(value, allow_nan=True).encode()


def paths_of(value, prefix=()):
    """Every path into a JSON value, as tuples of keys and indexes."""
    yield prefix
    if isinstance(value, dict):
        for key, child in value.items():
            yield from paths_of(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from paths_of(child, (*prefix, index))


@st.composite
def mutated(draw, payload):
    """A valid ESP payload with one to three fields deleted or given another JSON value."""
    payload = json.loads(json.dumps(payload))
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(list(paths_of(payload))))
        new_value = draw(json_values)
        if not path:
            payload = new_value
            continue
        parent = payload
        try:
            for step in path[:-1]:
                parent = parent[step]
            if draw(st.booleans()):
                del parent[path[-1]]
            else:
                parent[path[-1]] = new_value
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed or replaced this path
    return payload
