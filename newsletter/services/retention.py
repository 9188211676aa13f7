"""Retention periods, enforced by a daily beat task (``cms.tasks.enforce_retention``); each step is idempotent.

- Sign-ups not confirmed within ``NEWSLETTER_UNCONFIRMED_DAYS``: the consent
  record goes, and so does a pending subscriber left without any record.
- Deliveries and tracking events older than ``DELIVERY_RETENTION_DAYS``: the
  events are deleted; the recipients of those deliveries are anonymised and
  the delivery rows lose what could lead back to the person (the ESP's
  message id, an address in an error). The rows themselves stay, because the
  campaign results count them (``campaigns.services.results``); once
  anonymised they are figures, not personal data.
- Answers to calls closed more than ``ANSWER_RETENTION_DAYS`` ago: every
  answer becomes ``[gewist]``, so the call's response count stays right.
"""

from dataclasses import asdict, dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.utils import timezone

from campaigns.log_filters import mask_addresses
from campaigns.models import Delivery, Recipient, TrackingEvent
from cms.models import CallResponse
from newsletter.models import ConsentRecord, Subscriber

from .personal_data import ERASED, ERASED_DOMAIN, anonymise_response, anonymous_address

BATCH = 500


@dataclass
class RetentionSummary:
    consent_records: int = 0
    subscribers: int = 0
    tracking_events: int = 0
    recipients: int = 0
    responses: int = 0

    def as_dict(self):
        return asdict(self)


def enforce_retention(now=None):
    """Apply every retention period; returns what was removed or anonymised, counted."""
    now = now or timezone.now()
    summary = RetentionSummary()
    summary.consent_records, summary.subscribers = expire_unconfirmed(now - timedelta(days=settings.NEWSLETTER_UNCONFIRMED_DAYS))
    delivery_cutoff = now - timedelta(days=settings.DELIVERY_RETENTION_DAYS)
    summary.tracking_events = delete_old_events(delivery_cutoff)
    summary.recipients = anonymise_old_recipients(delivery_cutoff)
    summary.responses = anonymise_old_answers(now - timedelta(days=settings.ANSWER_RETENTION_DAYS))
    return summary


@transaction.atomic
def expire_unconfirmed(cutoff):
    """Unconfirmed sign-ups requested before ``cutoff``, and pending subscribers without any record left."""
    records, _ = ConsentRecord.objects.filter(confirmed_at__isnull=True, requested_at__lt=cutoff).delete()
    orphans = Subscriber.objects.filter(status=Subscriber.Status.PENDING, created_at__lt=cutoff).exclude(
        Exists(ConsentRecord.objects.filter(subscriber=OuterRef("pk")))
    )
    subscribers = orphans.count()
    orphans.delete()
    return records, subscribers


def delete_old_events(cutoff):
    deleted, _ = TrackingEvent.objects.filter(received_at__lt=cutoff).delete()
    return deleted


def anonymise_old_recipients(cutoff):
    """Recipients whose every delivery is settled and older than ``cutoff``, not yet anonymised."""
    old = (
        Recipient.objects.exclude(email__endswith=f"@{ERASED_DOMAIN}")
        .annotate(last=Max("deliveries__updated_at"))
        .filter(last__lt=cutoff)
        .exclude(deliveries__status__in=[Delivery.Status.QUEUED, Delivery.Status.SENDING])
    )
    count = 0
    while ids := list(old.values_list("pk", flat=True)[:BATCH]):
        with transaction.atomic():
            for pk in ids:
                Recipient.objects.filter(pk=pk).update(email=anonymous_address(pk), name=ERASED, subscriber=None, contact=None)
            for delivery in Delivery.objects.filter(recipient__in=ids).exclude(Q(error="") & Q(provider_message_id="")):
                Delivery.objects.filter(pk=delivery.pk).update(error=mask_addresses(delivery.error), provider_message_id="")
        count += len(ids)
    return count


def anonymise_old_answers(cutoff):
    """Answers to calls whose deadline passed before ``cutoff`` and that still hold something."""
    answers = CallResponse.objects.filter(page__callforinputpage__deadline__lt=cutoff).select_related("page")
    count = 0
    for response in answers.iterator(chunk_size=BATCH):
        if any(value != ERASED for value in response.form_data.values()):
            anonymise_response(response)
            count += 1
    return count
