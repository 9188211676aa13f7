"""Addresses no mailing may reach again, kept by address so they survive deleting and re-importing a contact.

Every entry carries a keyed hash of its address, and lookups go by that hash:
after an erasure request the address itself is blanked and only the hash
stays, so the next import still cannot mail the person (see ``address_hash``).
"""

import hashlib
import hmac

from django.conf import settings
from django.db import models

from .contacts import normalise_email


def address_hash(email):
    """HMAC-SHA256 of the normalised address under ``SUPPRESSION_HASH_KEY``.

    A key of its own, not ``SECRET_KEY``: rotating the secret key must not let
    an erased address through again. Changing this key does exactly that.
    """
    key = settings.SUPPRESSION_HASH_KEY.encode()
    return hmac.new(key, normalise_email(email).encode(), hashlib.sha256).hexdigest()


class SuppressionQuerySet(models.QuerySet):
    def blocking(self, scope):
        """Entries that stop a mailing of ``scope`` ("campaigns" or "newsletter")."""
        return self.filter(scope__in=[Suppression.Scope.ALL, scope])

    def for_addresses(self, emails):
        return self.filter(email_hash__in=[address_hash(email) for email in emails])

    def blocked_addresses(self, emails):
        """The addresses among ``emails`` (normalised) that these entries block."""
        by_hash = {address_hash(email): normalise_email(email) for email in emails}
        return {by_hash[h] for h in self.filter(email_hash__in=list(by_hash)).values_list("email_hash", flat=True)}


class Suppression(models.Model):
    class Reason(models.TextChoices):
        HARD_BOUNCE = "hard_bounce", "Onbestelbaar (harde bounce)"
        COMPLAINT = "complaint", "Klacht (als spam gemeld)"
        UNSUBSCRIBED = "unsubscribed", "Afgemeld"
        MANUAL = "manual", "Handmatig geblokkeerd"
        ERASED = "erased", "Gegevens gewist op verzoek"

    class Scope(models.TextChoices):
        ALL = "all", "Alle mailings"
        CAMPAIGNS = "campaigns", "Campagnemailings"
        NEWSLETTER = "newsletter", "Nieuwsbrief"

    # Blank once the person's data was erased: then only ``email_hash`` is kept.
    email = models.EmailField("e-mailadres", blank=True)
    email_hash = models.CharField(max_length=64, editable=False)
    scope = models.CharField("geldt voor", max_length=20, choices=Scope.choices, default=Scope.ALL)
    reason = models.CharField("reden", max_length=20, choices=Reason.choices)
    detail = models.CharField("toelichting", max_length=500, blank=True)
    # The webhook event, SMTP reply or request that caused the entry, as received: to check a false positive.
    event = models.JSONField("oorspronkelijke melding", default=dict, blank=True)
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        verbose_name="veroorzaakt door",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="suppressions",
    )
    created_at = models.DateTimeField("sinds", auto_now_add=True)

    objects = SuppressionQuerySet.as_manager()

    class Meta:
        verbose_name = "geblokkeerd adres"
        verbose_name_plural = "geblokkeerde adressen"
        constraints = [models.UniqueConstraint(fields=["email_hash", "scope"], name="suppression_unique_hash_scope")]

    def __str__(self):
        return f"{self.email or 'gewist adres'} ({self.get_reason_display()})"

    def save(self, *args, **kwargs):
        self.email = normalise_email(self.email)
        if self.email:
            self.email_hash = address_hash(self.email)
        super().save(*args, **kwargs)
