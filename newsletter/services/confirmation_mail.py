"""The one mail an unconfirmed address may get: its confirmation link (or, if already subscribed, its preferences).

A confirmed subscriber who signs up again for topics they already have gets
their preference link instead of a second confirmation: the page said the
same to them as to anyone, and only their own mailbox learns the difference.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from campaigns.log_filters import mask_addresses
from campaigns.models import Suppression
from campaigns.services.sending import PermanentError, classify
from campaigns.services.suppression import suppress
from cms.services.notifications import text_part
from newsletter import links
from newsletter.models import ConsentRecord
from newsletter.services.subscriptions import already_subscribed, blocked_for_good

logger = logging.getLogger(__name__)

CONFIRM_SUBJECT = "Bevestig uw aanmelding voor de nieuwsbrief van Zorg en Welzijn"
ALREADY_SUBJECT = "U bent al aangemeld voor de nieuwsbrief van Zorg en Welzijn"


def build(record):
    """The mail for ``record``: text and HTML from the same context, in Dutch."""
    subscriber = record.subscriber
    already = already_subscribed(record)
    subject = ALREADY_SUBJECT if already else CONFIRM_SUBJECT
    topics = [topic.name for topic in subscriber.topics.all()] if already else record.topic_names
    context = {
        "already": already,
        "subject": subject,
        "record": record,
        "name": record.name or subscriber.name,
        "topics": topics,
        "consent_text": record.consent_text,
        "confirmation_link": links.confirmation_link(record),
        "preferences_link": links.preferences_link(subscriber),
        "days": settings.NEWSLETTER_CONFIRMATION_DAYS,
        "site_url": settings.SITE_URL,
    }
    body = text_part("mail/newsletter_confirmation.txt", context)
    message = EmailMultiAlternatives(subject=subject, body=body, to=[subscriber.email])
    message.attach_alternative(render_to_string("mail/newsletter_confirmation.html", context), "text/html")
    return message


def send(record_id):
    """Send the mail of one sign-up; False when there was nothing to send or the address is refused for good.

    Transient failures are raised for the task to retry. A permanent refusal
    of the address is a hard bounce: no mailing tries it again.
    """
    record = ConsentRecord.objects.select_related("subscriber", "consent_text").filter(pk=record_id).first()
    if record is None or record.confirmed_at or blocked_for_good(record.subscriber.email):
        return False
    message = build(record)
    try:
        message.send()
    except Exception as error:
        failure = classify(error)
        if not isinstance(failure, PermanentError):
            raise
        if failure.bounce:
            suppress(
                record.subscriber.email,
                Suppression.Scope.ALL,
                Suppression.Reason.HARD_BOUNCE,
                detail="Bevestigingsmail van de nieuwsbrief geweigerd door de mailserver",
                event=failure.bounce,
            )
        logger.warning("Confirmation mail of sign-up %s refused for good: %s", record_id, mask_addresses(str(failure)))
        return False
    logger.info("Sent the confirmation mail of sign-up %s", record_id)
    return True
