"""Figures about a campaign: sending progress and results, each in a handful of queries."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db.models import BooleanField, Count, ExpressionWrapper, Max, Min, Q
from django.utils import timezone

from campaigns.models import Campaign, Delivery, Message, Organisation, Recipient, Suppression

S = Delivery.Status
PENDING = [S.QUEUED, S.SENDING]
# Accepted by the mail server or ESP, whatever happened afterwards.
ACCEPTED = [S.SENT, S.DELIVERED, S.OPENED, S.CLICKED, S.BOUNCED, S.COMPLAINED]
DELIVERED = [S.DELIVERED, S.OPENED, S.CLICKED]
OPENED = [S.OPENED, S.CLICKED]
# Gmail's limits for the share of mails its users report as spam (bulk sender guidelines, 2024).
GMAIL_COMPLAINT_WARNING = 0.1
GMAIL_COMPLAINT_CEILING = 0.3
# While sending, the rate is measured over the sends of the last minute.
RATE_WINDOW = timedelta(minutes=1)
# Sends within less than a second tell no rate (a batch API sends hundreds at once).
MIN_RATE_SECONDS = 1.0
# Addresses per suppression lookup, under every database's limit of query parameters.
HASH_LOOKUP_BATCH = 500


def percentage(part, whole):
    return round(100 * part / whole, 1) if whole else 0.0


@dataclass
class Progress:
    total: int
    sent: int
    failed: int
    skipped: int
    pending: int
    per_minute: float | None
    seconds_left: int | None
    # What the rate is measured on: so many mails sent in so many seconds (recently, or in all).
    measured_count: int = 0
    measured_seconds: float = 0.0
    # Still sending, but nothing went out in the last minute (paused, stalled, throttled).
    stalled: bool = False
    messages: list = field(default_factory=list)

    @property
    def processed(self):
        return self.sent + self.failed + self.skipped

    @property
    def percent(self):
        return percentage(self.processed, self.total)

    @property
    def done(self):
        return self.pending == 0


def running_messages(campaign):
    """The mailings still sending; when none is, the latest one."""
    messages = list(
        Message.objects.filter(campaign=campaign)
        .annotate(pending=Count("deliveries", filter=Q(deliveries__status__in=PENDING)))
        .order_by("sequence")
    )
    running = [message for message in messages if message.pending]
    return running or messages[-1:]


def campaign_progress(campaign, now=None):
    """Sent of total for the running mailing(s), the rate and the time left at that rate.

    While sending, the rate is what went out in the last minute, over the part
    of that minute since the mailing's first send (so a mailing 10 seconds old
    is not averaged over a whole minute); once done, the number sent over the
    mailing's real duration, from its first to its last send.
    """
    now = now or timezone.now()
    messages = running_messages(campaign)
    cutoff = now - RATE_WINDOW
    figures = Delivery.objects.filter(message__in=messages).aggregate(
        total=Count("id"),
        sent=Count("id", filter=Q(status__in=ACCEPTED)),
        failed=Count("id", filter=Q(status=S.FAILED)),
        skipped=Count("id", filter=Q(status=S.SKIPPED)),
        pending=Count("id", filter=Q(status__in=PENDING)),
        timed=Count("sent_at"),
        recent=Count("id", filter=Q(sent_at__gte=cutoff)),
        first_sent=Min("sent_at"),
        last_sent=Max("sent_at"),
    )
    pending, first_sent = figures["pending"], figures["first_sent"]
    if not first_sent:
        count, seconds = 0, 0.0
    elif pending:
        count, seconds = figures["recent"], (now - max(cutoff, first_sent)).total_seconds()
    else:
        count, seconds = figures["timed"], (figures["last_sent"] - first_sent).total_seconds()
    per_minute = round(count * 60 / seconds, 1) if count and seconds >= MIN_RATE_SECONDS else None
    if not pending:
        seconds_left = 0
    elif per_minute:
        seconds_left = round(pending * 60 / per_minute)
    else:
        seconds_left = None
    return Progress(
        total=figures["total"],
        sent=figures["sent"],
        failed=figures["failed"],
        skipped=figures["skipped"],
        pending=pending,
        per_minute=per_minute,
        seconds_left=seconds_left,
        measured_count=count,
        measured_seconds=seconds,
        stalled=bool(pending and first_sent and not figures["recent"]),
        messages=messages,
    )


@dataclass
class Group:
    """Recipients and answers of one organisation kind or region."""

    key: str
    label: str
    recipients: int
    answered: int

    @property
    def rate(self):
        return percentage(self.answered, self.recipients)


@dataclass
class MessageFigures:
    """What happened to the deliveries of one mailing."""

    label: str
    total: int
    sent: int
    delivered: int
    bounced: int
    complained: int
    failed: int
    skipped: int
    pending: int
    # Sends a worker did not finish (its lease ran out): the mail may have gone out twice.
    interrupted: int


@dataclass
class Results:
    recipients: int
    answered: int
    # Recipients whose address may no longer be mailed (unsubscribed, bounced, complained).
    blocked: int
    messages: list
    by_kind: list
    by_region: list
    failure_reasons: list

    @property
    def response_rate(self):
        return percentage(self.answered, self.recipients)

    def total(self, name):
        return sum(getattr(message, name) for message in self.messages)

    @property
    def sent(self):
        return self.total("sent")

    @property
    def delivered(self):
        return self.total("delivered")

    @property
    def bounced(self):
        return self.total("bounced")

    @property
    def complained(self):
        return self.total("complained")

    @property
    def failed(self):
        return self.total("failed")

    @property
    def skipped(self):
        return self.total("skipped")

    @property
    def interrupted(self):
        return self.total("interrupted")


def campaign_results(campaign):
    """Recipients, the fate of every mailing, answers and the response rate, by kind and region."""
    recipients = Recipient.objects.filter(campaign=campaign)
    answered = Q(answered_at__isnull=False)
    totals = recipients.aggregate(
        recipients=Count("id"), answered=Count("id", filter=answered), blocked=Count("id", filter=is_blocked(campaign))
    )
    return Results(
        recipients=totals["recipients"],
        answered=totals["answered"],
        blocked=totals["blocked"],
        messages=message_figures(campaign),
        by_kind=grouped(recipients, "organisation_kind", dict(Organisation.Kind.choices)),
        by_region=grouped(recipients, "region", dict(Organisation.Region.choices)),
        failure_reasons=list(
            Delivery.objects.filter(message__campaign=campaign, status=S.FAILED)
            .values("error")
            .annotate(count=Count("id"))
            .order_by("-count", "error")
        ),
    )


def suppression_scope(campaign):
    return Suppression.Scope.NEWSLETTER if campaign.kind == Campaign.Kind.NEWSLETTER else Suppression.Scope.CAMPAIGNS


def is_blocked(campaign):
    """True for a recipient whose address is on the suppression list for mailings of ``campaign``'s kind.

    Matched by hash, in Python: an erased person's entry keeps only the HMAC of
    the address, which the database cannot compute.
    """
    suppressions = Suppression.objects.blocking(suppression_scope(campaign))
    emails = list(Recipient.objects.filter(campaign=campaign).values_list("email", flat=True))
    blocked = set()
    for start in range(0, len(emails), HASH_LOOKUP_BATCH):
        blocked |= suppressions.blocked_addresses(emails[start : start + HASH_LOOKUP_BATCH])
    return ExpressionWrapper(Q(email__in=blocked), output_field=BooleanField())


def message_figures(campaign):
    rows = (
        Delivery.objects.filter(message__campaign=campaign)
        .values("message__sequence", "message__kind")
        .annotate(
            total=Count("id"),
            sent=Count("id", filter=Q(status__in=ACCEPTED)),
            delivered=Count("id", filter=Q(status__in=DELIVERED)),
            bounced=Count("id", filter=Q(status=S.BOUNCED)),
            complained=Count("id", filter=Q(status=S.COMPLAINED)),
            failed=Count("id", filter=Q(status=S.FAILED)),
            skipped=Count("id", filter=Q(status=S.SKIPPED)),
            pending=Count("id", filter=Q(status__in=PENDING)),
            interrupted=Count("id", filter=Q(reclaimed_at__isnull=False)),
        )
        .order_by("message__sequence")
    )
    return [
        MessageFigures(
            label=message_label(row.pop("message__kind"), row.pop("message__sequence")),
            **row,
        )
        for row in rows
    ]


def message_label(kind, sequence):
    if kind == Message.Kind.REMINDER:
        return f"Herinnering {sequence}"
    return Message.Kind(kind).label


def grouped(recipients, column, labels):
    rows = (
        recipients.values(column)
        .annotate(recipients=Count("id"), answered=Count("id", filter=Q(answered_at__isnull=False)))
        .order_by(column)
    )
    groups = [
        Group(key=row[column], label=labels.get(row[column]) or "Onbekend", recipients=row["recipients"], answered=row["answered"])
        for row in rows
    ]
    return sorted(groups, key=lambda group: (-group.recipients, group.label))


@dataclass
class NewsletterResults:
    """What a newsletter mailing caused: unsubscribes, complaints against Gmail's limits, opens and clicks."""

    sent: int
    delivered: int
    bounced: int
    complained: int
    unsubscribed: int
    # None while open and click tracking is off: then nothing is measured, not zero.
    opened: int | None
    clicked: int | None

    @property
    def complaint_base(self):
        """Complaints are counted against the mails delivered when the ESP reports deliveries, else against those sent."""
        return self.delivered or self.sent

    @property
    def complaint_rate(self):
        return round(100 * self.complained / self.complaint_base, 2) if self.complaint_base else 0.0

    @property
    def complaint_level(self):
        """"ok", "warning" (from Gmail's 0.1 %) or "ceiling" (from its 0.3 %)."""
        if self.complaint_rate >= GMAIL_COMPLAINT_CEILING:
            return "ceiling"
        if self.complaint_rate >= GMAIL_COMPLAINT_WARNING:
            return "warning"
        return "ok"


def newsletter_results(campaign):
    """Figures of a newsletter mailing, in two queries."""
    figures = Delivery.objects.filter(message__campaign=campaign).aggregate(
        sent=Count("id", filter=Q(status__in=ACCEPTED)),
        delivered=Count("id", filter=Q(status__in=DELIVERED)),
        bounced=Count("id", filter=Q(status=S.BOUNCED)),
        complained=Count("id", filter=Q(status=S.COMPLAINED)),
        opened=Count("id", filter=Q(status__in=OPENED)),
        clicked=Count("id", filter=Q(status=S.CLICKED)),
    )
    tracking = settings.CAMPAIGNS_TRACK_OPENS_AND_CLICKS
    return NewsletterResults(
        sent=figures["sent"],
        delivered=figures["delivered"],
        bounced=figures["bounced"],
        complained=figures["complained"],
        unsubscribed=Suppression.objects.filter(campaign=campaign, reason=Suppression.Reason.UNSUBSCRIBED).count(),
        opened=figures["opened"] if tracking else None,
        clicked=figures["clicked"] if tracking else None,
    )
