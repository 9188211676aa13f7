"""``/afmelden/<token>/``: no more campaign mailings to this address.

A GET only shows a confirm button, because mail scanners follow links. A POST
unsubscribes, also the RFC 8058 one-click POST that a mail client sends
(``List-Unsubscribe=One-Click``, no cookies, no CSRF token, no redirect).
"""

from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from campaigns.models import Campaign, Suppression
from campaigns.services.suppression import is_suppressed, suppress
from campaigns.tokens import SAMPLE, UNSUBSCRIBE, find_recipient

from .privacy import keep_private, unknown_link


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    if token == SAMPLE:
        return keep_private(render(request, "campaigns/public/unsubscribe_sample.html"))
    recipient = find_recipient(token, UNSUBSCRIBE)
    # A newsletter mail carries the newsletter's own unsubscribe link, never this one.
    if recipient is None or recipient.campaign.kind != Campaign.Kind.CALL:
        return unknown_link(request)
    if request.method == "POST":
        suppress(
            recipient.email,
            Suppression.Scope.CAMPAIGNS,
            Suppression.Reason.UNSUBSCRIBED,
            detail=f"Afgemeld via de link in “{recipient.campaign}”",
        )
        return keep_private(render(request, "campaigns/public/unsubscribe_done.html", {"email": recipient.email}))
    context = {
        "email": recipient.email,
        "already": is_suppressed(recipient.email, Suppression.Scope.CAMPAIGNS),
        "form_action": request.path,
    }
    return keep_private(render(request, "campaigns/public/unsubscribe_confirm.html", context))
