"""Organisations and the people in them whom campaigns invite."""

from django.db import models
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase


class Organisation(models.Model):
    class Kind(models.TextChoices):
        NETWORK = "netwerk", "Netwerk palliatieve zorg"
        MUNICIPALITY = "gemeente", "Gemeente"
        WELFARE = "welzijn", "Welzijnsorganisatie"
        CARE_PROVIDER = "zorgaanbieder", "Zorgaanbieder"
        OTHER = "anders", "Anders"

    class Region(models.TextChoices):
        GRONINGEN = "groningen", "Groningen"
        FRIESLAND = "friesland", "Friesland"
        DRENTHE = "drenthe", "Drenthe"
        OVERIJSSEL = "overijssel", "Overijssel"
        FLEVOLAND = "flevoland", "Flevoland"
        GELDERLAND = "gelderland", "Gelderland"
        UTRECHT = "utrecht", "Utrecht"
        NOORD_HOLLAND = "noord-holland", "Noord-Holland"
        ZUID_HOLLAND = "zuid-holland", "Zuid-Holland"
        ZEELAND = "zeeland", "Zeeland"
        NOORD_BRABANT = "noord-brabant", "Noord-Brabant"
        LIMBURG = "limburg", "Limburg"
        NATIONAL = "landelijk", "Landelijk"

    name = models.CharField("naam", max_length=200, unique=True)
    kind = models.CharField("soort", max_length=20, choices=Kind.choices, default=Kind.OTHER)
    region = models.CharField("provincie of regio", max_length=20, choices=Region.choices, blank=True)

    class Meta:
        verbose_name = "organisatie"
        verbose_name_plural = "organisaties"
        ordering = ["name"]

    def __str__(self):
        return self.name


class ContactTag(TaggedItemBase):
    content_object = models.ForeignKey("campaigns.Contact", on_delete=models.CASCADE, related_name="tagged_items")


class Contact(models.Model):
    name = models.CharField("naam", max_length=200)
    email = models.EmailField("e-mailadres", unique=True, null=True, blank=True)
    organisation = models.ForeignKey(
        Organisation, verbose_name="organisatie", null=True, blank=True, on_delete=models.SET_NULL, related_name="contacts"
    )
    role = models.CharField("functie", max_length=200, blank=True)
    active = models.BooleanField("actief", default=True)
    language = models.CharField("voorkeurstaal", max_length=5, choices=[("nl", "Nederlands"), ("en", "Engels")], default="nl")
    tags = TaggableManager(through=ContactTag, blank=True, verbose_name="labels")
    created_at = models.DateTimeField("aangemaakt", auto_now_add=True)
    updated_at = models.DateTimeField("gewijzigd", auto_now=True)

    class Meta:
        verbose_name = "persoon"
        verbose_name_plural = "personen"
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} <{self.email}>" if self.email else self.name

    def save(self, *args, **kwargs):
        self.email = normalise_email(self.email) or None
        super().save(*args, **kwargs)


def normalise_email(address):
    """One spelling per address, so suppression and uniqueness hold across imports."""
    return (address or "").strip().lower()
