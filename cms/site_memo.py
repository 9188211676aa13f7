"""The Wagtail site of a page request from a memo per process, renewed with the page cache's generation.

For every page Wagtail looks the site up (one query with a CASE per kind of
hostname match), then loads its root page and that page's specific row. Sites
change rarely, and saving or deleting one starts a new page-cache generation
(``cms.page_cache.PURGING_MODELS``), so each process keeps what
``Site.find_for_request`` found per host and port for the current generation
(``page_cache.per_generation``), and a page request loads only its specific
home page, in one query. Each
request gets Site and page objects of its own: nothing is shared between
requests but field values. The sites' root paths, which every page URL is made
from (``Site.get_site_root_paths``, a Redis read per request), come from the
same memo.
"""

from django.http.request import split_domain_port
from wagtail.models import Site
from wagtail.views import serve

from cms import page_cache

FIELDS = ("id", "hostname", "port", "site_name", "root_page_id", "is_default_site")


def found_site(request):
    """What ``Site.find_for_request`` finds for this request, kept per generation.

    None: no site, or one to look up as Wagtail does.
    """
    key = ("site", split_domain_port(request._get_raw_host())[0], request.get_port())
    return page_cache.per_generation(key, lambda: site_values(request))


def site_values(request):
    """The found site's field values and its root page's model, or None."""
    site = Site._find_for_request(request)
    root_model = site.root_page.specific_class if site else None
    return ({name: getattr(site, name) for name in FIELDS}, root_model) if root_model else None


def site_for(request):
    """A Site of this request's own with its specific root page (one query), or None."""
    found = found_site(request)
    if found is None:
        return None
    values, root_model = found
    site = Site(**values)
    site.root_page = root_model.objects.filter(pk=values["root_page_id"]).first()
    return site if site.root_page else None


class SiteMemoMiddleware:
    """Gives Wagtail's page view the request's site from ``site_for``; without one, Wagtail looks it up."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if view_func is serve and not hasattr(request, "_wagtail_site"):
            site = site_for(request)
            if site is not None:
                request._wagtail_site = site
            request._wagtail_cached_site_root_paths = page_cache.per_generation(
                ("site-root-paths",), Site.get_site_root_paths
            )
