"""Pieces every page family shares."""

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.models import Orderable, Page
from wagtail.search import index


class BasePage(Page):
    """Abstract base of our content pages: an intro that doubles as the search snippet."""

    intro = models.TextField("inleiding", blank=True, help_text="Eén of twee zinnen; ook gebruikt in overzichten.")

    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro")]

    class Meta:
        abstract = True

    @property
    def summary(self):
        return self.intro or self.search_description


class PersonaLink(Orderable):
    """A persona shown as a download on a page; concrete subclasses add the ParentalKey."""

    persona = models.ForeignKey("cms.Persona", verbose_name="persona", on_delete=models.CASCADE, related_name="+")

    panels = [FieldPanel("persona")]

    class Meta(Orderable.Meta):
        abstract = True
        verbose_name = "persona"
        verbose_name_plural = "persona's"
