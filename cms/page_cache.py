"""The page cache: anonymous visitors get public pages from Django's cache (Redis in production).

What is stored. Only a GET of a view that asks for it (every Wagtail page without
a view restriction, through the ``before_serve_page`` hook; the search and the
feeds, through ``cacheable``), from a request without a session cookie
(``cms.csrf.without_session``: no editor, no preview, no page password), answered
200 without ``Set-Cookie``, without ``Cache-Control: private/no-cache/no-store``
and varying on nothing but ``Accept-Language`` (the site has one language). A
response that read the session (``Vary: Cookie``) or set the CSRF cookie is
therefore never stored. Personal-link pages (``/reageren/<token>/``), the
newsletter's confirmation and preference pages and every POST never ask for it.

The key. Host, scheme, path with query, and the colour theme from the visitor's
``kleuren`` cookie (``cms.themes``), the one cookie that changes a public page;
every other cookie is ignored.

Invalidation. Every key carries a generation number kept in the cache; purging
means a new generation, so every page is rendered afresh on its next visit (the
old entries expire unread). Purged on: a page published, unpublished, moved,
renamed, saved or deleted (Wagtail's signals, also from ``publish_scheduled``, and
Django's), and a save or delete of what public pages show besides pages (``PURGING_MODELS``: the
snippets, images, documents, sites, view restrictions, themes (tags), the
newsletter's topics and consent texts). An entry also expires after
``PAGE_CACHE_SECONDS``, and never outlives the next deadline of an open call, so
that a call closes on time on every page that lists it.

The CSP header is set by ``cms.middleware`` outside this middleware, on every
response, cached or not; the policy uses no nonce, so nothing per-response is
ever stored in a page.

The same generation keys what pages compute for every visitor alike: the private
sections (``restricted_paths``, for ``PublicPageQuerySet`` and view restrictions),
the header's section links (``cms.templatetags.navigation``), an article's related
pages (``per_generation``) and the request's site (``cms.site_memo``), so an
uncached page costs fewer queries too.

wagtail-cache (3.0, the well-kept package) supports Wagtail
up to 7.0, purges all or named URLs only, and knows nothing of the theme cookie:
hence this small module.
"""

import logging
import uuid
from contextvars import ContextVar
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import cc_delim_re
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from redis.exceptions import RedisError

from cms.csrf import without_session
from cms.themes import chosen_theme

logger = logging.getLogger(__name__)

GENERATION_KEY = "page-cache:generation"
HIT_HEADER = "X-Page-Cache"
ALLOWED_VARY = {"accept-language"}
# How long what every page computes alike (the sign-up form, see cms.templatetags.public_forms) is kept per generation.
DATA_SECONDS = 3600
REFUSING_CACHE_CONTROL = {"private", "no-cache", "no-store"}
# django-csp reads these from a response to change its policy: a restored copy would lose them.
CSP_ATTRIBUTES = ("_csp_config", "_csp_update", "_csp_replace", "_csp_exempt")
PURGING_MODELS = {
    "cms.contactperson",
    "cms.persona",
    "newsletter.consenttext",
    "newsletter.topic",
    "taggit.tag",
    "wagtailcore.collectionviewrestriction",
    "wagtailcore.pageviewrestriction",
    "wagtailcore.site",
    "wagtaildocs.document",
    "wagtailimages.image",
}


# What the Redis and file caches raise when their server or disk fails: the page is then served uncached.
CACHE_ERRORS = (RedisError, OSError)


# The generation read at the start of the current request: querysets and template tags have no request.
_request_generation = ContextVar("page_cache_generation", default=None)
# (generation, {key: value}) of what pages compute alike for every visitor (``per_generation``), per process.
_computed = (None, {})


def enabled():
    return settings.PAGE_CACHE_SECONDS > 0


def generation(request=None):
    """The current generation, read once per request."""
    if request is not None and hasattr(request, "_page_cache_generation"):
        return request._page_cache_generation
    value = _request_generation.get() if request is None else None
    if value is not None:
        return value
    value = cache.get(GENERATION_KEY)
    if value is None:
        value = uuid.uuid4().hex
        if not cache.add(GENERATION_KEY, value, timeout=None):
            value = cache.get(GENERATION_KEY, value)
    if request is not None:
        request._page_cache_generation = value
    return value


def purge(**kwargs):
    """Every cached page is stale from now on. Also a signal receiver: a cache outage must not stop a publish."""
    value = uuid.uuid4().hex
    if _request_generation.get() is not None:
        _request_generation.set(value)
    try:
        cache.set(GENERATION_KEY, value, timeout=None)
    except CACHE_ERRORS:
        logger.error("Page cache unreachable: pages cached before this change stay until they expire", exc_info=True)


def restricted_paths():
    """Tree paths of the pages with a view restriction (private sections), read once per generation and process."""
    from wagtail.models import PageViewRestriction

    return per_generation(
        "restricted-paths", lambda: tuple(PageViewRestriction.objects.values_list("page__path", flat=True))
    )


def per_generation(key, compute):
    """``compute()``, kept in this process until the next generation (a publish, a move, a snippet saved).

    For what pages show every visitor alike and cost queries to find (the
    private sections, the section links, an article's related pages, the
    request's site); ``key`` names it. Never for a preview: its content is not
    what the generation stands for. A value computed while a purge started a
    new generation is kept with the old one.
    """
    global _computed
    try:
        current = generation()
    except CACHE_ERRORS:
        return compute()
    if _computed[0] != current:
        _computed = (current, {})
    kept = _computed[1]
    if key not in kept:
        kept[key] = compute()
    return kept[key]


def allow(request):
    """The view's response to this request may be stored (if the rest of the rules agree)."""
    request._page_cache_allowed = True


def cacheable(view):
    """Decorator for a public view whose GET answer is the same for every anonymous visitor."""

    def wrapped(request, *args, **kwargs):
        allow(request)
        return view(request, *args, **kwargs)

    wrapped.__name__ = getattr(view, "__name__", "cacheable_view")
    wrapped.__doc__ = view.__doc__
    return wrapped


def cache_key(request):
    scheme = "https" if request.is_secure() else "http"
    return f"page-cache:{generation(request)}:{chosen_theme(request)}:{scheme}://{request.get_host()}{request.get_full_path()}"


def storable(request, response):
    if not getattr(request, "_page_cache_allowed", False) or getattr(request, "is_preview", False):
        return False
    if request.method != "GET" or response.status_code != 200 or response.streaming or response.cookies:
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    if any(hasattr(response, name) for name in CSP_ATTRIBUTES):
        return False
    vary = {header.strip().lower() for header in cc_delim_re.split(response.get("Vary", "")) if header.strip()}
    cache_control = {part.split("=")[0].strip().lower() for part in response.get("Cache-Control", "").split(",")}
    return vary <= ALLOWED_VARY and not cache_control & REFUSING_CACHE_CONTROL


def next_deadline_seconds(request):
    """Seconds until the next open call closes (cached per generation), or None."""
    from cms.models import CallForInputPage

    key = f"page-cache:{generation(request)}:next-deadline"
    deadline = cache.get(key)
    now = timezone.now()
    if deadline is None or (deadline and deadline <= now):
        deadline = (
            CallForInputPage.objects.live().filter(deadline__gt=now).order_by("deadline").values_list("deadline", flat=True).first()
        ) or ""
        cache.set(key, deadline, timeout=settings.PAGE_CACHE_SECONDS)
    return max(1, int((deadline - now) / timedelta(seconds=1))) if deadline else None


def store(request, response):
    timeout = settings.PAGE_CACHE_SECONDS
    seconds_left = next_deadline_seconds(request)
    if seconds_left is not None:
        timeout = min(timeout, seconds_left)
    headers = [(name, value) for name, value in response.items() if name.lower() != HIT_HEADER.lower()]
    cache.set(cache_key(request), (response.status_code, headers, response.content), timeout=timeout)


def restore(entry):
    status, headers, content = entry
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    response[HIT_HEADER] = "hit"
    return response


class PageCacheMiddleware:
    """Answers from the cache before sessions, CSRF and the view run; stores what ``storable`` allows.

    Sits inside the security, CSP and Permissions-Policy middleware, which add
    their headers to cached answers as to fresh ones.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            current = generation(request)
        except CACHE_ERRORS:
            logger.warning("Page cache unreachable; serving %s uncached", request.path, exc_info=True)
            return self.get_response(request)
        token = _request_generation.set(current)
        try:
            return self.respond(request)
        finally:
            _request_generation.reset(token)

    def respond(self, request):
        if not enabled() or request.method not in ("GET", "HEAD") or not without_session(request):
            return self.get_response(request)
        try:
            entry = cache.get(cache_key(request))
        except CACHE_ERRORS:
            logger.warning("Page cache unreachable; serving %s uncached", request.path, exc_info=True)
            return self.get_response(request)
        if entry is not None:
            return restore(entry)
        response = self.get_response(request)
        if storable(request, response):
            try:
                store(request, response)
            except CACHE_ERRORS:
                logger.warning("Page cache unreachable; %s not stored", request.path, exc_info=True)
            else:
                response[HIT_HEADER] = "miss"
        return response


def purge_on_model_change(sender, **kwargs):
    """Any page saved (a draft too: cheap, editors save rarely) or deleted, or one of ``PURGING_MODELS``."""
    from wagtail.models import Page

    if issubclass(sender, Page) or sender._meta.label_lower in PURGING_MODELS:
        purge()


def connect_signals():
    for signal in (page_published, page_unpublished, post_page_move, page_slug_changed):
        signal.connect(purge, dispatch_uid=f"page-cache-purge-{id(signal)}")
    post_save.connect(purge_on_model_change, dispatch_uid="page-cache-purge-model-save")
    post_delete.connect(purge_on_model_change, dispatch_uid="page-cache-purge-model-delete")
