"""Template tags for the site navigation."""

from django import template

from cms import page_cache
from cms.models import ArticleIndexPage, CallIndexPage
from cms.models.base import pages

register = template.Library()

# (generation, site id) -> the section URLs, in this process; a publish, move or rename makes a new generation.
_known = {}


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
    """The section URLs, looked up once per generation and site."""
    request = context.get("request")
    try:
        key = (page_cache.generation(), getattr(context.get("current_site"), "pk", None))
    except page_cache.CACHE_ERRORS:
        return find_section_urls(request)
    if key not in _known:
        _known.clear()
        _known[key] = find_section_urls(request)
    return _known[key]


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
