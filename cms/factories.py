"""factory_boy / wagtail-factories factories for our content.

Tests build their data with these, and ``seed_demo`` builds the demo site
with the same factories, so demo content and tests never drift apart.
"""

import io
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import factory
import wagtail_factories
import weasyprint
from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.text import slugify
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Collection, Locale, Page, Site
from wagtail.rich_text import RichText

from cms import models


def root_collection():
    return Collection.get_first_root_node()


PDF_STYLE = """
@page { size: A4; margin: 2.5cm 2cm; }
body { font-family: "DejaVu Sans", "Liberation Sans", sans-serif; font-size: 11pt; line-height: 1.5; color: #1f2933; }
h1 { font-size: 20pt; color: #0b4f5c; margin: 0 0 1em; }
"""


def pdf_body(lines):
    """Text lines as HTML: lines run on into one paragraph, a blank line ends it, "- " lines form a list."""
    blocks, paragraph, items = [], [], []

    def flush():
        if paragraph:
            blocks.append(format_html("<p>{}</p>", " ".join(paragraph)))
        if items:
            blocks.append(format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((item,) for item in items))))
        paragraph.clear()
        items.clear()

    for line in lines:
        if line.startswith("- "):
            if paragraph:
                flush()
            items.append(line[2:])
        elif line.strip():
            if items:
                flush()
            paragraph.append(line.strip())
        else:
            flush()
    flush()
    return format_html_join("", "{}", ((block,) for block in blocks))


def make_pdf(title, lines=()):
    """A tagged PDF/UA-1 document (WeasyPrint): selectable text, the title as document title, Dutch as its language."""
    html = format_html(
        '<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8"><title>{}</title></head><body><h1>{}</h1>{}</body></html>',
        title,
        title,
        pdf_body(lines),
    )
    return weasyprint.HTML(string=html).write_pdf(stylesheets=[weasyprint.CSS(string=PDF_STYLE)], pdf_variant="pdf/ua-1")


# DejaVu Sans (its licence allows shipping it, see LICENSE-DejaVu.txt): Pillow's own default font
# draws every letter with a diacritic, such as the é of "één", as a missing-glyph box.
LABEL_FONT = Path(__file__).resolve().parent / "demo" / "fonts" / "DejaVuSans-Bold.ttf"


def make_image(color="#2b6cb0", size=(1200, 675), label=""):
    """A simple PNG with a colour field and an optional label."""
    image = PILImage.new("RGB", size, color)
    draw = ImageDraw.Draw(image)
    draw.ellipse((size[0] * 0.6, size[1] * 0.2, size[0] * 0.95, size[1] * 0.85), fill="#ffffff33")
    if label:
        draw.text((40, size[1] - 80), label, fill="white", font=ImageFont.truetype(LABEL_FONT, 40))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


class ImageFactory(wagtail_factories.ImageFactory):
    title = factory.Sequence(lambda n: f"Afbeelding {n}")
    collection = factory.LazyFunction(root_collection)
    file = factory.LazyAttribute(lambda o: ContentFile(make_image(label=o.title), name=f"{slugify(o.title)}.png"))


class DocumentFactory(wagtail_factories.DocumentFactory):
    title = factory.Sequence(lambda n: f"Document {n}")
    collection = factory.LazyFunction(root_collection)
    file = factory.LazyAttribute(lambda o: ContentFile(make_pdf(o.title), name=f"{slugify(o.title)}.pdf"))


class ContactPersonFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Contactpersoon {n}")
    role = "Adviseur zorg en welzijn"
    email = factory.LazyAttribute(lambda o: f"{slugify(o.name)}@example.org")
    phone = factory.Sequence(lambda n: f"+31 30 000 {n % 100:02d} {n % 10}0")

    class Meta:
        model = models.ContactPerson


class PersonaFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Persona {n}")
    condition = "Parkinson"
    summary = "Een korte beschrijving van de situatie en de vragen die daarbij spelen."
    document = factory.SubFactory(DocumentFactory, title=factory.LazyAttribute(lambda o: f"Persona {o.factory_parent.name}"))

    class Meta:
        model = models.Persona


def paragraph(html):
    return ("paragraph", RichText(html))


class HomePageFactory(wagtail_factories.PageFactory):
    title = "Zorg en Welzijn"
    slug = "home"
    intro = "Samen werken aan kwaliteit van leven, thuis en in de wijk."

    class Meta:
        model = models.HomePage


class StandardPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Pagina {n}")
    body = factory.LazyFunction(lambda: [paragraph("<p>Tekst van deze pagina.</p>")])

    class Meta:
        model = models.StandardPage


class ArticleIndexPageFactory(wagtail_factories.PageFactory):
    title = "Artikelen"
    slug = "artikelen"

    class Meta:
        model = models.ArticleIndexPage


class ArticlePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Artikel {n}")
    intro = "Een artikel over de samenwerking tussen zorg en welzijn."
    date = factory.LazyFunction(lambda: timezone.localdate())
    body = factory.LazyFunction(lambda: [paragraph("<p>De tekst van het artikel.</p>")])

    class Meta:
        model = models.ArticlePage
        skip_postgeneration_save = True

    @factory.post_generation
    def tags(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.tags.add(*extracted)
            obj.save_revision().publish()


class CallIndexPageFactory(wagtail_factories.PageFactory):
    title = "Oproepen"
    slug = "oproepen"

    class Meta:
        model = models.CallIndexPage


class CallFormFieldFactory(factory.django.DjangoModelFactory):
    label = factory.Sequence(lambda n: f"Vraag {n}")
    field_type = "singleline"
    required = True

    class Meta:
        model = models.CallFormField


# The fields most calls ask: who answers, for which organisation, and the initiative.
STANDARD_FORM_FIELDS = [
    {"label": "Naam", "field_type": "singleline", "required": True},
    {"label": "E-mailadres", "field_type": "email", "required": True},
    {"label": "Organisatie", "field_type": "singleline", "required": True},
    {
        "label": "Soort organisatie",
        "field_type": "dropdown",
        "required": True,
        "choices": "Netwerk palliatieve zorg\nGemeente\nWelzijnsorganisatie\nZorgaanbieder\nAnders",
    },
    {"label": "Beschrijving van het initiatief", "field_type": "multiline", "required": True},
    {"label": "Startdatum", "field_type": "date", "required": False, "help_text": "Bijvoorbeeld 1-3-2027."},
]


class CallForInputPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Oproep {n}")
    intro = "We zoeken goede voorbeelden van samenwerking tussen zorg en welzijn."
    deadline = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))
    body = factory.LazyFunction(lambda: [paragraph("<p>Vertel ons over uw initiatief.</p>")])

    class Meta:
        model = models.CallForInputPage
        skip_postgeneration_save = True

    @factory.post_generation
    def form_fields(obj, create, extracted, **kwargs):
        if not create:
            return
        for order, spec in enumerate(STANDARD_FORM_FIELDS if extracted is None else extracted):
            CallFormFieldFactory(page=obj, sort_order=order, **spec)


def ensure_wagtail_roots():
    """The rows Wagtail's migrations create: the default locale, root page and root collection.

    Transactional tests flush every table, these rows included; later tests get them back here.
    """
    locale, _ = Locale.objects.get_or_create(language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE))
    if not Collection.objects.exists():
        Collection.add_root(name="Root")
    if not Page.objects.filter(depth=1).exists():
        Page.add_root(title="Root", slug="root", locale=locale)


def site_address():
    """Host name and port of ``SITE_URL``, so that page links (sitemap, previews) match the mails' links."""
    url = urlsplit(settings.SITE_URL)
    return url.hostname or "localhost", url.port or (443 if url.scheme == "https" else 80)


def build_site_tree():
    """Home page (as the default site's root) with the article and call indexes.

    Replaces Wagtail's "Welcome" page. Returns ``(home, article_index, call_index)``.
    """
    ensure_wagtail_roots()
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    home = models.HomePage.objects.first()
    if home is None:
        home = HomePageFactory(parent=Page.get_first_root_node(), slug="home-nl")
    old_root = site.root_page if site else None
    hostname, port = site_address()
    if site is None:
        site = Site.objects.create(
            hostname=hostname, port=port, root_page=home, is_default_site=True, site_name="Zorg en Welzijn"
        )
    elif (site.root_page_id, site.hostname, site.port) != (home.pk, hostname, port):
        site.root_page = home
        site.hostname, site.port = hostname, port
        site.site_name = "Zorg en Welzijn"
        site.save()
    if old_root and old_root.pk != home.pk and old_root.specific_class is Page and old_root.depth == 2:
        old_root.delete()
    articles = models.ArticleIndexPage.objects.child_of(home).first() or ArticleIndexPageFactory(parent=home)
    calls = models.CallIndexPage.objects.child_of(home).first() or CallIndexPageFactory(parent=home)
    return home, articles, calls
