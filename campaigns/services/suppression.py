"""The suppression list: addresses that a mailing of some scope may never reach again."""

from campaigns.models import Suppression
from campaigns.models.contacts import normalise_email
from campaigns.models.suppression import address_hash


def suppress(email, scope, reason, detail="", *, event=None, campaign=None):
    """Put ``email`` on the list for ``scope``; return True when it was not on it yet.

    Idempotent: a second unsubscribe, a replayed bounce or two at once leave one entry.
    ``event`` is the raw report (webhook payload, SMTP reply) kept for inspection.
    """
    _, created = Suppression.objects.get_or_create(
        email_hash=address_hash(email),
        scope=scope,
        defaults={
            "email": normalise_email(email),
            "reason": reason,
            "detail": detail[:500],
            "event": event or {},
            "campaign": campaign,
        },
    )
    return created


def is_suppressed(email, scope):
    """Whether a mailing of ``scope`` ("campaigns" or "newsletter") may not reach ``email``."""
    return Suppression.objects.blocking(scope).for_addresses([email]).exists()
