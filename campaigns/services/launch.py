"""Launching a campaign: freeze the audience into the delivery ledger in one transaction."""

from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from campaigns import tokens
from campaigns.models import Campaign, Delivery, Message, Recipient
from campaigns.tasks import dispatch_due_work

from .audience import summarise


class CampaignStateError(Exception):
    """The action does not fit the campaign's current state; the message is Dutch, for the editor."""


def launch(campaign, user=None):
    """Freeze the audience and queue the invitation: one Recipient and one Delivery per person.

    The unique constraints on (campaign, email) and (message, recipient) make a
    second launch of the same campaign impossible rather than merely unlikely.
    Returns the number of deliveries queued.
    """
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if campaign.status != Campaign.Status.DRAFT:
            raise CampaignStateError("Deze campagne is al gestart.")
        if not campaign.call_page.is_open:
            raise CampaignStateError("De oproep is gesloten; een campagne heeft dan geen zin meer.")
        if not campaign.call_page.live:
            raise CampaignStateError(
                "De oproep is nog niet gepubliceerd; publiceer hem eerst, anders werkt de link in de mail niet."
            )
        summary = summarise(campaign)
        if not summary.recipients:
            raise CampaignStateError("Niemand in de doelgroep kan deze mail ontvangen.")

        now = timezone.now()
        send_at = campaign.send_at if campaign.send_at and campaign.send_at > now else now
        invitation = Message.objects.create(
            campaign=campaign,
            kind=Message.Kind.INVITATION,
            sequence=0,
            subject=campaign.invitation_subject,
            body=campaign.invitation_body,
        )
        recipients = Recipient.objects.bulk_create([frozen_recipient(campaign, contact) for contact in summary.recipients])
        Delivery.objects.bulk_create(
            [Delivery(message=invitation, recipient=recipient, next_attempt_at=send_at) for recipient in recipients],
            batch_size=1000,
        )
        campaign.status = Campaign.Status.SCHEDULED if send_at > now else Campaign.Status.SENDING
        campaign.launched_at = now
        campaign.launched_by = user
        campaign.save(update_fields=["status", "launched_at", "launched_by"])
        log(campaign, "campaigns.launch", user=user, data={"recipients": len(recipients), "left_out": summary.left_out_count})
        dispatch_due_work.delay_on_commit()
    return len(recipients)


def frozen_recipient(campaign, contact):
    nonce = tokens.new_nonce()
    organisation = contact.organisation
    return Recipient(
        campaign=campaign,
        contact=contact,
        email=contact.email,
        name=contact.name,
        organisation_name=organisation.name if organisation else "",
        organisation_kind=organisation.kind if organisation else "",
        region=organisation.region if organisation else "",
        token_nonce=nonce,
        **tokens.token_hashes(campaign.pk, contact.email, nonce),
    )
