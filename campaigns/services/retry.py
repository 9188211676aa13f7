"""Retrying failed deliveries: back into the queue for the next dispatch tick."""

from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from campaigns.models import Campaign, Delivery

from .launch import CampaignStateError


def retry_failed(campaign, user=None, delivery_ids=None):
    """Queue the campaign's failed deliveries (or only ``delivery_ids``) again; returns how many.

    A campaign that was done sending is sending again; a paused one sends them
    once resumed; a cancelled one sends nothing more.
    """
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if campaign.status in (Campaign.Status.CANCELLED, Campaign.Status.DRAFT):
            raise CampaignStateError(
                f"Deze campagne is {campaign.get_status_display().lower()}; opnieuw proberen kan niet."
            )
        failed = Delivery.objects.filter(message__campaign=campaign, status=Delivery.Status.FAILED)
        if delivery_ids is not None:
            failed = failed.filter(pk__in=delivery_ids)
        count = failed.update(
            status=Delivery.Status.QUEUED,
            attempts=0,
            next_attempt_at=timezone.now(),
            lease_expires_at=None,
            error="",
            updated_at=timezone.now(),
        )
        if count and campaign.status == Campaign.Status.SENT:
            campaign.status = Campaign.Status.SENDING
            campaign.save(update_fields=["status"])
        if count:
            log(campaign, "campaigns.retry", user=user, data={"deliveries": count})
    return count
