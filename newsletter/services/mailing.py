"""Scheduling an issue: freeze the revision and the audience into the delivery ledger in one transaction.

The issue travels as a ``Campaign`` of kind "newsletter", so the workers,
leases, retries, suppression list, webhooks and results of the campaigns
serve it unchanged. What is sent is the revision that passed the pre-send
check and was confirmed; a later edit of the page does not reach this mailing.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from campaigns import tokens
from campaigns.models import Campaign, Delivery, Message, Recipient
from campaigns.services import dispatch
from newsletter.models import IssueMailing, NewsletterIssuePage
from newsletter.services import audience, presend_check

BATCH_SIZE = 1000
MAX_NAME = Campaign._meta.get_field("name").max_length


class MailingRefused(Exception):
    """The issue cannot be sent like this; the message is Dutch, for the editor."""


def issue_of(revision):
    """The issue page as it is in the database now (published or not, its live revision)."""
    page = NewsletterIssuePage.objects.filter(pk=revision.object_id).first()
    if page is None or revision.content_type_id != ContentType.objects.get_for_model(NewsletterIssuePage).pk:
        raise MailingRefused("Deze versie hoort niet bij een nieuwsbrief.")
    return page


def refusal(page, revision):
    """Why ``revision`` of ``page`` may not be sent (what needs no rendering to tell), or None."""
    if not page.live or revision is None:
        return "De nieuwsbrief is niet gepubliceerd. Publiceer hem eerst: de mail verwijst naar de webversie."
    if page.live_revision_id != revision.pk:
        return "Er is intussen een andere versie van de nieuwsbrief gepubliceerd. Controleer die versie en verstuur opnieuw."
    return None


def schedule_issue(revision, topics, *, send_at=None, user):
    """Queue ``revision`` of an issue for every confirmed subscriber of ``topics``; return the IssueMailing.

    ``send_at`` in the future schedules it (the beat starts it then); None or a
    past moment sends now. Raises MailingRefused with a Dutch reason.
    """
    page = issue_of(revision)
    topics = list(topics)
    reason = refusal(page, revision) or (None if topics else "Kies ten minste één onderwerp.")
    if reason:
        raise MailingRefused(reason)
    report = presend_check.check_revision(revision)
    if not report.passed:
        raise MailingRefused("De controle vóór verzending is niet geslaagd voor deze versie. Los de problemen op en controleer opnieuw.")
    now = timezone.now()
    later = bool(send_at and send_at > now)
    subject = revision.as_object().subject
    with transaction.atomic():
        # One scheduling of an issue at a time: a second click finds everyone queued already.
        NewsletterIssuePage.objects.select_for_update().filter(pk=page.pk).first()
        campaign = Campaign.objects.create(
            kind=Campaign.Kind.NEWSLETTER,
            name=f"Nieuwsbrief: {subject}"[:MAX_NAME],
            invitation_subject=subject,
            invitation_body="",
            status=Campaign.Status.SCHEDULED if later else Campaign.Status.SENDING,
            send_at=send_at if later else None,
            launched_at=now,
            launched_by=user,
        )
        mailing = IssueMailing.objects.create(
            campaign=campaign, issue=page, revision=revision, check_report=report.as_dict(), checked_at=now, checked_by=user
        )
        mailing.topics.set(topics)
        message = Message.objects.create(
            campaign=campaign, kind=Message.Kind.NEWSLETTER, sequence=0, subject=subject, body=""
        )
        count = queue_deliveries(campaign, message, topics, page, send_at if later else now)
        if not count:
            raise MailingRefused(
                "Niemand om naar te versturen: geen bevestigde abonnees voor deze onderwerpen, "
                "of ze kregen deze nieuwsbrief al."
            )
        log(
            page,
            "newsletter.schedule",
            user=user,
            revision=revision,
            data={
                "campaign": campaign.pk,
                "recipients": count,
                "topics": [topic.name for topic in topics],
                "send_at": send_at.isoformat() if later else None,
            },
        )
        dispatch.wake_workers()
    return mailing


def queue_deliveries(campaign, message, topics, issue, due):
    """One Recipient and one Delivery per subscriber, written a chunk at a time; return how many."""
    count = 0
    chunk = []
    for subscriber in audience.recipients(topics, issue):
        chunk.append(frozen_recipient(campaign, subscriber))
        if len(chunk) >= BATCH_SIZE:
            count += write_chunk(message, chunk, due)
            chunk = []
    if chunk:
        count += write_chunk(message, chunk, due)
    return count


def write_chunk(message, recipients, due):
    created = Recipient.objects.bulk_create(recipients, batch_size=BATCH_SIZE)
    Delivery.objects.bulk_create(
        [Delivery(message=message, recipient=recipient, next_attempt_at=due) for recipient in created], batch_size=BATCH_SIZE
    )
    return len(created)


def frozen_recipient(campaign, subscriber):
    nonce = tokens.new_nonce()
    return Recipient(
        campaign=campaign,
        subscriber=subscriber,
        email=subscriber.email,
        name=subscriber.name,
        token_nonce=nonce,
        **tokens.token_hashes(campaign.pk, subscriber.email, nonce),
    )
