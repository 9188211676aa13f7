"""Workers' side of the delivery ledger: claim due rows, send them, record the outcome.

A claim marks rows "sending" with a short lease (``DELIVERY_LEASE_SECONDS``,
30 s by default) and the worker's name, and commits before anything is sent,
so no two workers send the same row. A live worker renews the lease of its
batch every third of the lease while it sends; a dead one stops renewing, and
within a lease and a third of one a live worker (or the beat) queues its rows
again. A failure is committed right after its send; accepted mails are
committed in groups, one UPDATE each: before the next send once
``RECORD_GROUP`` (50) mails wait or the oldest waited ``RECORD_INTERVAL``
(0.5 s), before every lease renewal and at the end of the batch. Until then
their rows stay "sending" under the worker's live lease. That leaves one
window open: the mail server accepted mails and the worker died before
committing their group, at most 50 mails per worker. Those rows are reclaimed
with the rest of the dead worker's batch and sent again; every row taken back
is stamped ``reclaimed_at``, so every possible duplicate is counted in the
ledger. With an ESP the window closes itself in most cases: each mail carries
its delivery id as metadata (through an ESP's API) or its own opaque
Message-ID (over SMTP, also an ESP's relay), and a tracking event that
arrives before the lease runs out records the send
(``tracking.advance``), so the row is not reclaimed, nor sent again if it was
reclaimed already and is still waiting in the queue.
"""

import logging
import os
import functools
import random
import smtplib
import socket
import threading
import time
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from email.utils import parsedate_to_datetime

from anymail.exceptions import AnymailAPIError, AnymailError, AnymailRecipientsRefused
from django.conf import settings
from django.core.mail import get_connection
from django.db import InterfaceError, OperationalError, connections, router, transaction
from django.db.models import F, Min, OuterRef, Subquery
from django.utils import timezone

from campaigns.log_filters import mask_addresses
from campaigns.models import Campaign, Delivery, Message, Suppression
from campaigns.services import mail_kinds, rendering
from campaigns.services.suppression import suppress

logger = logging.getLogger(__name__)

Status = Delivery.Status
MAX_CLAIMANT = Delivery._meta.get_field("claimed_by").max_length

BATCH_SIZE = 50
# A live worker renews its lease every RENEW_EVERY; a dead worker's rows are
# taken back once it ran out, by the next worker to reclaim (every RECLAIM_EVERY).
# Read once at import: each worker process takes DELIVERY_LEASE_SECONDS from its
# environment when it starts.
LEASE = timedelta(seconds=settings.DELIVERY_LEASE_SECONDS)
RENEW_EVERY = LEASE / 3
RECLAIM_EVERY = LEASE / 3
SEND_BUDGET = timedelta(seconds=15)
# Mails the mail server accepted are recorded together (see the module docstring):
# the in-flight window of a worker that dies is at most RECORD_GROUP mails.
RECORD_GROUP = 50
RECORD_INTERVAL = timedelta(seconds=0.5)
MAX_ATTEMPTS = 6
RETRY_BASE = timedelta(seconds=30)
RETRY_MAX = timedelta(hours=1)
RATE_WINDOW = timedelta(minutes=1)
ANSWERED_REASON = "heeft al gereageerd"
SUPPRESSED_REASON = "adres staat op de blokkeerlijst"
CANCELLED_REASON = "geannuleerd"
LEASE_EXHAUSTED_REASON = "de verzending werd steeds onderbroken (lease verlopen)"


@dataclass(frozen=True)
class BatchApi:
    """An ESP that sends one API call to many recipients, substituting merge fields itself."""

    merge_field: str
    limit: int


BATCH_APIS = {
    "anymail.backends.mailgun.EmailBackend": BatchApi(merge_field="%recipient.{}%", limit=1000),
}


class TransientError(Exception):
    """Worth another try later; ``retry_after`` is the ESP's own wish, in seconds."""

    def __init__(self, reason, retry_after=None):
        super().__init__(reason)
        self.retry_after = retry_after


class PermanentError(Exception):
    """Will fail again: the delivery is marked failed with this reason.

    ``bounce`` holds the mail server's or ESP's refusal of the address itself
    (an SMTP 5xx at RCPT, a rejected recipient): the address goes on the
    suppression list as a hard bounce, with this raw reply kept.
    """

    def __init__(self, reason, bounce=None):
        super().__init__(reason)
        self.bounce = bounce


def batch_api():
    return BATCH_APIS.get(settings.EMAIL_BACKEND)


def batch_size():
    """Rows per claim: one API call's worth with a batch ESP, else a small SMTP batch."""
    api = batch_api()
    return min(api.limit, 500) if api else BATCH_SIZE


def due_deliveries(now=None):
    return Delivery.objects.filter(
        status=Status.QUEUED,
        next_attempt_at__lte=now or timezone.now(),
        message__campaign__status=Campaign.Status.SENDING,
    )


def rate_allowance(campaign, now):
    """How many more rows this campaign may claim in the current minute (None: no limit)."""
    if not campaign.rate_per_minute:
        return None
    recent = Delivery.objects.filter(message__campaign=campaign, claimed_at__gt=now - RATE_WINDOW).count()
    return max(campaign.rate_per_minute - recent, 0)


def claimable_message(message_id, now):
    """The message to claim from, and how many rows its campaign's rate limit allows now.

    Messages of sending campaigns are few; each one's first due row is one look
    into ``delivery_message_due_idx``, so a claim costs the same at 1,000 rows as
    at 1,000,000 (grouping all due rows by message read them all, every claim).
    """
    first_due = (
        Delivery.objects.filter(message=OuterRef("pk"), status=Status.QUEUED, next_attempt_at__lte=now)
        .order_by("next_attempt_at")
        .values("next_attempt_at")[:1]
    )
    candidates = Message.objects.filter(campaign__status=Campaign.Status.SENDING)
    if message_id is not None:
        candidates = candidates.filter(pk=message_id)
    candidates = (
        candidates.select_related("campaign")
        .annotate(first_due=Subquery(first_due))
        .filter(first_due__isnull=False)
        .order_by("first_due", "pk")[:20]
    )
    for message in candidates:
        allowance = rate_allowance(message.campaign, now)
        if allowance is None or allowance > 0:
            return message, allowance
    return None, 0


def this_worker():
    """The claimant's name outside Celery: host and process id."""
    return f"{socket.gethostname()}:{os.getpid()}"


def on_a_new_connection_if_lost(function):
    """Run ``function`` once more, on a new database connection, when its connection was lost.

    For what a worker does between two sends and may do twice (claiming a
    batch, which rolls back; checking the claimed rows; recording accepted
    mails; renewing its lease): a killed connection or a restarted database
    then costs one reconnect, not the batch's lease and a second send of the
    mails accepted since the last record.
    """

    @functools.wraps(function)
    def retried(*args, **kwargs):
        db = connections[router.db_for_write(Delivery)]
        try:
            return function(*args, **kwargs)
        except (OperationalError, InterfaceError):
            if db.in_atomic_block:
                raise
            logger.warning("The database connection was lost; %s once more on a new one", function.__name__)
            db.close()
            return function(*args, **kwargs)

    return retried


@on_a_new_connection_if_lost
def claim_batch(message_id=None, size=BATCH_SIZE, lease=LEASE, worker=None):
    """Claim up to ``size`` due rows of one message for ``worker``; return their ids (committed as "sending").

    Rows locked by another worker are skipped, never waited for.
    """
    now = timezone.now()
    with transaction.atomic():
        message, allowance = claimable_message(message_id, now)
        if message is None:
            return []
        if allowance is not None:
            size = min(size, allowance)
        ids = list(
            due_deliveries(now)
            .filter(message=message)
            .select_for_update(skip_locked=True, of=("self",))
            .order_by("next_attempt_at", "pk")
            .values_list("pk", flat=True)[:size]
        )
        Delivery.objects.filter(pk__in=ids).update(
            status=Status.SENDING,
            lease_expires_at=now + lease,
            claimed_at=now,
            claimed_by=(worker or this_worker())[:MAX_CLAIMANT],
            attempts=F("attempts") + 1,
        )
    return ids


def reclaim_expired_leases():
    """Queue again every "sending" row whose worker let its lease run out; return how many."""
    now = timezone.now()
    return reclaim(Delivery.objects.filter(status=Status.SENDING, lease_expires_at__lt=now), now)


def reclaim_from_worker(worker):
    """Queue again the "sending" rows of ``worker`` (a claimant, or a Celery node for all its processes) at once.

    For an operator who knows the worker is dead; a live one would not send
    such a row after its next lease renewal, but may send it once before.
    """
    claimed = Delivery.objects.filter(status=Status.SENDING)
    if ":" in worker:
        claimed = claimed.filter(claimed_by=worker)
    else:
        claimed = claimed.filter(claimed_by__startswith=f"{worker}:")
    return reclaim(claimed, timezone.now())


def reclaim(claimed, now):
    """Queue the ``claimed`` rows again (failed once out of attempts); return how many.

    Their worker may have died after the mail server accepted the mail, so each
    row is stamped ``reclaimed_at``: the ledger's count of possible duplicates.
    """
    exhausted = claimed.filter(attempts__gte=MAX_ATTEMPTS).update(
        status=Status.FAILED,
        lease_expires_at=None,
        next_attempt_at=None,
        reclaimed_at=now,
        error=LEASE_EXHAUSTED_REASON,
    )
    requeued = claimed.update(status=Status.QUEUED, lease_expires_at=None, next_attempt_at=now, reclaimed_at=now)
    if exhausted or requeued:
        logger.warning(
            "Reclaimed %d deliveries from their worker (%d failed after %d attempts); "
            "each may have been sent already",
            exhausted + requeued,
            exhausted,
            MAX_ATTEMPTS,
        )
    return exhausted + requeued


def retry_delay(attempts, retry_after=None):
    """Exponential backoff with full jitter; the ESP's Retry-After wins when it gave one."""
    if retry_after is not None:
        return timedelta(seconds=retry_after + random.uniform(0, 1))
    ceiling = min(RETRY_BASE * 2 ** max(attempts - 1, 0), RETRY_MAX)
    return ceiling * random.uniform(0.5, 1)


def retry_after_seconds(response):
    """The Retry-After header in seconds (it may be a number or an HTTP date), or None."""
    value = (response.headers.get("Retry-After", "") if response is not None else "").strip()
    if value.isdigit():
        return int(value)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max((moment - timezone.now()).total_seconds(), 0)


def classify(error):
    """Turn a send failure into TransientError or PermanentError."""
    if isinstance(error, (TransientError, PermanentError)):
        return error
    if isinstance(error, AnymailRecipientsRefused):
        return PermanentError(f"geweigerd door de mailprovider: {error}", bounce={"esp": str(error)})
    if isinstance(error, AnymailAPIError):
        status = error.status_code
        if status is None or status == 429 or status >= 500:
            return TransientError(f"mailprovider: {status or 'geen verbinding'}", retry_after_seconds(error.response))
        return PermanentError(f"geweigerd door de mailprovider ({status}): {error}")
    if isinstance(error, AnymailError):
        return PermanentError(f"mailprovider: {error}")
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        if codes and all(400 <= code < 500 for code in codes):
            return TransientError(f"mailserver weigert tijdelijk: {codes}")
        replies = {
            address: {"code": code, "reply": reply.decode(errors="replace") if isinstance(reply, bytes) else str(reply)}
            for address, (code, reply) in error.recipients.items()
        }
        return PermanentError(f"mailserver weigert het adres: {error.recipients}", bounce={"smtp": replies})
    if isinstance(error, smtplib.SMTPResponseException):
        if 400 <= error.smtp_code < 500:
            return TransientError(f"mailserver tijdelijk: {error.smtp_code}")
        return PermanentError(f"mailserver: {error.smtp_code} {error.smtp_error!r}")
    if isinstance(error, (smtplib.SMTPException, OSError)):
        return TransientError(f"verbinding met de mailserver: {error}")
    if isinstance(error, ValueError):
        return PermanentError(str(error))
    raise error


MAX_PROVIDER_ID = Delivery._meta.get_field("provider_message_id").max_length


def record_sent(delivery_ids, provider_message_id, *, status=Status.SENT, sent_at=None, unrecorded=(Status.SENDING,)):
    """Record that the mail server or ESP accepted these rows; return how many were still ``unrecorded``.

    The worker records its own sends; a tracking webhook records a send whose
    worker died before it could (``tracking.advance``).
    """
    return Delivery.objects.filter(pk__in=delivery_ids, status__in=unrecorded).update(
        status=status,
        sent_at=sent_at or timezone.now(),
        provider_message_id=provider_message_id[:MAX_PROVIDER_ID],
        lease_expires_at=None,
        next_attempt_at=None,
        error="",
    )


class AcceptedGroup:
    """Mails the mail server accepted and this worker has not recorded yet.

    Their rows stay "sending" under this worker's live lease until ``record``
    commits them in one UPDATE; should the worker die first, they are reclaimed
    like the rest of its batch (stamped ``reclaimed_at``) and sent again.
    """

    def __init__(self):
        self.accepted = {}
        self.oldest = None

    def add(self, delivery, provider_id):
        if not self.accepted:
            self.oldest = time.monotonic()
        self.accepted[delivery] = provider_id

    def due(self):
        return len(self.accepted) >= RECORD_GROUP or (
            bool(self.accepted) and time.monotonic() - self.oldest >= RECORD_INTERVAL.total_seconds()
        )

    def record(self):
        """Record every accepted mail whose row this claim still holds; return how many."""
        if not self.accepted:
            return 0
        accepted, self.accepted = self.accepted, {}
        claim = next(iter(accepted))
        return record_accepted(claim, [(d.pk, provider_id[:MAX_PROVIDER_ID]) for d, provider_id in accepted.items()])


@on_a_new_connection_if_lost
def record_accepted(claim, sent):
    """Mark ``sent`` rows ((id, provider id) pairs) of ``claim``'s claim as sent, in one statement.

    ``UPDATE ... FROM (VALUES ...)`` (PostgreSQL, SQLite 3.33+) gives each row
    its own provider id; the ORM's CASE WHEN for a group of 50 cost 0.17 ms of
    CPU per mail, more than building the mail.
    """
    db = connections[router.db_for_write(Delivery)]
    quote = db.ops.quote_name
    table = quote(Delivery._meta.db_table)
    names = ("id", "status", "sent_at", "provider_message_id", "lease_expires_at", "next_attempt_at", "error")
    column = {name: quote(Delivery._meta.get_field(name).column) for name in (*names, "claimed_by", "claimed_at")}
    values = ", ".join(["(%s, %s)"] * len(sent))
    sql = (
        f"UPDATE {table} SET {column['status']} = %s, {column['sent_at']} = %s, "
        f"{column['provider_message_id']} = accepted.column2, {column['lease_expires_at']} = NULL, "
        f"{column['next_attempt_at']} = NULL, {column['error']} = '' "
        f"FROM (VALUES {values}) AS accepted "
        f"WHERE {table}.{column['id']} = accepted.column1 AND {table}.{column['status']} = %s "
        f"AND {table}.{column['claimed_by']} = %s AND {table}.{column['claimed_at']} = %s"
    )
    adapt = db.ops.adapt_datetimefield_value
    params = [Status.SENT, adapt(timezone.now()), *(part for pair in sent for part in pair)]
    params += [Status.SENDING, claim.claimed_by, adapt(claim.claimed_at)]
    with db.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def record_failure(deliveries, error):
    """Transient: back to the queue after a backoff (failed once out of attempts). Permanent: failed.

    Rows that failed together retry together, so a batch stays one batch.
    """
    retry_at = timezone.now() + retry_delay(max(d.attempts for d in deliveries), getattr(error, "retry_after", None))
    if getattr(error, "bounce", None):
        suppress_refused(deliveries, error)
    for delivery in deliveries:
        rows = Delivery.objects.filter(pk=delivery.pk, status=Status.SENDING)
        if isinstance(error, TransientError) and delivery.attempts < MAX_ATTEMPTS:
            rows.update(status=Status.QUEUED, next_attempt_at=retry_at, lease_expires_at=None, error=str(error))
        else:
            rows.update(status=Status.FAILED, lease_expires_at=None, next_attempt_at=None, error=str(error))
    logger.info("Delivery attempt failed for %d row(s): %s", len(deliveries), loggable_reason(error, deliveries))


def suppress_refused(deliveries, error):
    """A permanent refusal of the address at send time is a hard bounce: no mailing of any kind tries it again."""
    for delivery in deliveries:
        suppress(
            delivery.recipient.email,
            Suppression.Scope.ALL,
            Suppression.Reason.HARD_BOUNCE,
            detail="Geweigerd door de mailserver bij het versturen",
            event=error.bounce,
            campaign=delivery.message.campaign,
        )


def loggable_reason(error, deliveries):
    """The failure reason without the recipients' names and addresses, which mail servers quote.

    The stored reason keeps them: campaign managers, who may see addresses, read it on the results page.
    """
    reason = str(error)
    for delivery in deliveries:
        for personal in (delivery.recipient.name, delivery.recipient.email):
            if personal:
                reason = reason.replace(personal, "***")
    return mask_addresses(reason)


def set_aside(deliveries, status, reason):
    Delivery.objects.filter(pk__in=[d.pk for d in deliveries], status=Status.SENDING).update(
        status=status, lease_expires_at=None, next_attempt_at=None, error=reason
    )


def release(deliveries):
    """Give rows back to the queue untouched (the campaign was paused)."""
    Delivery.objects.filter(pk__in=[d.pk for d in deliveries], status=Status.SENDING).update(
        status=Status.QUEUED, lease_expires_at=None, attempts=F("attempts") - 1
    )


@on_a_new_connection_if_lost
def sendable(delivery_ids):
    """Re-check the claimed rows right before sending; return the ones that should go out.

    An answer, an unsubscribe, a suppression, a pause or a cancellation that
    arrived after the claim is honoured here; what else makes a row unwanted
    depends on the kind of mailing (``mail_kinds``).
    """
    deliveries = list(
        Delivery.objects.filter(pk__in=delivery_ids, status=Status.SENDING).select_related("recipient").order_by("pk")
    )
    if not deliveries:
        return []
    # One message object (with its campaign and call) for the whole batch: its mail is rendered once.
    messages = Message.objects.select_related("campaign__call_page").in_bulk({d.message_id for d in deliveries})
    for delivery in deliveries:
        delivery.message = messages[delivery.message_id]
    campaign = Campaign.objects.get(pk=deliveries[0].message.campaign_id)
    if campaign.status == Campaign.Status.PAUSED:
        release(deliveries)
        return []
    if campaign.status == Campaign.Status.CANCELLED:
        set_aside(deliveries, Status.SKIPPED, CANCELLED_REASON)
        return []
    kind = mail_kinds.of(campaign)
    suppressed = Suppression.objects.blocking(kind.suppression_scope).blocked_addresses(
        [d.recipient.email for d in deliveries]
    )
    blocked = [d for d in deliveries if d.recipient.email in suppressed]
    set_aside(blocked, Status.SKIPPED, SUPPRESSED_REASON)
    remaining = [d for d in deliveries if d.recipient.email not in suppressed]
    unwanted = kind.unwanted(remaining)
    for reason in set(unwanted.values()):
        set_aside([d for d, why in unwanted.items() if why == reason], Status.SKIPPED, reason)
    return [d for d in remaining if d not in unwanted]


def unanswered_only(deliveries):
    """Calls: a reminder is not sent to someone who answered since it was queued."""
    return {d: ANSWERED_REASON for d in deliveries if d.message.kind == Message.Kind.REMINDER and d.recipient.answered_at}


def still_leased(delivery):
    """False once the lease ran out or a renewal found the row taken back: another worker may send it."""
    return delivery.lease_expires_at is not None and timezone.now() < delivery.lease_expires_at


@on_a_new_connection_if_lost
def renew_lease(deliveries):
    """Extend the lease of the rows of one claim this worker still holds, in one UPDATE.

    A row that is no longer "sending" under this very claim (same worker, same
    claim time) was taken back: its lease in memory is cleared, so it is not sent.
    """
    if not deliveries:
        return
    claim = deliveries[0]
    expires = timezone.now() + LEASE
    held = Delivery.objects.filter(
        pk__in=[d.pk for d in deliveries],
        status=Status.SENDING,
        claimed_by=claim.claimed_by,
        claimed_at=claim.claimed_at,
    )
    renewed = held.update(lease_expires_at=expires)
    held_ids = {d.pk for d in deliveries} if renewed == len(deliveries) else set(held.values_list("pk", flat=True))
    for delivery in deliveries:
        delivery.lease_expires_at = expires if delivery.pk in held_ids else None
    if renewed < len(deliveries):
        logger.warning("%d claimed deliveries were taken back from this worker; it does not send them", len(deliveries) - renewed)


@contextmanager
def lease_renewed_while_waiting(deliveries):
    """Renew the lease from a thread of its own while the worker waits on one long call (an ESP's API)."""
    done = threading.Event()

    def keep_renewing():
        try:
            while not done.wait(RENEW_EVERY.total_seconds()):
                renew_lease(deliveries)
        finally:
            connections.close_all()

    renewer = threading.Thread(target=keep_renewing, name="lease-renewer", daemon=True)
    renewer.start()
    try:
        yield
    finally:
        done.set()
        renewer.join()


def send_batch(delivery_ids, connection=None):
    """Send claimed rows (over ``connection`` if given) or as ESP batch calls; return how many were sent."""
    deliveries = sendable(delivery_ids)
    if not deliveries:
        return 0
    api = batch_api()
    kind = mail_kinds.of(deliveries[0].message.campaign)
    if api and kind.build_batch:
        return sum(send_through_batch_api(chunk, api, kind) for chunk in chunks(deliveries, api.limit))
    return send_one_by_one(deliveries, connection)


def chunks(items, size):
    return [items[start : start + size] for start in range(0, len(items), size)]


def send_one_by_one(deliveries, connection=None):
    """Send each row as its own mail; a refusal fails that row only, a transient error backs it off.

    Accepted mails are recorded in groups (``AcceptedGroup``). A connection
    passed in stays open for the next batch; one made here is closed.
    """
    own_connection = connection is None
    connection = connection or get_connection()
    accepted = AcceptedGroup()
    sent = 0
    renewed = time.monotonic()
    try:
        for index, delivery in enumerate(deliveries):
            if accepted.due():
                sent += accepted.record()
            if time.monotonic() - renewed >= RENEW_EVERY.total_seconds():
                sent += accepted.record()
                renew_lease(deliveries[index:])
                renewed = time.monotonic()
            if not still_leased(delivery):
                continue
            try:
                email = build(delivery)
                connection.open()  # a no-op while open; reconnects after a broken connection
                connection.send_messages([email])
            except Exception as error:  # noqa: BLE001 - classify() re-raises what it does not know
                failure = classify(error)
                record_failure([delivery], failure)
                if isinstance(failure, TransientError):
                    reset(connection)
                continue
            accepted.add(delivery, provider_message_id(email, delivery.recipient.email))
        sent += accepted.record()
    finally:
        if own_connection:
            reset(connection)
    return sent


def reset(connection):
    """Close a connection that may already be broken; the next send opens a fresh one."""
    try:
        connection.close()
    except (smtplib.SMTPException, OSError):
        logger.info("Mail connection was already broken when closing it")


def build_call_mail(delivery):
    """The call's mail for one row, from its message rendered once per batch (``sendable`` shares the message)."""
    message = delivery.message
    prepared = message.__dict__.get("prepared_mail")
    if prepared is None:
        prepared = message.__dict__["prepared_mail"] = rendering.prepare(message.campaign, message.subject, message.body)
    return prepared.email_for(delivery.recipient)


def build_call_batch(deliveries, merge_field):
    message = deliveries[0].message
    return rendering.build_batch_email(
        message.campaign, message.subject, message.body, [d.recipient for d in deliveries], merge_field
    )


def build(delivery):
    """The mail of one delivery, as its kind builds it, with what lets a webhook find the row again."""
    message_id = rendering.delivery_message_id(delivery)
    email = mail_kinds.of(delivery.message.campaign).build(delivery)
    email.extra_headers["Message-ID"] = message_id
    if settings.EMAIL_BACKEND.startswith("anymail."):
        email.metadata = delivery_metadata(delivery)
    else:
        email.extra_headers.update(rendering.relay_metadata_headers(message_id))
    return email


def delivery_metadata(delivery):
    """What an ESP returns with every tracking event, so a webhook finds the row (see ``tracking``)."""
    return {"delivery": str(delivery.pk)}


def provider_message_id(email, address):
    status = getattr(email, "anymail_status", None)
    if status is not None:
        recipient_status = status.recipients.get(address)
        if recipient_status is not None and recipient_status.message_id:
            return str(recipient_status.message_id)
        if status.message_id:
            return str(status.message_id)
    return email.extra_headers.get("Message-ID", "")


def send_through_batch_api(deliveries, api, kind):
    """One ESP API call for the whole chunk, personalised by the ESP through merge fields."""
    deliveries = [d for d in deliveries if still_leased(d)]
    if not deliveries:
        return 0
    try:
        email = kind.build_batch(deliveries, api.merge_field)
        email.merge_metadata = {d.recipient.email: delivery_metadata(d) for d in deliveries}
        with lease_renewed_while_waiting(deliveries):
            email.send()
    except Exception as error:  # noqa: BLE001 - classify() re-raises what it does not know
        record_failure(deliveries, classify(error))
        return 0
    by_provider_id = defaultdict(list)
    for delivery in deliveries:
        by_provider_id[provider_message_id(email, delivery.recipient.email)].append(delivery.pk)
    with transaction.atomic():
        return sum(record_sent(ids, provider_id) for provider_id, ids in by_provider_id.items())


_last_reclaim = float("-inf")


def reclaim_now_and_then():
    """Take back expired leases, at most once per RECLAIM_EVERY in this process."""
    global _last_reclaim
    if seconds_until_reclaim_allowed():
        return 0
    _last_reclaim = time.monotonic()
    return reclaim_expired_leases()


def seconds_until_reclaim_allowed():
    return max(_last_reclaim + RECLAIM_EVERY.total_seconds() - time.monotonic(), 0)


def send_due(time_budget=SEND_BUDGET, worker=None):
    """Claim and send batches until nothing is due or the time budget is spent.

    The budget is short so that a worker's slot is soon free for the beat's
    tick. One mail connection carries every batch of the run. Returns True
    when a full batch was claimed last, so more work is probably waiting.
    """
    deadline = time.monotonic() + time_budget.total_seconds()
    size = batch_size()
    connection = get_connection()
    try:
        while time.monotonic() < deadline:
            reclaim_now_and_then()
            ids = claim_batch(size=size, worker=worker)
            if not ids:
                return False
            send_batch(ids, connection)
            if len(ids) < size:
                return False
        return True
    finally:
        reset(connection)


def seconds_until_more_work():
    """Seconds until a retry is due or a lease runs out (its rows may be a dead worker's), or None.

    A lease that runs out is taken back one second later, and not before this
    process may reclaim again.
    """
    now = timezone.now()
    of_sending = Delivery.objects.filter(message__campaign__status=Campaign.Status.SENDING)
    retry = of_sending.filter(status=Status.QUEUED, next_attempt_at__gt=now).aggregate(at=Min("next_attempt_at"))["at"]
    lease = of_sending.filter(status=Status.SENDING).aggregate(at=Min("lease_expires_at"))["at"]
    waits = []
    if retry is not None:
        waits.append((retry - now).total_seconds())
    if lease is not None:
        waits.append(max((lease - now).total_seconds() + 1, seconds_until_reclaim_allowed()))
    return min(waits, default=None)
