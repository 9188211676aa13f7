"""Public views that are not Wagtail pages."""

import re

from django.conf import settings
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from wagtail.models import Page

from cms.models import Persona
from cms.pagination import paginate

SEARCH_PAGE_SIZE = 10


@require_GET
def persona_download(request, pk):
    """Count a download of the persona's PDF, then hand over the file."""
    persona = get_object_or_404(Persona.objects.select_related("document"), pk=pk)
    persona.record_download()
    return HttpResponseRedirect(persona.document.url)


def search_terms(query):
    """The words of a query: quotes break SQLite's full-text syntax and NUL bytes PostgreSQL."""
    return " ".join(re.findall(r"\w+", query))


@require_GET
def search(request):
    query = request.GET.get("q", "").replace("\x00", "").strip()[:200]
    terms = search_terms(query)
    results = Page.objects.live().public().specific().search(terms) if terms else Page.objects.none()
    return render(request, "cms/search.html", {"query": query, "results": paginate(request, results, SEARCH_PAGE_SIZE)})


@require_GET
@cache_control(max_age=3600, public=True)
def robots_txt(request):
    return render(
        request, "robots.txt", {"sitemap_url": f"{settings.SITE_URL}/sitemap.xml"}, content_type="text/plain; charset=utf-8"
    )


def csrf_failure(request, reason=""):
    """A missing or stale CSRF token: a Dutch explanation instead of Django's English page."""
    return render(request, "403_csrf.html", status=403)
