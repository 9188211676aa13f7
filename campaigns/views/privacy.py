"""What every page behind a personal link shares: private caching, no referrer, one page for a bad link."""

from django.shortcuts import render


def keep_private(response):
    """Never cached by a shared cache, never sent as a referrer to another site, never indexed."""
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex"
    return response


def unknown_link(request):
    """Unknown and tampered tokens look the same: a 404 that says nothing about anyone."""
    return keep_private(render(request, "campaigns/public/link_unknown.html", status=404))
