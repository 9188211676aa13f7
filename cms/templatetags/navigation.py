"""Template tags for the site navigation."""

from django import template

from cms import page_cache
from cms.models import ArticleIndexPage, CallIndexPage
from cms.models.base import pages

register = template.Library()


def find_section_urls(request):
    """URLs of the article and call indexes, found by page type (in one query) so editors may rename their slugs."""
    sections = pages().live().public().type(ArticleIndexPage, CallIndexPage).select_related("content_type")
    urls = {"articles": "", "calls": ""}
    for page in sections:
        key = "articles" if page.content_type.model_class() is ArticleIndexPage else "calls"
        urls[key] = urls[key] or page.get_url(request)
    return urls


@register.simple_tag(takes_context=True)
def section_urls(context):
    """The section URLs, looked up once per generation and site (a publish, move or rename makes a new one)."""
    request = context.get("request")
    site_id = getattr(context.get("current_site"), "pk", None)
    return page_cache.per_generation(("section-urls", site_id), lambda: find_section_urls(request))


@register.simple_tag
def breadcrumb_ancestors(page):
    """The page's ancestors below the tree's root, from the parents routing already fetched where it did."""
    ancestors = []
    current = page
    while current.depth > 2 and hasattr(current, "_cached_parent_obj"):
        current = current.get_parent()
        ancestors.insert(0, current)
    if current.depth > 2:
        return [ancestor for ancestor in page.get_ancestors() if not ancestor.is_root()]
    return ancestors
