"""Template tags for the site navigation."""

from django import template
from wagtail.models import Page

from cms.models import ArticleIndexPage, CallIndexPage

register = template.Library()


@register.simple_tag(takes_context=True)
def section_urls(context):
    """URLs of the article and call indexes, found by page type (in one query) so editors may rename their slugs."""
    request = context.get("request")
    sections = Page.objects.live().public().type(ArticleIndexPage, CallIndexPage).select_related("content_type")
    urls = {"articles": "", "calls": ""}
    for page in sections:
        key = "articles" if page.content_type.model_class() is ArticleIndexPage else "calls"
        urls[key] = urls[key] or page.get_url(request)
    return urls
