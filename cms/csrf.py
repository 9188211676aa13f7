"""CSRF protection without a cookie for visitors who have no session, so that public pages can be cached.

Why. Django's CSRF token lives in a ``csrftoken`` cookie that ``{% csrf_token %}``
sets on the first page holding a form. Every public page holds one (the footer's
colour picker; home, articles and calls the newsletter sign-up; a call its answer
form), so every anonymous visit got a ``Set-Cookie`` and a per-visitor token in
the HTML: no page could be shared from a cache. Django's docs on caching say as
much: a page using the token varies on the cookie and is cached per visitor.

What a token protects. A CSRF token proves that a POST comes from a page of the
site and not from a form on another site that the visitor's browser submits with
the visitor's cookies. A visitor without a session has no standing the forged post
could borrow: the public forms (answer a call, sign up for the newsletter, pick
colours) do the same whoever posts them, and anyone may post them directly. What
remains to stop is another site making visitors' browsers post for it, and
browsers say where a post comes from, in headers no page can set:

- ``Sec-Fetch-Site`` (all current browsers): must be ``same-origin``;
- else ``Origin`` (sent with every POST since 2020): must be the site's own origin
  or one in ``CSRF_TRUSTED_ORIGINS``, the same test Django's middleware applies;
- else ``Referer`` (``Referrer-Policy: same-origin`` sends it to ourselves): must
  be on the site's own origin.

A post with none of them is refused (Dutch 403 page, ``CSRF_FAILURE_VIEW``). This
is the check Go's ``net/http.CrossOriginProtection`` makes, stricter on a missing
header. A signed form token that every visitor shares for a cache period would
add nothing: another site could fetch the page and read it.

Where the token stays. A request that carries a session cookie (an editor, a
visitor who entered a page password) gets Django's full check, and the pages it
sees (never cached, see ``cms.page_cache``) carry the token: ``{% form_token %}``
(``cms.templatetags.public_forms``) writes it exactly then. The admin always uses
Django's check. A visitor who logs in between loading a cached page and posting
its form gets the CSRF page and posts again after reloading.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.middleware.csrf import CsrfViewMiddleware as DjangoCsrfViewMiddleware
from django.utils.deprecation import MiddlewareMixin

SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")
REASON_CROSS_ORIGIN = "Cross-origin post without a session."


def without_session(request):
    """True for a visitor whose request may be answered from, and stored in, the shared page cache."""
    return settings.SESSION_COOKIE_NAME not in request.COOKIES and not request.path_info.startswith(
        settings.CSP_WAGTAIL_ADMIN_PREFIX
    )


class SessionlessPostMiddleware(MiddlewareMixin):
    """Checks a post without a session by where the browser says it comes from, before Django's CSRF middleware.

    An accepted post is marked ``csrf_processing_done``, Django's own sign that the
    check was made, so its middleware (next in ``MIDDLEWARE``) lets it through; every
    other request, and every post with a session, gets Django's token check there.
    """

    def __init__(self, get_response):
        super().__init__(get_response)
        self.django_csrf = DjangoCsrfViewMiddleware(get_response)

    def process_view(self, request, callback, callback_args, callback_kwargs):
        if (
            request.method in SAFE_METHODS
            or getattr(callback, "csrf_exempt", False)
            or getattr(request, "_dont_enforce_csrf_checks", False)
            or not without_session(request)
        ):
            return None
        if self._same_origin(request):
            request.csrf_processing_done = True
            return None
        return self.django_csrf._reject(request, REASON_CROSS_ORIGIN)

    def _same_origin(self, request):
        fetch_site = request.META.get("HTTP_SEC_FETCH_SITE")
        if fetch_site is not None and fetch_site != "same-origin":
            return False
        if "HTTP_ORIGIN" in request.META:
            return self.django_csrf._origin_verified(request)
        if fetch_site == "same-origin":
            return True
        referer = request.META.get("HTTP_REFERER")
        if not referer:
            return False
        try:
            parts = urlsplit(referer)
        except ValueError:
            return False
        scheme = "https" if request.is_secure() else "http"
        return parts.scheme == scheme and parts.netloc == request.get_host()
