"""Newsletter issues as Wagtail pages under one index: the public archive is the page tree itself."""

from csp.constants import NONE, SELF
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpResponse
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.search import index

from cms.models.base import BasePage
from newsletter.blocks import IssueBodyBlock

MAIL_PREVIEW_POLICY = {"default-src": [NONE], "style-src": ["'unsafe-inline'"], "img-src": [SELF, "data:"]}


class NewsletterIndexPage(BasePage):
    """The archive of sent issues, newest first, with the sign-up form."""

    max_count = 1
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["newsletter.NewsletterIssuePage"]

    class Meta:
        verbose_name = "nieuwsbriefarchief"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["issues"] = (
            NewsletterIssuePage.objects.child_of(self).live().public().order_by("-first_published_at")
        )
        return context


class NewsletterIssuePage(BasePage):
    """One issue: the web version is this page, the mail is rendered from the same blocks.

    ``intro`` (from BasePage) opens the issue in both.
    """

    subject = models.CharField("onderwerpregel", max_length=150, help_text="Zoals hij in de inbox staat.")
    preheader = models.CharField(
        "voorvertoningstekst",
        max_length=150,
        blank=True,
        help_text="De regel die mailprogramma's achter het onderwerp tonen.",
    )
    body = StreamField(IssueBodyBlock(), verbose_name="inhoud", blank=True)

    content_panels = BasePage.content_panels[:1] + [
        FieldPanel("subject"),
        FieldPanel("preheader"),
        FieldPanel("intro"),
        FieldPanel("body"),
    ]
    search_fields = BasePage.search_fields + [index.SearchField("subject"), index.SearchField("body")]
    parent_page_types = ["newsletter.NewsletterIndexPage"]
    subpage_types = []
    # Wagtail's preview panel (with its phone, tablet and desktop sizes) shows the web version or the mail.
    preview_modes = [("", "Webversie"), ("mail", "E-mail")]

    class Meta:
        verbose_name = "nieuwsbrief"
        verbose_name_plural = "nieuwsbrieven"

    def serve_preview(self, request, mode_name):
        if mode_name != "mail":
            return super().serve_preview(request, mode_name)
        from newsletter.services import rendering  # imports the models: not at module level

        content = rendering.prepare(self).for_recipient("", rendering.sample_links(self))
        response = HttpResponse(content.html)
        # The mail's inline styles and its images, nothing else (the site's policy allows no inline style).
        response._csp_config = MAIL_PREVIEW_POLICY
        return response

    # The sign-up, confirmation, preference and unsubscribe pages live at these addresses under /nieuwsbrief/.
    RESERVED_SLUGS = ("aanmelden", "bevestigen", "voorkeuren", "afmelden")

    def clean(self):
        super().clean()
        if self.slug in self.RESERVED_SLUGS:
            raise ValidationError(
                {"slug": f"De korte naam “{self.slug}” is al in gebruik voor een pagina van de nieuwsbrief; kies een andere."}
            )
