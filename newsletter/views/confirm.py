"""``/nieuwsbrief/bevestigen/<token>/``: the link in the confirmation mail.

Mail scanners and link checkers open GET links, so a GET only shows the
button; the POST of that button confirms. An expired link offers a new one
(a POST too, within the same mail limits as a sign-up).
"""

from django.conf import settings
from django.views.decorators.http import require_http_methods

from cms.client_ip import client_ip
from newsletter import links
from newsletter.services import subscriptions
from newsletter.tokens import find_consent_record

from .common import private, unknown_link, well_formed


@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token):
    record = find_consent_record(token) if well_formed(token) else None
    if record is None:
        return unknown_link(request)
    if record.confirmed_at:
        return confirmed(request, record)
    if subscriptions.is_expired(record):
        if request.method != "POST":
            return private(request, "confirm_expired.html")
        sent = subscriptions.renew(record)
        context = {"sent": sent, "minutes": settings.NEWSLETTER_RESEND_MINUTES, "days": settings.NEWSLETTER_CONFIRMATION_DAYS}
        return private(request, "confirm_renewed.html", context)
    if request.method != "POST":
        return private(request, "confirm.html", {"record": record, "topics": record.topic_names})
    return confirmed(request, subscriptions.confirm(record, client_ip(request) or None))


def confirmed(request, record):
    subscriber = record.subscriber
    context = {
        "topics": [topic.name for topic in subscriber.topics.all()],
        "preferences_link": links.preferences_link(subscriber),
    }
    return private(request, "confirmed.html", context)
