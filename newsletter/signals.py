"""Keeps subscribers in step with the suppression list that bounces, complaints and unsubscribes feed.

The sending engine checks the list itself, so nothing is mailed to a blocked
address either way; marking the subscriber makes the preference page and the
subscriber admin say what is true.
"""

from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

from campaigns.models import Suppression

from .models import Subscriber

BLOCKS_NEWSLETTER = {Suppression.Scope.ALL, Suppression.Scope.NEWSLETTER}


@receiver(post_save, sender=Suppression, dispatch_uid="newsletter_unsubscribe_suppressed")
def unsubscribe_suppressed(sender, instance, created, raw=False, **kwargs):
    """A new entry that blocks the newsletter marks that address's subscriber unsubscribed."""
    if raw or not created or not instance.email or instance.scope not in BLOCKS_NEWSLETTER:
        return
    now = timezone.now()
    Subscriber.objects.filter(email=instance.email).exclude(status=Subscriber.Status.UNSUBSCRIBED).update(
        status=Subscriber.Status.UNSUBSCRIBED, unsubscribed_at=now, updated_at=now
    )
