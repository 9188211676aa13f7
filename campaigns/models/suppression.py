"""Addresses no mailing may reach again, kept by address so they survive deleting and re-importing a contact."""

from django.db import models

from .contacts import normalise_email


class SuppressionQuerySet(models.QuerySet):
    def blocking(self, scope):
        """Entries that stop a mailing of ``scope`` ("campaigns" or "newsletter")."""
        return self.filter(scope__in=[Suppression.Scope.ALL, scope])


class Suppression(models.Model):
    class Reason(models.TextChoices):
        HARD_BOUNCE = "hard_bounce", "Onbestelbaar (harde bounce)"
        COMPLAINT = "complaint", "Klacht (als spam gemeld)"
        UNSUBSCRIBED = "unsubscribed", "Afgemeld"
        MANUAL = "manual", "Handmatig geblokkeerd"

    class Scope(models.TextChoices):
        ALL = "all", "Alle mailings"
        CAMPAIGNS = "campaigns", "Campagnemailings"
        NEWSLETTER = "newsletter", "Nieuwsbrief"

    email = models.EmailField("e-mailadres")
    scope = models.CharField("geldt voor", max_length=20, choices=Scope.choices, default=Scope.ALL)
    reason = models.CharField("reden", max_length=20, choices=Reason.choices)
    detail = models.CharField("toelichting", max_length=500, blank=True)
    created_at = models.DateTimeField("sinds", auto_now_add=True)

    objects = SuppressionQuerySet.as_manager()

    class Meta:
        verbose_name = "geblokkeerd adres"
        verbose_name_plural = "geblokkeerde adressen"
        constraints = [models.UniqueConstraint(fields=["email", "scope"], name="suppression_unique_email_scope")]

    def __str__(self):
        return f"{self.email} ({self.get_reason_display()})"

    def save(self, *args, **kwargs):
        self.email = normalise_email(self.email)
        super().save(*args, **kwargs)
