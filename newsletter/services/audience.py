"""Who gets an issue: confirmed subscribers of at least one chosen topic, minus the suppression list,
and minus whoever an earlier mailing of the same issue reached already (each gets an issue once).

Suppression entries are matched by their address hash (an erased address
has only its hash left), so the audience is filtered in the database with a
subquery on ``email_hash``; for that the subscriber's hash is computed in
Python per chunk, never for everyone at once.
"""

from django.db.models import Count, Q

from campaigns.models import Campaign, Recipient, Suppression
from campaigns.models.suppression import address_hash
from newsletter.models import Subscriber, Topic

CHUNK = 2000


def subscribers_of(topics):
    """Confirmed subscribers with at least one of ``topics``, each once (suppression not yet applied)."""
    return (
        Subscriber.objects.filter(status=Subscriber.Status.CONFIRMED, topics__in=list(topics))
        .order_by()
        .values("pk")
        .distinct()
    )


def already_mailed(issue):
    """Subscribers queued by an earlier mailing of ``issue`` that was not cancelled."""
    return (
        Recipient.objects.filter(campaign__issue_mailing__issue=issue, subscriber__isnull=False)
        .exclude(campaign__status=Campaign.Status.CANCELLED)
        .values("subscriber_id")
    )


def candidates(topics, issue=None):
    subscribers = Subscriber.objects.filter(pk__in=subscribers_of(topics))
    return subscribers.exclude(pk__in=already_mailed(issue)) if issue is not None else subscribers


def blocked_hashes():
    return Suppression.objects.blocking(Suppression.Scope.NEWSLETTER).values("email_hash")


def recipients(topics, issue=None):
    """Yield the subscribers ``issue`` sent to ``topics`` reaches, in chunks, in a steady amount of memory.

    A chunk's addresses are checked against the suppression list in one query.
    """
    queryset = candidates(topics, issue).only("pk", "email", "name").order_by("pk")
    last_pk = 0
    while True:
        chunk = list(queryset.filter(pk__gt=last_pk)[:CHUNK])
        if not chunk:
            return
        last_pk = chunk[-1].pk
        hashes = {subscriber.pk: address_hash(subscriber.email) for subscriber in chunk}
        blocked = set(blocked_hashes().filter(email_hash__in=hashes.values()).values_list("email_hash", flat=True))
        yield from (subscriber for subscriber in chunk if hashes[subscriber.pk] not in blocked)


def blocked_emails():
    return Suppression.objects.blocking(Suppression.Scope.NEWSLETTER).exclude(email="").values("email")


def count(topics, issue=None):
    """How many an issue to ``topics`` would reach: one COUNT in the database.

    Here the suppression list is matched by address, which SQL can compare;
    an entry whose address was erased keeps only its hash, and the exact pass
    of ``recipients`` (at scheduling) leaves such a person out as well.
    """
    if not topics:
        return 0
    return candidates(topics, issue).exclude(email__in=blocked_emails()).count()


def count_per_topic(topics):
    """``{topic.pk: number}`` of confirmed subscribers per topic, for the checkboxes (one query)."""
    confirmed = Q(subscribers__status=Subscriber.Status.CONFIRMED) & ~Q(subscribers__email__in=blocked_emails())
    rows = Topic.objects.filter(pk__in=[t.pk for t in topics]).annotate(n=Count("subscribers", filter=confirmed))
    return {row.pk: row.n for row in rows}
