"""Signing up, confirming, changing one's preferences and leaving: the rules behind every subscriber page.

One ``Subscriber`` per normalised address, one ``ConsentRecord`` per sign-up.
An address is mailed nothing before it confirms but its confirmation, and
that at most once per ``NEWSLETTER_RESEND_MINUTES`` and
``NEWSLETTER_MAX_CONFIRMATIONS_PER_DAY`` times a day, whoever types it in.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from campaigns.models import Suppression, normalise_email
from campaigns.services import workers
from campaigns.services.suppression import suppress
from newsletter.models import ConsentRecord, ConsentText, Subscriber
from newsletter.models.subscribers import new_nonce

# Only the subscriber's own "unsubscribed" entry gives way to a new, proven consent; bounces and complaints stay.
LIFTED_BY_CONSENT = {"scope": Suppression.Scope.NEWSLETTER, "reason": Suppression.Reason.UNSUBSCRIBED}


def sign_up(
    email,
    *,
    name="",
    topics,
    source,
    page=None,
    page_url="",
    ip_address=None,
    consent_text=None,
    source_detail="",
    imported_by=None,
    send=True,
):
    """Record a sign-up and ask for its confirmation mail; None when there is no consent text to agree to."""
    consent_text = consent_text or ConsentText.current()
    if consent_text is None:
        return None
    topics = list(topics)
    with transaction.atomic():
        subscriber, _ = Subscriber.objects.get_or_create(email=normalise_email(email), defaults={"name": name})
        record = ConsentRecord.objects.create(
            subscriber=subscriber,
            source=source,
            source_detail=source_detail[:500],
            page=page,
            page_url=page_url[:500],
            consent_text=consent_text,
            privacy_statement_version=consent_text.privacy_statement_version,
            topic_names=[topic.name for topic in topics],
            name=name,
            ip_address=ip_address,
            imported_by=imported_by,
            expires_at=timezone.now() + timedelta(days=settings.NEWSLETTER_CONFIRMATION_DAYS),
        )
        record.topics.set(topics)
        if send:
            request_confirmation(record)
    return record


def request_confirmation(record):
    """Queue the confirmation mail of ``record`` unless its address had one too recently; return whether it did."""
    with transaction.atomic():
        # One sign-up at a time per address, so two at once cannot both pass the limits below.
        Subscriber.objects.select_for_update().filter(pk=record.subscriber_id).first()
        record.refresh_from_db()
        if record.confirmed_at or not may_mail(record.subscriber):
            return False
        now = timezone.now()
        fields = {"confirmation_sent_at": now, "confirmation_mails": record.confirmation_mails + 1}
        if not record.confirmation_nonce:
            fields["confirmation_nonce"] = new_nonce()
        ConsentRecord.objects.filter(pk=record.pk).update(**fields)
        for field, value in fields.items():
            setattr(record, field, value)
        workers.queue("newsletter.tasks.send_confirmation", record.pk)
    return True


def renew(record):
    """A new link (and expiry) for an expired sign-up, mailed within the same limits; False when not sent."""
    with transaction.atomic():
        Subscriber.objects.select_for_update().filter(pk=record.subscriber_id).first()
        record.refresh_from_db()
        if record.confirmed_at or not may_mail(record.subscriber):
            return False
        record.confirmation_nonce = new_nonce()
        record.expires_at = timezone.now() + timedelta(days=settings.NEWSLETTER_CONFIRMATION_DAYS)
        record.save(update_fields=["confirmation_nonce", "expires_at"])
        return request_confirmation(record)


def may_mail(subscriber):
    """Whether the address may get a confirmation (or "already subscribed") mail now.

    Counted over all its sign-ups: a record mailed twice counts twice for
    the day even if its first mail was earlier, which errs on fewer mails.
    """
    if blocked_for_good(subscriber.email):
        return False
    now = timezone.now()
    mailed = ConsentRecord.objects.filter(subscriber=subscriber, confirmation_sent_at__isnull=False)
    if mailed.filter(confirmation_sent_at__gt=now - timedelta(minutes=settings.NEWSLETTER_RESEND_MINUTES)).exists():
        return False
    today = mailed.filter(confirmation_sent_at__gt=now - timedelta(days=1)).aggregate(n=Sum("confirmation_mails"))["n"]
    return (today or 0) < settings.NEWSLETTER_MAX_CONFIRMATIONS_PER_DAY


def blocked_for_good(email):
    """On the list for the newsletter for a reason a new sign-up does not lift (bounce, complaint, erasure...)."""
    entries = Suppression.objects.blocking(Suppression.Scope.NEWSLETTER).for_addresses([email])
    return entries.exclude(**LIFTED_BY_CONSENT).exists()


def is_expired(record):
    return not record.confirmed_at and record.expires_at is not None and record.expires_at <= timezone.now()


def already_subscribed(record):
    """A confirmed subscriber asking again for topics they already have: they get their preference link instead."""
    subscriber = record.subscriber
    if subscriber.status != Subscriber.Status.CONFIRMED:
        return False
    return set(record.topics.values_list("pk", flat=True)) <= set(subscriber.topics.values_list("pk", flat=True))


def confirm(record, ip_address):
    """Confirm the sign-up: its topics join the subscriber's. A second confirmation changes nothing."""
    with transaction.atomic():
        record = ConsentRecord.objects.select_for_update().select_related("subscriber").get(pk=record.pk)
        if record.confirmed_at:
            return record
        record.confirmed_at = timezone.now()
        record.confirmed_ip_address = ip_address
        record.save(update_fields=["confirmed_at", "confirmed_ip_address"])
        subscribe(record.subscriber, record.topics.all(), name=record.name)
    return record


def subscribe(subscriber, topics, *, name=""):
    """Add ``topics`` after a proven consent: confirmed status, and the person's own unsubscribe lifted."""
    subscriber.topics.add(*topics)
    Suppression.objects.for_addresses([subscriber.email]).filter(**LIFTED_BY_CONSENT).delete()
    if subscriber.status != Subscriber.Status.CONFIRMED:
        subscriber.status = Subscriber.Status.CONFIRMED
        subscriber.confirmed_at = timezone.now()
        subscriber.unsubscribed_at = None
    if name and not subscriber.name:
        subscriber.name = name
    subscriber.save()


def unsubscribe(subscriber, *, campaign=None, detail=""):
    """No topics, status unsubscribed, and the address on the list (with the mailing that caused it). Idempotent."""
    with transaction.atomic():
        subscriber.topics.clear()
        if subscriber.status != Subscriber.Status.UNSUBSCRIBED:
            subscriber.status = Subscriber.Status.UNSUBSCRIBED
            subscriber.unsubscribed_at = timezone.now()
            subscriber.save(update_fields=["status", "unsubscribed_at", "updated_at"])
        suppress(
            subscriber.email,
            Suppression.Scope.NEWSLETTER,
            Suppression.Reason.UNSUBSCRIBED,
            detail or "Afgemeld voor de nieuwsbrief",
            campaign=campaign,
        )


def unsubscribe_recipient(recipient):
    """The one-click unsubscribe of a newsletter mail: its subscriber, or the address if the row is gone."""
    campaign = recipient.campaign
    detail = f"Afgemeld via de link in “{campaign}”"
    subscriber = recipient.subscriber or Subscriber.objects.filter(email=normalise_email(recipient.email)).first()
    if subscriber is None:
        suppress(recipient.email, Suppression.Scope.NEWSLETTER, Suppression.Reason.UNSUBSCRIBED, detail, campaign=campaign)
        return
    unsubscribe(subscriber, campaign=campaign, detail=detail)


def update_preferences(subscriber, *, name, topics, ip_address):
    """Save the preference page: added topics are consented on the spot (the link reached the person's mailbox)."""
    topics = list(topics)
    if not topics:
        unsubscribe(subscriber, detail="Afgemeld via de voorkeurenpagina")
        if name != subscriber.name:
            subscriber.name = name
            subscriber.save(update_fields=["name", "updated_at"])
        return
    with transaction.atomic():
        current = set(subscriber.topics.all())
        added = [topic for topic in topics if topic not in current]
        removed = [topic for topic in current if topic not in topics]
        subscriber.name = name
        subscriber.save(update_fields=["name", "updated_at"])
        subscriber.topics.remove(*removed)
        if added:
            consent_text = ConsentText.current()
            now = timezone.now()
            record = ConsentRecord.objects.create(
                subscriber=subscriber,
                source=ConsentRecord.Source.PREFERENCES,
                consent_text=consent_text,
                privacy_statement_version=consent_text.privacy_statement_version if consent_text else "",
                topic_names=[topic.name for topic in added],
                name=name,
                ip_address=ip_address,
                confirmed_at=now,
                confirmed_ip_address=ip_address,
            )
            record.topics.set(added)
            subscribe(subscriber, topics)
