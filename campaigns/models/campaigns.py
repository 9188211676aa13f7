"""A campaign invites a frozen audience to answer a call, then reminds those who have not.

A campaign of kind "newsletter" carries one newsletter issue through the same
ledger (``newsletter.IssueMailing`` holds the issue, revision and topics): it
has no call page, no reminders and its recipients are subscribers.
"""

from django.conf import settings
from django.db import models


class Campaign(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Concept"
        # Launched by the editor; a worker is freezing the audience (campaigns.services.launch).
        STARTING = "starting", "Bezig met starten"
        SCHEDULED = "scheduled", "Ingepland"
        SENDING = "sending", "Bezig met versturen"
        PAUSED = "paused", "Gepauzeerd"
        SENT = "sent", "Verstuurd"
        CANCELLED = "cancelled", "Geannuleerd"

    class Kind(models.TextChoices):
        CALL = "call", "Oproep"
        NEWSLETTER = "newsletter", "Nieuwsbrief"

    kind = models.CharField("soort", max_length=20, choices=Kind.choices, default=Kind.CALL)
    call_page = models.ForeignKey(
        "cms.CallForInputPage",
        verbose_name="oproep",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="campaigns",
    )
    name = models.CharField("naam", max_length=200)
    status = models.CharField("status", max_length=20, choices=Status.choices, default=Status.DRAFT)

    # Audience: contacts matching every filter that is set, plus the chosen contacts.
    organisation_kinds = models.JSONField("soorten organisatie", default=list, blank=True)
    regions = models.JSONField("regio's", default=list, blank=True)
    tags = models.JSONField("labels", default=list, blank=True)
    chosen_contacts = models.ManyToManyField(
        "campaigns.Contact", verbose_name="gekozen contacten", blank=True, related_name="+"
    )

    sender_name = models.CharField("naam afzender", max_length=100, default="Zorg en Welzijn")
    reply_to = models.EmailField("antwoordadres", blank=True)
    invitation_subject = models.CharField("onderwerp uitnodiging", max_length=200)
    invitation_body = models.TextField(
        "tekst uitnodiging",
        help_text="Plaatshouders: {naam}, {organisatie}, {link}, {deadline}.",
    )
    reminder_subject = models.CharField("onderwerp herinnering", max_length=200, blank=True)
    reminder_body = models.TextField("tekst herinnering", blank=True, help_text="Zelfde plaatshouders als de uitnodiging.")

    send_at = models.DateTimeField("versturen op", null=True, blank=True, help_text="Leeg: direct bij het starten.")
    reminder_days_before = models.JSONField(
        "herinneringen (dagen voor de sluitingsdatum)", default=list, blank=True, help_text="Bijvoorbeeld [14, 3]."
    )
    max_reminders = models.PositiveSmallIntegerField("maximaal aantal herinneringen", default=2)
    min_days_between = models.PositiveSmallIntegerField("minimaal aantal dagen tussen mails", default=3)
    rate_per_minute = models.PositiveIntegerField(
        "maximaal aantal mails per minuut", null=True, blank=True, help_text="Leeg: zo snel als de mailserver toelaat."
    )

    created_at = models.DateTimeField("aangemaakt", auto_now_add=True)
    launched_at = models.DateTimeField("gestart op", null=True, blank=True)
    launched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="gestart door", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # When the freeze task was last queued: the beat queues it again when a launch stays "starting".
    launch_queued_at = models.DateTimeField("starten aangevraagd", null=True, blank=True)
    # Why the last launch failed (Dutch, for the editor); the campaign went back to draft.
    launch_error = models.TextField("starten mislukt", blank=True)

    class Meta:
        verbose_name = "campagne"
        verbose_name_plural = "campagnes"
        ordering = ["-created_at"]
        permissions = [("launch_campaign", "Mag mailings versturen")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="newsletter") | models.Q(call_page__isnull=False), name="campaign_call_has_page"
            )
        ]

    def __str__(self):
        return self.name


class Message(models.Model):
    """One mailing of a campaign: the invitation (sequence 0) or a reminder (1, 2, ...)."""

    class Kind(models.TextChoices):
        INVITATION = "invitation", "Uitnodiging"
        REMINDER = "reminder", "Herinnering"
        NEWSLETTER = "newsletter", "Nieuwsbrief"

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    sequence = models.PositiveSmallIntegerField()
    subject = models.CharField(max_length=200)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "mailing"
        verbose_name_plural = "mailings"
        ordering = ["campaign", "sequence"]
        constraints = [models.UniqueConstraint(fields=["campaign", "sequence"], name="message_unique_sequence")]

    def __str__(self):
        return f"{self.campaign}: {self.get_kind_display()} {self.sequence or ''}".strip()


class Recipient(models.Model):
    """A contact as frozen into a campaign at launch, with their personal link.

    Name and organisation are copied so that results stay readable after a
    contact is edited or deleted. Only hashes of the tokens of the personal
    and the unsubscribe link are stored (see ``campaigns.tokens``).
    """

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="recipients")
    contact = models.ForeignKey("campaigns.Contact", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    subscriber = models.ForeignKey(
        "newsletter.Subscriber", null=True, blank=True, on_delete=models.SET_NULL, related_name="recipients"
    )
    email = models.EmailField()
    name = models.CharField(max_length=200)
    organisation_name = models.CharField(max_length=200, blank=True)
    organisation_kind = models.CharField(max_length=20, blank=True)
    region = models.CharField(max_length=20, blank=True)
    token_nonce = models.CharField(max_length=32)
    # Unique by constraints in Meta, not ``unique=True``: on PostgreSQL that adds a second
    # (LIKE) index per field, which no lookup uses and every launch pays for per row.
    token_hash = models.CharField(max_length=64)
    unsubscribe_token_hash = models.CharField(max_length=64)
    response = models.OneToOneField(
        "cms.CallResponse", null=True, blank=True, on_delete=models.SET_NULL, related_name="recipient"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "ontvanger"
        verbose_name_plural = "ontvangers"
        constraints = [
            models.UniqueConstraint(fields=["campaign", "email"], name="recipient_unique_email"),
            models.UniqueConstraint(fields=["token_hash"], name="recipient_unique_token_hash"),
            models.UniqueConstraint(fields=["unsubscribe_token_hash"], name="recipient_unique_unsubscribe_hash"),
        ]
        indexes = [models.Index(fields=["campaign", "answered_at"], name="recipient_answered_idx")]

    def __str__(self):
        return f"{self.name} <{self.email}>"
