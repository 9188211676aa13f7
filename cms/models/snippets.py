"""Snippets that editors reuse across pages: contact persons and personas."""

from django.db import models
from django.db.models import F
from wagtail.admin.panels import FieldPanel
from wagtail.search import index


class ContactPerson(index.Indexed, models.Model):
    name = models.CharField("naam", max_length=200)
    role = models.CharField("functie", max_length=200, blank=True)
    email = models.EmailField("e-mailadres")
    phone = models.CharField("telefoonnummer", max_length=40, blank=True)
    photo = models.ForeignKey(
        "wagtailimages.Image", verbose_name="foto", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    panels = [FieldPanel("name"), FieldPanel("role"), FieldPanel("email"), FieldPanel("phone"), FieldPanel("photo")]
    search_fields = [index.SearchField("name"), index.SearchField("role"), index.AutocompleteField("name")]

    class Meta:
        verbose_name = "contactpersoon"
        verbose_name_plural = "contactpersonen"
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.role})" if self.role else self.name


class Persona(index.Indexed, models.Model):
    """A portrait of a group of people with one condition, e.g. "Piet en Ria" (Parkinson).

    Networks use personas to start the conversation with the social domain;
    the PDF is the thing people come for, so downloads are counted.
    """

    name = models.CharField("naam", max_length=200, help_text="Bijvoorbeeld: Piet en Ria")
    condition = models.CharField(
        "aandoening of situatie", max_length=200, help_text="Bijvoorbeeld: Parkinson, COPD, mantelzorg"
    )
    summary = models.TextField("samenvatting", max_length=600)
    image = models.ForeignKey(
        "wagtailimages.Image", verbose_name="afbeelding", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    document = models.ForeignKey(
        "wagtaildocs.Document", verbose_name="PDF", on_delete=models.PROTECT, related_name="+"
    )
    download_count = models.PositiveIntegerField("aantal downloads", default=0, editable=False)

    panels = [
        FieldPanel("name"),
        FieldPanel("condition"),
        FieldPanel("summary"),
        FieldPanel("image"),
        FieldPanel("document"),
    ]
    search_fields = [
        index.SearchField("name"),
        index.SearchField("condition"),
        index.SearchField("summary"),
        index.AutocompleteField("name"),
    ]

    class Meta:
        verbose_name = "persona"
        verbose_name_plural = "persona's"
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.condition})"

    def record_download(self):
        """Count one download without a read-modify-write race."""
        type(self).objects.filter(pk=self.pk).update(download_count=F("download_count") + 1)
