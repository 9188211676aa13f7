"""The sections of a newsletter issue: each renders once for the web version and once for the mail.

Mail clients need table layout and inline styles, so every block has a web
template (``newsletter/blocks/``) and the mail renderer has its own templates
for the same blocks (``mail/newsletter/``); the plain-text part is
built from the same block values, never from the HTML.
"""

from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

from cms.models import CallForInputPage


class IssueImageBlock(blocks.StructBlock):
    """An image whose alt text the editor must write: a mail without it reads as "image" in a screen reader."""

    image = ImageChooserBlock(label="Afbeelding")
    alt_text = blocks.CharBlock(
        label="Alternatieve tekst", max_length=250, help_text="Wat staat er op de afbeelding? Verplicht."
    )
    caption = blocks.CharBlock(label="Onderschrift", required=False, max_length=300)

    class Meta:
        icon = "image"
        label = "Afbeelding"
        template = "newsletter/blocks/image.html"


class CallToActionBlock(blocks.StructBlock):
    text = blocks.CharBlock(label="Knoptekst", max_length=80)
    page = blocks.PageChooserBlock(label="Pagina op de site", required=False)
    url = blocks.URLBlock(label="Of een adres", required=False)

    class Meta:
        icon = "link"
        label = "Knop"
        template = "newsletter/blocks/call_to_action.html"


class PageTeaserBlock(blocks.StructBlock):
    """An article or call for input: its title, intro and image (a call also with its deadline)."""

    page = blocks.PageChooserBlock(label="Artikel of oproep", page_type=["cms.ArticlePage", "cms.CallForInputPage"])

    class Meta:
        icon = "doc-full"
        label = "Artikel of oproep"
        template = "newsletter/blocks/page_teaser.html"

    def get_context(self, value, parent_context=None):
        """The chosen page as its own type (a call shows its deadline), and only while it is published."""
        context = super().get_context(value, parent_context)
        page = value["page"]
        context["teaser"] = page.specific if page is not None and page.live else None
        context["is_call"] = isinstance(context["teaser"], CallForInputPage)
        return context


class PersonaTeaserBlock(blocks.StructBlock):
    persona = SnippetChooserBlock("cms.Persona", label="Persona")

    class Meta:
        icon = "group"
        label = "Persona"
        template = "newsletter/blocks/persona_teaser.html"


class IssueBodyBlock(blocks.StreamBlock):
    text = blocks.RichTextBlock(
        label="Tekst",
        features=["h2", "h3", "bold", "italic", "link", "ol", "ul"],
        template="newsletter/blocks/text.html",
    )
    image = IssueImageBlock()
    call_to_action = CallToActionBlock()
    page_teaser = PageTeaserBlock()
    persona_teaser = PersonaTeaserBlock()
