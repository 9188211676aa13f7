"""Good examples ("goede voorbeelden"): initiatives from the field, often taken from an answer to a call."""

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import urlencode
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import PageManager
from wagtail.search import index

from cms.blocks import BodyBlock
from cms.pagination import paginate

from .base import BasePage, PublicPageQuerySet


class ExampleIndexPage(BasePage):
    """Lists the published good examples, newest first."""

    subpage_types = ["cms.ExamplePage"]
    parent_page_types = ["cms.HomePage"]
    max_count = 1
    page_size = 12

    class Meta:
        verbose_name = "overzicht goede voorbeelden"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        examples = ExamplePage.objects.child_of(self).live().public().order_by("-first_published_at", "-pk")
        page_obj = paginate(request, examples, self.page_size)
        context.update(examples=page_obj.object_list, page_obj=page_obj)
        return context


class SourceResponsePanel(FieldPanel):
    """The answer an example comes from, by date and call, with a link to that day's answers; never its data."""

    def format_value_for_display(self, value):
        if value is None:
            return "Niet gemaakt van een reactie"
        day = timezone.localdate(value.submit_time).isoformat()
        url = reverse("wagtailforms:list_submissions", args=[value.page_id]) + "?" + urlencode(
            {"date_from": day, "date_to": day}
        )
        return format_html('{} (<a href="{}">bekijk de reacties van die dag</a>)', value, url)


class ExamplePage(BasePage):
    """One initiative, told by (or on behalf of) the organisation behind it."""

    body = StreamField(BodyBlock(), verbose_name="inhoud", blank=True)
    organisation_name = models.CharField("organisatie", max_length=200, blank=True)
    region = models.CharField("regio", max_length=100, blank=True, help_text="Bijvoorbeeld een provincie.")
    source_response = models.ForeignKey(
        "cms.CallResponse",
        verbose_name="gebaseerd op reactie",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="example_pages",
        help_text="De reactie op een oproep waar dit voorbeeld uit komt.",
    )

    objects = PageManager.from_queryset(PublicPageQuerySet)()

    content_panels = BasePage.content_panels + [
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("organisation_name"), FieldPanel("region")]), SourceResponsePanel("source_response", read_only=True)],
            heading="Over dit voorbeeld",
        ),
        FieldPanel("body"),
    ]
    search_fields = BasePage.search_fields + [
        index.SearchField("body"),
        index.SearchField("organisation_name"),
        index.FilterField("region"),
    ]
    parent_page_types = ["cms.ExampleIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = "goed voorbeeld"
        verbose_name_plural = "goede voorbeelden"
