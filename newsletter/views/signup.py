"""``/nieuwsbrief/aanmelden/``: the sign-up page, and where the compact form on other pages posts to.

Whatever the address (new, pending, subscribed, unsubscribed or blocked),
a valid post gets the same "check your mailbox" page: the page never tells
who subscribes. Posts are rate limited per client like the call form.
"""

from django.conf import settings
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods
from django_ratelimit.core import is_ratelimited
from wagtail.models import Page

from campaigns.views.privacy import keep_private
from cms.client_ip import client_ip
from newsletter.forms import SignupForm
from newsletter.models import ConsentRecord, ConsentText
from newsletter.services.subscriptions import sign_up


def current_consent_text():
    return ConsentText.objects.select_related("privacy_page").order_by("-version").first()


@require_http_methods(["GET", "HEAD", "POST"])
def signup(request):
    consent_text = current_consent_text()
    if request.method != "POST":
        return render_form(request, SignupForm(consent_text=consent_text), consent_text)
    form = SignupForm(request.POST, consent_text=consent_text)
    limited = is_ratelimited(
        request, group="newsletter-signup", key="ip", rate=settings.FORM_RATE_LIMIT, method="POST", increment=True
    )
    if limited:
        # Shown again as typed, so nothing is lost.
        form.is_valid()
        return render_form(request, form, consent_text, rate_limited=True, status=429)
    if not form.is_valid():
        return render_form(request, form, consent_text)
    data = form.cleaned_data
    page, page_url = origin(request, data)
    sign_up(
        data["email"],
        name=data["name"].strip(),
        topics=data["topics"],
        source=data["source"],
        page=page,
        page_url=page_url,
        ip_address=client_ip(request) or None,
        consent_text=data["consent_text"],
    )
    context = {"email": data["email"], "days": settings.NEWSLETTER_CONFIRMATION_DAYS}
    return keep_private(render(request, "newsletter/public/check_mailbox.html", context))


def origin(request, data):
    """The page the visitor signed up on: the compact form's page, or this sign-up page."""
    if data["source"] == ConsentRecord.Source.COMPACT_FORM and data.get("page_id"):
        page = Page.objects.live().public().filter(pk=data["page_id"]).first()
        if page is not None:
            return page, page.get_full_url(request) or ""
    return None, f"{settings.SITE_URL}{reverse('newsletter:signup')}"


def render_form(request, form, consent_text, status=200, **extra):
    context = {"form": form, "consent_text": consent_text, **extra}
    response = render(request, "newsletter/public/signup.html", context, status=status)
    # A posted form shows the address typed: never kept by a shared cache.
    return keep_private(response) if form.is_bound else response
