"""Subscribers and the topics they chose: one row per address, whatever the number of sign-ups."""

import secrets

from django.db import models

from campaigns.models import normalise_email


class Topic(models.Model):
    """A subject a subscriber can choose, e.g. "Zorg en welzijn"; each issue is sent to one or more topics."""

    name = models.CharField("naam", max_length=100, unique=True)
    slug = models.SlugField("korte naam", max_length=60, unique=True, help_text="Ook gebruikt in de List-Id van de mail.")
    description = models.CharField("omschrijving", max_length=300, blank=True)
    sort_order = models.PositiveSmallIntegerField("volgorde", default=0)
    active = models.BooleanField("zichtbaar op het aanmeldformulier", default=True)

    class Meta:
        verbose_name = "onderwerp"
        verbose_name_plural = "onderwerpen"
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


def new_nonce():
    return secrets.token_hex(16)


class Subscriber(models.Model):
    """A person who signed up, one row per (normalised) address.

    ``pending`` until a sign-up is confirmed: such an address is mailed
    nothing but its confirmation. ``token_nonce`` makes the personal link to
    the preference page (see ``newsletter.tokens``); changing it retires that link.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Wacht op bevestiging"
        CONFIRMED = "confirmed", "Aangemeld"
        UNSUBSCRIBED = "unsubscribed", "Afgemeld"

    email = models.EmailField("e-mailadres", unique=True)
    name = models.CharField("naam", max_length=200, blank=True)
    status = models.CharField("status", max_length=20, choices=Status.choices, default=Status.PENDING)
    topics = models.ManyToManyField(Topic, verbose_name="onderwerpen", blank=True, related_name="subscribers")
    token_nonce = models.CharField(max_length=32, default=new_nonce, editable=False)
    created_at = models.DateTimeField("aangemeld op", auto_now_add=True)
    confirmed_at = models.DateTimeField("bevestigd op", null=True, blank=True)
    unsubscribed_at = models.DateTimeField("afgemeld op", null=True, blank=True)
    updated_at = models.DateTimeField("gewijzigd", auto_now=True)

    class Meta:
        verbose_name = "abonnee"
        verbose_name_plural = "abonnees"
        ordering = ["email"]
        indexes = [models.Index(fields=["status", "created_at"], name="subscriber_status_idx")]

    def __str__(self):
        return self.email

    def save(self, *args, **kwargs):
        self.email = normalise_email(self.email)
        super().save(*args, **kwargs)
