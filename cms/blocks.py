"""StreamField blocks for article and call bodies."""

from django.core.exceptions import ValidationError
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock, EmbedValue
from wagtail.embeds.finders import get_finders
from wagtail.images.blocks import ImageBlock


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label="Tekst", max_length=200)
    level = blocks.ChoiceBlock(
        label="Niveau",
        choices=[("h2", "Kop 2"), ("h3", "Kop 3"), ("h4", "Kop 4")],
        default="h2",
        search_index=False,
    )

    class Meta:
        icon = "title"
        label = "Tussenkop"
        template = "components/blocks/heading.html"


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(label="Citaat")
    attribution = blocks.CharBlock(label="Bron of naam", required=False, max_length=200)

    class Meta:
        icon = "openquote"
        label = "Citaat"
        template = "components/blocks/quote.html"


class DutchImageBlock(ImageBlock):
    """Wagtail's image block; Wagtail gives its chooser no label, so the editor would read the field's name, "Image"."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.child_blocks["image"].label = "Afbeelding"


class CaptionedImageBlock(blocks.StructBlock):
    """An image with alt text (or marked decorative) and an optional caption."""

    image = DutchImageBlock(label="Afbeelding")
    caption = blocks.CharBlock(label="Onderschrift", required=False, max_length=300)

    class Meta:
        icon = "image"
        label = "Afbeelding"
        template = "components/blocks/image.html"


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label="Document")
    title = blocks.CharBlock(label="Linktekst", required=False, help_text="Leeg: de titel van het document.")

    class Meta:
        icon = "doc-full"
        label = "Document om te downloaden"
        template = "components/blocks/document.html"


class VideoEmbedBlock(EmbedBlock):
    """A video link that saves even when its provider cannot be reached right now.

    Wagtail's EmbedBlock refuses the page whenever fetching the embed fails. Here only a link
    no provider handles is refused; an unreachable provider leaves the URL stored, the page
    shows a plain link until the embed can be fetched, and the editor is warned after saving
    (``cms.wagtail_hooks``).
    """

    def clean(self, value):
        if isinstance(value, EmbedValue) and not any(finder.accept(value.url) for finder in get_finders()):
            raise ValidationError("Dit is geen link naar een video van een bekende dienst, zoals YouTube of Vimeo.")
        return blocks.URLBlock.clean(self, value)


def unreachable_videos(stream_value):
    """The URLs of the video blocks in a body whose embed cannot be fetched now."""
    return [
        block.value["video"].url
        for block in stream_value
        if block.block_type == "video" and block.value["video"] and not block.value["video"].html
    ]


class VideoBlock(blocks.StructBlock):
    video = VideoEmbedBlock(label="Video-URL", help_text="Bijvoorbeeld een YouTube- of Vimeo-link.")
    caption = blocks.CharBlock(label="Beschrijving", required=False, max_length=300)

    class Meta:
        icon = "media"
        label = "Video"
        template = "components/blocks/video.html"


class CallToActionBlock(blocks.StructBlock):
    text = blocks.CharBlock(label="Knoptekst", max_length=100)
    page = blocks.PageChooserBlock(label="Pagina", required=False)
    url = blocks.URLBlock(label="Of externe link", required=False)

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("page")) == bool(value.get("url")):
            raise blocks.StructBlockValidationError(
                block_errors={"url": ValidationError("Kies een pagina óf vul een externe link in.")}
            )
        return value

    class Meta:
        icon = "link"
        label = "Oproep tot actie (knop)"
        template = "components/blocks/call_to_action.html"


class BodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label="Tekst",
        features=["bold", "italic", "link", "document-link", "ol", "ul"],
        template="components/blocks/paragraph.html",
    )
    quote = QuoteBlock()
    image = CaptionedImageBlock()
    document = DocumentBlock()
    video = VideoBlock()
    call_to_action = CallToActionBlock()
