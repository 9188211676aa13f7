"""The suppression list: addresses that a mailing of some scope may never reach again."""

from campaigns.models import Suppression
from campaigns.models.contacts import normalise_email


def suppress(email, scope, reason, detail=""):
    """Put ``email`` on the list for ``scope``; return True when it was not on it yet.

    Idempotent: a second unsubscribe, a replayed bounce or two at once leave one entry.
    """
    _, created = Suppression.objects.get_or_create(
        email=normalise_email(email), scope=scope, defaults={"reason": reason, "detail": detail[:500]}
    )
    return created


def is_suppressed(email, scope):
    """Whether a mailing of ``scope`` ("campaigns" or "newsletter") may not reach ``email``."""
    return Suppression.objects.blocking(scope).filter(email=normalise_email(email)).exists()
