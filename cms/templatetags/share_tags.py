"""OpenGraph and Twitter card tags, so that a shared article or call shows its title, intro and image."""

from urllib.parse import urljoin

from django import template
from wagtail.models import Site

register = template.Library()

SHARE_IMAGE_SPEC = "fill-1200x630"  # the 1.91:1 size Facebook, LinkedIn and X show large


def share_image(page):
    """The page's listing image, else the first image in its body; ``(image, alt text)`` or ``(None, "")``."""
    listing_image = getattr(page, "listing_image", None)
    if listing_image:
        return listing_image, ""
    for block in getattr(page, "body", None) or []:
        if block.block_type == "image" and block.value["image"]:
            image = block.value["image"]
            return image, "" if image.decorative else image.contextual_alt_text
    return None, ""


@register.inclusion_tag("components/share_meta.html", takes_context=True)
def share_meta(context, page, kind="website"):
    """Absolute URLs, the image's too, on the page's Wagtail site (its host name comes from ``SITE_URL``)."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    page_url = page.get_full_url(request)
    image, image_alt = share_image(page)
    rendition = image.get_rendition(SHARE_IMAGE_SPEC) if image else None
    return {
        "kind": kind,
        "title": page.seo_title or page.title,
        "description": page.summary,
        "url": page_url,
        "image": rendition,
        "image_url": urljoin(page_url, rendition.url) if rendition else "",
        "image_alt": image_alt,
        "site_name": (site and site.site_name) or "Zorg en Welzijn",
        "published": getattr(page, "date", None) if kind == "article" else None,
    }
