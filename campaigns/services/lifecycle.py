"""Pausing, resuming and cancelling a launched campaign; each change goes to Wagtail's audit log."""

from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from campaigns.models import Campaign, Delivery

from .launch import CampaignStateError

Status = Campaign.Status
CANCELLED_REASON = "geannuleerd"


def pause(campaign, user=None):
    """Hold sending; queued deliveries stay queued until the campaign is resumed."""
    return _change(
        campaign,
        allowed=(Status.SENDING, Status.SCHEDULED),
        new_status=lambda _: Status.PAUSED,
        action="campaigns.pause",
        user=user,
        refusal="Alleen een ingeplande campagne of een campagne die wordt verstuurd kan worden gepauzeerd.",
    )


def resume(campaign, user=None):
    """Back to scheduled when the send time is still ahead, else to sending."""
    return _change(
        campaign,
        allowed=(Status.PAUSED,),
        new_status=lambda c: Status.SCHEDULED if c.send_at and c.send_at > timezone.now() else Status.SENDING,
        action="campaigns.resume",
        user=user,
        refusal="Alleen een gepauzeerde campagne kan worden hervat.",
    )


def cancel(campaign, user=None):
    """Cancel for good: every delivery still waiting in the queue is skipped.

    A launch under way holds the campaign's row lock, so cancelling waits for
    its freeze and then skips what it queued; a freeze not yet begun finds the
    campaign cancelled and freezes nothing.
    """
    return _change(
        campaign,
        allowed=(Status.DRAFT, Status.STARTING, Status.SCHEDULED, Status.SENDING, Status.PAUSED),
        new_status=lambda _: Status.CANCELLED,
        action="campaigns.cancel",
        user=user,
        refusal="Een verstuurde of al geannuleerde campagne kan niet meer worden geannuleerd.",
        skip_queued=True,
    )


def _change(campaign, *, allowed, new_status, action, user, refusal, skip_queued=False):
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if locked.status not in allowed:
            raise CampaignStateError(refusal)
        previous = locked.status
        locked.status = new_status(locked)
        locked.save(update_fields=["status"])
        data = {"from": previous, "to": locked.status}
        if skip_queued:
            data["skipped"] = Delivery.objects.filter(message__campaign=locked, status=Delivery.Status.QUEUED).update(
                status=Delivery.Status.SKIPPED, error=CANCELLED_REASON, next_attempt_at=None
            )
        log(locked, action, user=user, data=data)
    campaign.status = locked.status
    return locked
