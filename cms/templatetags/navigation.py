"""Template tags for the site navigation."""

from django import template

from cms.models import ArticleIndexPage, CallIndexPage

register = template.Library()


@register.simple_tag(takes_context=True)
def section_url(context, section):
    """URL of the site's article or call index, found by page type so editors may rename its slug."""
    model = {"articles": ArticleIndexPage, "calls": CallIndexPage}[section]
    request = context.get("request")
    page = model.objects.live().public().only("id", "url_path", "path", "depth").first()
    return page.get_url(request) if page else ""
