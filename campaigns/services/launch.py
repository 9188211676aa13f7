"""Launching a campaign: the admin records the request, a worker freezes the audience into the ledger.

``request_launch`` (the admin's POST) checks the campaign, marks it "starting"
and queues the freeze; it answers in milliseconds whatever the audience's size.
``freeze`` (the worker) writes one Recipient and one Delivery per person a
chunk at a time, in one transaction: a failure anywhere leaves the campaign a
draft with no half audience and a Dutch reason for the editor. The unique
constraints on (campaign, email) and (message, recipient) make a second launch
of the same campaign impossible rather than merely unlikely.

While it runs, the number of recipients frozen so far is kept in the cache
(a display value only: the campaign's status in the database decides). A
launch whose task got lost (worker or broker down) stays "starting", and the
beat's tick queues it again (``requeue_stuck_launches``).
"""

import logging
from datetime import timedelta
from functools import partial

from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone
from wagtail.log_actions import log

from campaigns import tokens
from campaigns.models import Campaign, Delivery, Message, Recipient

from . import dispatch, workers
from .audience import recipient_rows, summarise

logger = logging.getLogger(__name__)

Status = Campaign.Status
# The contact's columns a recipient is frozen from, in the order ``insert_recipients`` reads them.
CONTACT_FIELDS = ("pk", "email", "name", "organisation__name", "organisation__kind", "organisation__region")
RECIPIENT_COLUMNS = (
    "campaign_id", "contact_id", "email", "name", "organisation_name", "organisation_kind", "region", "token_nonce",
    *tokens.HASH_FIELDS.values(),
)
TOKEN_COLUMNS = tuple(tokens.HASH_FIELDS.values())
# Rows per INSERT statement: 1,000 rows of 10 values stay below SQLite's and PostgreSQL's parameter limits.
INSERT_ROWS = 1000
# 32 hex characters of 128 random bits, drawn by the database (PostgreSQL: a version-4 UUID, 122 of them).
RANDOM_KEY = {"postgresql": "replace(gen_random_uuid()::text, '-', '')", "sqlite": "lower(hex(randomblob(16)))"}
# A "starting" campaign whose freeze was queued this long ago and that no worker is freezing is queued again.
REQUEUE_AFTER = timedelta(minutes=2)
PROGRESS_SECONDS = 24 * 3600
FAILED = "Bij het vastleggen van de ontvangers ging iets mis; er is niets verstuurd. Probeer het opnieuw."


class CampaignStateError(Exception):
    """The action does not fit the campaign's current state; the message is Dutch, for the editor."""


def check_launchable(campaign):
    if not campaign.call_page.is_open:
        raise CampaignStateError("De oproep is gesloten; een campagne heeft dan geen zin meer.")
    if not campaign.call_page.live:
        raise CampaignStateError(
            "De oproep is nog niet gepubliceerd; publiceer hem eerst, anders werkt de link in de mail niet."
        )


def record_request(campaign, user):
    """Mark a draft "starting" (the caller's transaction); raise CampaignStateError when it may not start."""
    locked = Campaign.objects.select_for_update(of=("self",)).select_related("call_page").get(pk=campaign.pk)
    if locked.status == Status.STARTING:
        raise CampaignStateError("Deze campagne wordt al gestart.")
    if locked.status != Status.DRAFT:
        raise CampaignStateError("Deze campagne is al gestart.")
    check_launchable(locked)
    total = summarise(locked, sample_size=0).recipient_count
    if not total:
        raise CampaignStateError("Niemand in de doelgroep kan deze mail ontvangen.")
    locked.status = Status.STARTING
    locked.launched_by = user
    locked.launch_queued_at = timezone.now()
    locked.launch_error = ""
    locked.save(update_fields=["status", "launched_by", "launch_queued_at", "launch_error"])
    campaign.status = locked.status
    report_progress(locked.pk, 0, total)
    return total


def request_launch(campaign, user=None):
    """The admin's launch: record it and queue the freeze once committed; return the expected recipients.

    The campaign row is locked while the request is recorded, so a double
    click or a second tab finds it "starting" and queues nothing more. If the
    broker cannot take the task, the launch stays recorded for the beat.
    """
    with transaction.atomic():
        total = record_request(campaign, user)
        transaction.on_commit(partial(queue_freeze, campaign.pk), robust=True)
    return total


def launch(campaign, user=None):
    """Record and freeze at once, in this process (commands, the demo, tests); return the recipients queued."""
    with transaction.atomic():
        record_request(campaign, user)
    count = freeze(campaign.pk)
    if not count:
        raise CampaignStateError(Campaign.objects.get(pk=campaign.pk).launch_error or FAILED)
    campaign.status = Campaign.objects.get(pk=campaign.pk).status
    return count


def queue_freeze(campaign_id):
    workers.queue("campaigns.tasks.freeze_audience", campaign_id)


def freeze(campaign_id):
    """Freeze a "starting" campaign's audience and queue the invitation; return the recipients queued (0: none).

    A campaign that is not "starting" (already frozen, cancelled) or that
    another worker is freezing right now is left alone. Any failure rolls the
    whole freeze back and returns the campaign to draft, with the reason in
    ``launch_error``.
    """
    try:
        with transaction.atomic():
            campaign = (
                Campaign.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("call_page")
                .filter(pk=campaign_id, status=Status.STARTING)
                .first()
            )
            if campaign is None:
                return 0
            return freeze_locked(campaign)
    except CampaignStateError as error:
        return_to_draft(campaign_id, str(error))
    except Exception:
        logger.exception("Freezing the audience of campaign %s failed; it is a draft again", campaign_id)
        return_to_draft(campaign_id, FAILED)
    return 0


def freeze_locked(campaign):
    check_launchable(campaign)
    now = timezone.now()
    send_at = campaign.send_at if campaign.send_at and campaign.send_at > now else now
    invitation = Message.objects.create(
        campaign=campaign,
        kind=Message.Kind.INVITATION,
        sequence=0,
        subject=campaign.invitation_subject,
        body=campaign.invitation_body,
    )
    expected = read_progress(campaign.pk)
    total = expected["total"] if expected else None
    count = 0
    for rows in recipient_rows(campaign, CONTACT_FIELDS):
        count += insert_recipients(campaign, rows)
        report_progress(campaign.pk, count, max(total or 0, count))
    if not count:
        raise CampaignStateError("Niemand in de doelgroep kan deze mail ontvangen.")
    queue_for_every_recipient(invitation, send_at)
    campaign.status = Status.SCHEDULED if send_at > now else Status.SENDING
    campaign.launched_at = now
    campaign.save(update_fields=["status", "launched_at"])
    log(campaign, "campaigns.launch", user=campaign.launched_by, data={"recipients": count})
    dispatch.wake_workers()  # send tasks for the rows due now, straight away: no beat tick in between
    transaction.on_commit(partial(clear_progress, campaign.pk))
    return count


def insert_recipients(campaign, rows):
    """Insert one chunk of ``CONTACT_FIELDS`` rows as recipients; return how many.

    Plain rows rather than ``bulk_create``: building and preparing a model
    instance per row cost more than the database's work (most of 17 s at
    100,000). PostgreSQL takes them by COPY, SQLite (``make run``) by
    ``executemany``. The tokens are HMACs made here, as ``frozen_recipient`` makes them.
    """
    values = []
    for contact_id, email, name, organisation_name, organisation_kind, region in rows:
        nonce = tokens.new_nonce()
        hashes = tokens.token_hashes(campaign.pk, email, nonce)
        values.append(
            (campaign.pk, contact_id, email, name, organisation_name or "", organisation_kind or "", region or "", nonce)
            + tuple(hashes[column] for column in TOKEN_COLUMNS)
        )
    table = connection.ops.quote_name(Recipient._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(column) for column in RECIPIENT_COLUMNS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for recipient in values:
                    copy.write_row(recipient)
        else:
            placeholders = ", ".join(["%s"] * len(RECIPIENT_COLUMNS))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", values)
    return len(values)


def queue_for_every_recipient(message, due):
    """One queued delivery of ``message`` per recipient of its campaign, in one INSERT … SELECT.

    The database draws each Message-ID key (128 random bits, as ``new_message_id_key``).
    """
    quote = connection.ops.quote_name
    delivery, recipient = quote(Delivery._meta.db_table), quote(Recipient._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {delivery} (message_id, recipient_id, status, attempts, next_attempt_at, message_id_key, "
            f"error, claimed_by, provider_message_id, updated_at) "
            f"SELECT %s, id, %s, 0, %s, {RANDOM_KEY[connection.vendor]}, '', '', '', %s FROM {recipient} "
            f"WHERE campaign_id = %s",
            [
                message.pk,
                Delivery.Status.QUEUED,
                connection.ops.adapt_datetimefield_value(due),
                connection.ops.adapt_datetimefield_value(timezone.now()),
                message.campaign_id,
            ],
        )


def return_to_draft(campaign_id, reason):
    Campaign.objects.filter(pk=campaign_id, status=Status.STARTING).update(
        status=Status.DRAFT, launch_error=reason, launch_queued_at=None
    )
    clear_progress(campaign_id)


def requeue_stuck_launches(now=None):
    """Queue the freeze again for launches still "starting" well after it was queued; return how many.

    For the beat's tick: the worker was down or the broker lost the task. A
    campaign a worker is freezing right now holds its row lock and is skipped;
    a doubled task finds the campaign started and does nothing.
    """
    now = now or timezone.now()
    with transaction.atomic():
        stuck = list(
            Campaign.objects.select_for_update(skip_locked=True)
            .filter(status=Status.STARTING, launch_queued_at__lt=now - REQUEUE_AFTER)
            .values_list("pk", flat=True)
        )
        Campaign.objects.filter(pk__in=stuck).update(launch_queued_at=now)
        for pk in stuck:
            transaction.on_commit(partial(queue_freeze, pk), robust=True)
    return len(stuck)


def frozen_recipient(campaign, contact):
    """An unsaved recipient for ``contact``, with tokens as the launch makes them (previews, test mails)."""
    organisation = contact.organisation
    nonce = tokens.new_nonce()
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


def progress_key(campaign_id):
    return f"campaigns:launch-progress:{campaign_id}"


def report_progress(campaign_id, frozen, total):
    """A display value: a cache that is down must not stop the launch."""
    try:
        cache.set(progress_key(campaign_id), {"frozen": frozen, "total": total}, PROGRESS_SECONDS)
    except Exception:
        logger.warning("Could not record the launch progress of campaign %s", campaign_id, exc_info=True)


def read_progress(campaign_id):
    """``{"frozen": n, "total": m}`` of a launch under way, or None when unknown."""
    try:
        return cache.get(progress_key(campaign_id))
    except Exception:
        logger.warning("Could not read the launch progress of campaign %s", campaign_id, exc_info=True)
        return None


def clear_progress(campaign_id):
    try:
        cache.delete(progress_key(campaign_id))
    except Exception:
        logger.warning("Could not clear the launch progress of campaign %s", campaign_id, exc_info=True)
