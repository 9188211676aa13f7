"""The delivery ledger: one row per (message, recipient) with an explicit state."""

import secrets

from django.db import models


def new_message_id_key():
    """128 random bits as hex: unguessable, and no count of campaigns or recipients shows through."""
    return secrets.token_hex(16)


class Delivery(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "In de wachtrij"
        SENDING = "sending", "Wordt verstuurd"
        SENT = "sent", "Verstuurd"
        DELIVERED = "delivered", "Afgeleverd"
        OPENED = "opened", "Geopend"
        CLICKED = "clicked", "Geklikt"
        BOUNCED = "bounced", "Gebounced"
        COMPLAINED = "complained", "Klacht"
        FAILED = "failed", "Mislukt"
        SKIPPED = "skipped", "Overgeslagen"

    # Not indexed on its own: the unique (message, recipient) constraint and the
    # claim index both start with it.
    message = models.ForeignKey(
        "campaigns.Message", on_delete=models.CASCADE, related_name="deliveries", db_index=False
    )
    recipient = models.ForeignKey("campaigns.Recipient", on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    # When a worker last claimed the row: the per-campaign rate limit counts these.
    claimed_at = models.DateTimeField(null=True, blank=True)
    # Which worker process holds (or last held) the claim, "<celery node>:<pid>":
    # ``manage.py reclaim_deliveries --worker`` takes back the rows of a dead one.
    claimed_by = models.CharField(max_length=200, blank=True)
    # Set when an expired lease was taken back: the worker died mid-send, so
    # the provider may have accepted the mail already (the one open window).
    reclaimed_at = models.DateTimeField(null=True, blank=True)
    # Indexed and unique in Meta (plain B-tree indexes): ``db_index``/``unique`` would add a
    # LIKE index on PostgreSQL that no lookup uses and every launch pays for per row.
    provider_message_id = models.CharField(max_length=200, blank=True)
    # The local part of the Message-ID every attempt of this delivery carries
    # (``rendering.delivery_message_id``): over SMTP the ESP's events find the row by it.
    message_id_key = models.CharField(max_length=32, default=new_message_id_key, editable=False)
    error = models.TextField(blank=True, help_text="Why it failed or was skipped.")
    sent_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "verzending"
        verbose_name_plural = "verzendingen"
        constraints = [
            models.UniqueConstraint(fields=["message", "recipient"], name="delivery_unique_message_recipient"),
            models.UniqueConstraint(fields=["message_id_key"], name="delivery_unique_message_id_key"),
        ]
        indexes = [
            models.Index(fields=["provider_message_id"], name="delivery_provider_id_idx"),
            models.Index(fields=["status", "next_attempt_at"], name="delivery_due_idx"),
            # A claim reads one message's first due rows in order: an index range scan,
            # however many rows the ledger holds (``sending.claimable_message``).
            models.Index(fields=["message", "status", "next_attempt_at", "id"], name="delivery_message_due_idx"),
            models.Index(fields=["status", "lease_expires_at"], name="delivery_lease_idx"),
        ]

    def __str__(self):
        return f"{self.message} -> {self.recipient.email}: {self.status}"


class TrackingEvent(models.Model):
    """An ESP webhook event, stored once per event id so a replay changes nothing."""

    event_id = models.CharField(max_length=200, unique=True)
    esp = models.CharField(max_length=40)
    event_type = models.CharField(max_length=40)
    delivery = models.ForeignKey(Delivery, null=True, blank=True, on_delete=models.SET_NULL, related_name="events")
    email = models.EmailField(blank=True)
    occurred_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)
    payload = models.JSONField(default=dict)

    class Meta:
        verbose_name = "trackinggebeurtenis"
        verbose_name_plural = "trackinggebeurtenissen"
