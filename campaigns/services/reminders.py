"""Reminders: when one is due by the campaign's plan, and whom it reaches.

The plan is a list of "days before the deadline", at most ``max_reminders``
of them sent, at least ``min_days_between`` days after the previous mail, and
only while the call is still open and published. A reminder goes to every
recipient who has not answered and whose address is not suppressed, as one
Message with one Delivery per recipient, created in one transaction. The unique (campaign,
sequence) constraint makes a second dispatcher's attempt fail harmlessly.
"""

import logging
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from campaigns.models import Campaign, Delivery, Message, Suppression

logger = logging.getLogger(__name__)

ACTIVE = (Campaign.Status.SENDING, Campaign.Status.SENT)


def last_mail_moment(campaign, last_message):
    """When the previous mail went out: a scheduled invitation counts from its send time."""
    if last_message.kind == Message.Kind.INVITATION and campaign.send_at:
        return max(last_message.created_at, campaign.send_at)
    return last_message.created_at


def reminder_due(campaign, now=None):
    """The sequence number of the reminder due now for ``campaign``, or None."""
    now = now or timezone.now()
    if campaign.kind != Campaign.Kind.CALL:
        return None  # a newsletter issue is sent once, never reminded
    deadline = campaign.call_page.deadline
    if campaign.status not in ACTIVE or not deadline or now >= deadline or not campaign.reminder_days_before:
        return None
    messages = list(campaign.messages.order_by("sequence"))
    if not messages:
        return None
    reminders_sent = sum(1 for message in messages if message.kind == Message.Kind.REMINDER)
    if reminders_sent >= campaign.max_reminders:
        return None
    previous = last_mail_moment(campaign, messages[-1])
    if now - previous < timedelta(days=campaign.min_days_between):
        return None
    moments = sorted(deadline - timedelta(days=int(days)) for days in campaign.reminder_days_before)
    passed = [moment for moment in moments if moment <= now]
    if not passed or passed[-1] <= previous:
        return None
    return messages[-1].sequence + 1


def reminder_audience(campaign):
    """Recipients who have not answered and may still be mailed."""
    suppressed = Suppression.objects.blocking(Suppression.Scope.CAMPAIGNS).values("email")
    return campaign.recipients.filter(answered_at__isnull=True).exclude(email__in=suppressed)


def create_reminder(campaign, sequence):
    """Queue reminder ``sequence``; return the number of deliveries, or None if another dispatcher won."""
    now = timezone.now()
    try:
        with transaction.atomic():
            # Held until the deliveries are committed, so no worker marks the campaign sent meanwhile.
            Campaign.objects.select_for_update().filter(pk=campaign.pk).first()
            message = Message.objects.create(
                campaign=campaign,
                kind=Message.Kind.REMINDER,
                sequence=sequence,
                subject=campaign.reminder_subject or campaign.invitation_subject,
                body=campaign.reminder_body or campaign.invitation_body,
            )
            deliveries = Delivery.objects.bulk_create(
                [
                    Delivery(message=message, recipient=recipient, next_attempt_at=now)
                    for recipient in reminder_audience(campaign).only("pk")
                ],
                batch_size=1000,
            )
            Campaign.objects.filter(pk=campaign.pk, status=Campaign.Status.SENT).update(status=Campaign.Status.SENDING)
    except IntegrityError:
        logger.info("Reminder %d of campaign %s was already created by another dispatcher", sequence, campaign.pk)
        return None
    logger.info("Queued reminder %d of campaign %s for %d recipients", sequence, campaign.pk, len(deliveries))
    return len(deliveries)


def queue_due_reminders(now=None):
    """Create every reminder that is due now; return how many deliveries were queued."""
    queued = 0
    now = now or timezone.now()
    # An unpublished call gets no reminders: their links would open nothing.
    campaigns = Campaign.objects.filter(
        kind=Campaign.Kind.CALL, status__in=ACTIVE, call_page__deadline__gt=now, call_page__live=True
    ).select_related("call_page")
    for campaign in campaigns:
        sequence = reminder_due(campaign, now)
        if sequence is not None:
            queued += create_reminder(campaign, sequence) or 0
    return queued
