"""``/nieuwsbrief/afmelden/<token>/``: leave the newsletter, from the link or the header of an issue.

The token is the campaign recipient's unsubscribe token, so the entry on the
suppression list names the mailing that caused it. A GET only shows a
button (mail scanners follow links). A POST unsubscribes at once, also the
RFC 8058 one-click POST a mail client sends: no cookie, no CSRF token, any
body (never read), no redirect, 200 every time.
"""

from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from campaigns.models import Campaign, Suppression
from campaigns.tokens import UNSUBSCRIBE, find_recipient
from newsletter.links import SAMPLE
from newsletter.models import Subscriber
from newsletter.services.subscriptions import unsubscribe_recipient

from .common import private, unknown_link, well_formed


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    if token == SAMPLE:
        return private(request, "unsubscribe_sample.html", {"posted": request.method == "POST"})
    recipient = find_recipient(token, UNSUBSCRIBE) if well_formed(token) else None
    if recipient is None or recipient.campaign.kind != Campaign.Kind.NEWSLETTER:
        return unknown_link(request)
    if request.method == "POST":
        unsubscribe_recipient(recipient)
        return private(request, "unsubscribed.html", {"email": recipient.email})
    context = {"email": recipient.email, "already": already_unsubscribed(recipient), "form_action": request.path}
    return private(request, "unsubscribe_confirm.html", context)


def already_unsubscribed(recipient):
    subscriber = recipient.subscriber
    if subscriber is not None and subscriber.status == Subscriber.Status.UNSUBSCRIBED:
        return True
    return Suppression.objects.blocking(Suppression.Scope.NEWSLETTER).for_addresses([recipient.email]).exists()
