"""ESP tracking events: stored once per event id, moving deliveries forward and suppressing addresses.

anymail normalises every ESP's webhook into an ``AnymailTrackingEvent``;
``record_event`` is what the webhook's signal receiver calls for each one.
"""

import hashlib
import json
import logging
import re

from anymail.signals import EventType
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction

from campaigns.models import Delivery, Suppression, TrackingEvent
from campaigns.models.contacts import normalise_email

from . import mail_kinds, rendering, sending
from .suppression import suppress

logger = logging.getLogger(__name__)

Status = Delivery.Status

# A delivery only ever moves to a higher rank: "delivered" after "opened" stays "opened".
# Every event in EVENT_STATUS proves that the ESP accepted the mail, so a row
# the ledger still has as queued or sending (its worker died before recording
# the send) is recorded as sent by the event: it will not be sent again.
STATUS_RANK = {
    Status.QUEUED: 0,
    Status.SENDING: 0,
    Status.SENT: 1,
    Status.FAILED: 1,
    Status.SKIPPED: 1,
    Status.DELIVERED: 2,
    Status.OPENED: 3,
    Status.CLICKED: 4,
    Status.BOUNCED: 5,
    Status.COMPLAINED: 6,
}
EVENT_STATUS = {
    EventType.QUEUED: Status.SENT,
    EventType.SENT: Status.SENT,
    EventType.DEFERRED: Status.SENT,
    EventType.DELIVERED: Status.DELIVERED,
    EventType.OPENED: Status.OPENED,
    EventType.CLICKED: Status.CLICKED,
    EventType.BOUNCED: Status.BOUNCED,
    EventType.COMPLAINED: Status.COMPLAINED,
}
ENGAGEMENT_EVENTS = {EventType.OPENED, EventType.CLICKED}
# Event type -> reason of the suppression it causes. Bounces and complaints
# stop every mailing; an unsubscribe only the kind of mailing it came from
# (``suppression_scope``).
EVENT_SUPPRESSION = {
    EventType.BOUNCED: Suppression.Reason.HARD_BOUNCE,
    EventType.COMPLAINED: Suppression.Reason.COMPLAINT,
    EventType.UNSUBSCRIBED: Suppression.Reason.UNSUBSCRIBED,
}
# SparkPost's bounce classes that say the address itself does not exist
# (its "Hard" category); the others are temporary, or a block of the sender.
SPARKPOST_HARD_BOUNCE_CLASSES = {"10", "30"}
UNRECORDED = (Status.QUEUED, Status.SENDING)
MAX_EVENT_ID = TrackingEvent._meta.get_field("event_id").max_length
MAX_EMAIL = TrackingEvent._meta.get_field("email").max_length
# "\u0000" in JSON text, unless its backslash is itself escaped (a literal backslash before "u0000").
ESCAPED_NUL = re.compile(r"(?<!\\)((?:\\\\)*)\\u0000")
# The Message-ID the sending engine gives each delivery: its ``message_id_key`` at the sender's domain.
OUR_MESSAGE_ID = re.compile(r"<?([0-9a-f]{32})@[^<>@\s]+>?")


def record_event(esp_name, event):
    """Record one tracking event; return the stored ``TrackingEvent``, or None when ignored.

    A replayed event (same id) changes nothing. Opens and clicks are ignored
    unless ``CAMPAIGNS_TRACK_OPENS_AND_CLICKS`` is on.
    """
    event_type = storable(event.event_type or EventType.UNKNOWN)
    if event_type in ENGAGEMENT_EVENTS and not settings.CAMPAIGNS_TRACK_OPENS_AND_CLICKS:
        logger.info("Ignored a %s %s event: open and click tracking is off", esp_name, event_type)
        return None
    payload = json_safe(event.esp_event)
    email = normalise_email(storable(event.recipient) if isinstance(event.recipient, str) else "")[:MAX_EMAIL]
    message_id = storable(event.message_id)
    with transaction.atomic():
        delivery = find_delivery(message_id, email, event.metadata)
        tracking_event, created = TrackingEvent.objects.get_or_create(
            event_id=event_key(esp_name, event, payload),
            defaults={
                "esp": esp_name[:40],
                "event_type": event_type[:40],
                "delivery": delivery,
                "email": email or (delivery.recipient.email if delivery else ""),
                "occurred_at": event.timestamp,
                "payload": payload,
            },
        )
        if not created:
            logger.info("Ignored a replayed %s event %s", esp_name, tracking_event.event_id)
            return tracking_event
        if is_soft_bounce(esp_name, event):
            logger.info("Recorded a %s soft bounce for delivery %s", esp_name, delivery.pk if delivery else "-")
            return tracking_event
        status = EVENT_STATUS.get(event_type)
        if delivery and status:
            advance(delivery, status, message_id, event.timestamp)
        if event_type in EVENT_SUPPRESSION and tracking_event.email:
            campaign = delivery.message.campaign if delivery else None
            detail = storable(f"{esp_name}: {event.description or event.mta_response or event_type}")
            suppress(
                tracking_event.email,
                suppression_scope(event_type, campaign),
                EVENT_SUPPRESSION[event_type],
                detail=detail,
                event=payload,
                campaign=campaign,
            )
        if delivery is None:
            logger.info("Recorded a %s %s event for no known delivery (message id %r)", esp_name, event_type, message_id)
    return tracking_event


def advance(delivery, status, message_id="", occurred_at=None):
    """Move ``delivery`` to ``status`` unless it is there or further already; True when it moved.

    A row whose send was never recorded gets the ESP's message id and the
    event's time as well.
    """
    if sending.record_sent([delivery.pk], message_id, status=status, sent_at=occurred_at, unrecorded=UNRECORDED):
        logger.info("Delivery %s was accepted by the ESP before the ledger recorded it; reconciled", delivery.pk)
        return True
    lower = [current for current, rank in STATUS_RANK.items() if rank < STATUS_RANK[status]]
    return Delivery.objects.filter(pk=delivery.pk, status__in=lower).update(status=status) == 1


def find_delivery(message_id, email, metadata=None):
    """The delivery an event is about, found by the first of these that names one.

    1. The delivery id the sending engine put into the mail's metadata
       (through an ESP's API; the ESP returns it with every event, also for a
       send the ledger never recorded), together with the address.
    2. The opaque Message-ID the mail carried: over SMTP the ESP reports it as
       the message id, or returns it as metadata (``rendering.relay_metadata_headers``);
       with the address when the event names one.
    3. The provider message id and, for batch sends sharing one id, the address.
    """
    metadata = metadata if isinstance(metadata, dict) else {}
    return (
        by_delivery_id(metadata.get("delivery"), email)
        or by_our_message_id((message_id, metadata.get(rendering.RELAY_METADATA_KEY)), email)
        or by_provider_message_id(message_id, email)
    )


def by_delivery_id(delivery_id, email):
    delivery_id = str(delivery_id or "")
    if not (email and delivery_id.isascii() and delivery_id.isdecimal()):
        return None
    return Delivery.objects.filter(pk=int(delivery_id), recipient__email=email).select_related("recipient").first()


def by_our_message_id(message_ids, email):
    for value in message_ids:
        match = OUR_MESSAGE_ID.fullmatch(value.strip()) if isinstance(value, str) else None
        if match:
            ours = Delivery.objects.filter(message_id_key=match.group(1)).select_related("recipient")
            found = (ours.filter(recipient__email=email) if email else ours).first()
            if found is not None:
                return found
    return None


def by_provider_message_id(message_id, email):
    if not message_id:
        return None
    candidates = Delivery.objects.filter(provider_message_id=message_id).select_related("recipient")
    if email:
        return candidates.filter(recipient__email=email).first()
    found = list(candidates[:2])
    return found[0] if len(found) == 1 else None


def event_key(esp_name, event, payload):
    """The ESP's own event id, or else a stable hash of the event, so that a replay finds its earlier copy."""
    if event.event_id:
        return storable(f"{esp_name}:{event.event_id}")[:MAX_EVENT_ID]
    digest = hashlib.sha256(
        json.dumps([esp_name, str(event.event_type), str(event.message_id), payload], sort_keys=True).encode()
    ).hexdigest()
    return f"{esp_name}:sha256:{digest}"[:MAX_EVENT_ID]


def suppression_scope(event_type, campaign):
    """Bounces and complaints block every mailing; an unsubscribe the kind of mailing the person left.

    An unsubscribe the ESP reports for no known delivery blocks every
    mailing: which list the person meant cannot be told, and mailing them
    again against their wish is the worse mistake.
    """
    if event_type != EventType.UNSUBSCRIBED or campaign is None:
        return Suppression.Scope.ALL
    return mail_kinds.of(campaign).suppression_scope


def is_soft_bounce(esp_name, event):
    """A "bounced" event for a failure that may pass (full mailbox, greylisting, a block of the sender).

    anymail turns most temporary failures into "deferred" (Mailgun's
    temporary "failed", Postmark's Transient), but reports these ESPs' soft
    bounces as "bounced", with the same reject reason as a hard one: only the
    raw event tells them apart.
    """
    esp_event = event.esp_event if isinstance(event.esp_event, dict) else {}
    if event.event_type != EventType.BOUNCED:
        return False
    if esp_name == "Postmark":
        return esp_event.get("Type") in {"SoftBounce", "VirusNotification"}
    if esp_name in {"Brevo", "Mandrill"}:
        return esp_event.get("event") == "soft_bounce"
    if esp_name == "MailerSend":
        return (esp_event.get("data") or {}).get("type") == "soft_bounced"
    if esp_name == "Amazon SES":
        return (esp_event.get("bounce") or {}).get("bounceType") in {"Transient", "Undetermined"}
    if esp_name == "SparkPost":
        message_event = next(iter((esp_event.get("msys") or {}).values()), {})
        return str(message_event.get("bounce_class", "")) not in SPARKPOST_HARD_BOUNCE_CLASSES
    return False


def storable(value):
    """``value`` as text PostgreSQL can store: it refuses the NUL character, which no real event carries."""
    return str(value or "").replace("\x00", "")


def json_safe(value):
    """The ESP's raw event as plain JSON (some ESPs hand over objects or bytes); never None.

    NaN and infinite numbers, which JSON columns refuse, become null; NUL characters are dropped.
    """
    if value is None:
        return {}
    text = ESCAPED_NUL.sub(r"\1", json.dumps(value, cls=LenientJSONEncoder))
    return json.loads(text, parse_constant=lambda _: None)


class LenientJSONEncoder(DjangoJSONEncoder):
    """Dates as ISO strings, anything else JSON does not know as its ``str``."""

    def default(self, o):
        try:
            return super().default(o)
        except TypeError:
            return str(o)
