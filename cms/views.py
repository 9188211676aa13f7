"""Public views that are not Wagtail pages."""

import re

from django.conf import settings
from django.http import HttpResponsePermanentRedirect, HttpResponseRedirect, HttpResponseServerError
from django.shortcuts import get_object_or_404, render
from django.template import loader
from django.templatetags.static import static
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_http_methods, require_safe
from cms.models import Persona
from cms.models.base import pages
from cms.pagination import paginate
from cms.themes import THEME_COOKIE, THEME_COOKIE_MAX_AGE, THEME_NAMES

SEARCH_PAGE_SIZE = 10


@require_safe
def persona_download(request, pk):
    """Count a download of the persona's PDF, then hand over the file (a HEAD only looks)."""
    persona = get_object_or_404(Persona.objects.select_related("document"), pk=pk)
    if request.method == "GET":
        persona.record_download()
    return HttpResponseRedirect(persona.document.url)


def search_terms(query):
    """The words of a query: quotes break SQLite's full-text syntax and NUL bytes PostgreSQL."""
    return " ".join(re.findall(r"\w+", query))


@require_safe
def search(request):
    query = request.GET.get("q", "").replace("\x00", "").strip()[:200]
    terms = search_terms(query)
    results = pages().live().public().specific().search(terms) if terms else pages().none()
    return render(request, "cms/search.html", {"query": query, "results": paginate(request, results, SEARCH_PAGE_SIZE)})


def same_site_path(request, url):
    """``url`` if it stays on this site, else the home page: the theme picker is no open redirect."""
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return url
    return "/"


@require_http_methods(["GET", "HEAD", "POST"])
def choose_theme(request):
    """The footer's theme picker posts here: store the choice in a cookie and go back to the page it came from."""
    next_url = same_site_path(request, request.POST.get("next") or request.GET.get("next", ""))
    context = {"next": next_url}
    if request.method == "POST":
        chosen = request.POST.get("kleuren", "")
        if chosen in THEME_NAMES:
            response = HttpResponseRedirect(next_url)
            response.set_cookie(
                THEME_COOKIE,
                chosen,
                max_age=THEME_COOKIE_MAX_AGE,
                secure=request.is_secure(),
                httponly=True,
                samesite="Lax",
            )
            return response
        context["error"] = "Kies een van de kleuren hieronder."
        return render(request, "cms/theme_page.html", context, status=400)
    return render(request, "cms/theme_page.html", context)


@require_safe
@cache_control(max_age=3600, public=True)
def robots_txt(request):
    return render(
        request, "robots.txt", {"sitemap_url": f"{settings.SITE_URL}/sitemap.xml"}, content_type="text/plain; charset=utf-8"
    )


@require_safe
def favicon(request):
    """Browsers and feed readers ask for /favicon.ico without reading the page's <link rel="icon">."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))


def csrf_failure(request, reason=""):
    """A missing or stale CSRF token: a Dutch explanation instead of Django's English page."""
    return render(request, "403_csrf.html", status=403)


# Django's own error views re-run the CSRF check, which reads the request body
# again; for a body Django cannot decode (a form posted as UTF-16, say) that
# raises once more and ends in a bare 500. These views read nothing of the
# request body.


def bad_request(request, exception):
    """A request Django cannot read (undecodable or too large a form): a Dutch explanation."""
    return render(request, "400.html", status=400)


def permission_denied(request, exception):
    return render(request, "403.html", status=403)


def server_error(request):
    """Django's ``server_error`` without the CSRF check: 500.html stands alone and needs no context."""
    return HttpResponseServerError(loader.get_template("500.html").render())
