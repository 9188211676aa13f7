"""Build a campaign's ledger row by row, so that tests know every figure in advance."""

import uuid

from django.utils import timezone

from campaigns.models import Campaign, Delivery, Message, Recipient
from cms.models import CallResponse

# Answers to the standard form fields of ``CallForInputPageFactory``.
DESCRIPTION = "Wij drinken elke maand koffie met het wijkteam en bespreken samen wie extra steun nodig heeft."


def answers(name="Sanne Jansen", email="sanne@example.org", organisation="Netwerk Voorbeeldstad", **extra):
    return {
        "naam": name,
        "e_mailadres": email,
        "organisatie": organisation,
        "soort_organisatie": "Netwerk palliatieve zorg",
        "beschrijving_van_het_initiatief": DESCRIPTION,
        "startdatum": "",
        **extra,
    }


def start(campaign, status=Campaign.Status.SENDING):
    campaign.status = status
    campaign.launched_at = timezone.now()
    campaign.save(update_fields=["status", "launched_at"])
    return Message.objects.create(
        campaign=campaign, kind=Message.Kind.INVITATION, sequence=0, subject="Uitnodiging", body="Beste {naam}"
    )


def reminder(campaign, sequence=1):
    return Message.objects.create(
        campaign=campaign, kind=Message.Kind.REMINDER, sequence=sequence, subject="Herinnering", body="Beste {naam}"
    )


def recipient(campaign, name, kind="netwerk", region="utrecht", organisation="", answered=False, consent=False, form_data=None):
    """A recipient; ``answered`` gives them a stored response to the campaign's call."""
    email = f"{uuid.uuid4().hex[:10]}@example.org"
    row = Recipient.objects.create(
        campaign=campaign,
        email=email,
        name=name,
        organisation_name=organisation or f"Organisatie van {name}",
        organisation_kind=kind,
        region=region,
        token_nonce=uuid.uuid4().hex,
        token_hash=uuid.uuid4().hex,
        unsubscribe_token_hash=uuid.uuid4().hex,
    )
    if answered:
        row.response = CallResponse.objects.create(
            page=campaign.call_page,
            form_data=form_data or answers(name=name, email=email, organisation=row.organisation_name),
            publication_consent=consent,
            content_hash=uuid.uuid4().hex,
        )
        row.answered_at = timezone.now()
        row.save(update_fields=["response", "answered_at"])
    return row


def deliver(message, to, status, error="", sent_at=None):
    accepted = status not in (Delivery.Status.QUEUED, Delivery.Status.SENDING, Delivery.Status.FAILED, Delivery.Status.SKIPPED)
    return Delivery.objects.create(
        message=message,
        recipient=to,
        status=status,
        error=error,
        attempts=1 if status != Delivery.Status.QUEUED else 0,
        sent_at=sent_at or (timezone.now() if accepted else None),
    )
