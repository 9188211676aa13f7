"""anymail's tracking webhooks, guarded so that no post makes them answer 500.

anymail itself answers 400 to a wrong or missing basic-auth secret, but accepts
anyone while ``ANYMAIL["WEBHOOK_SECRET"]`` is empty, and answers 500 to a body
it cannot parse (bad JSON, a list where an object belongs). Here an empty
secret refuses every post and an unreadable body is a logged 400.
"""

import functools
import logging

from anymail import urls as anymail_urls
from anymail.exceptions import AnymailConfigurationError
from django.conf import settings
from django.http import HttpResponseBadRequest
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

logger = logging.getLogger(__name__)

# What anymail's parsers raise on a body that is not what the ESP sends
# (RecursionError: JSON nested thousands deep; OverflowError: a timestamp out of range).
MALFORMED_PAYLOAD_ERRORS = (
    ValueError,
    KeyError,
    TypeError,
    AttributeError,
    IndexError,
    RecursionError,
    OverflowError,
    AnymailConfigurationError,
)


def guarded(view):
    @csrf_exempt
    @functools.wraps(view)
    def guarded_view(request, *args, **kwargs):
        if not settings.ANYMAIL.get("WEBHOOK_SECRET"):
            logger.error("Refused a tracking webhook post: ANYMAIL_WEBHOOK_SECRET is not set")
            return HttpResponseBadRequest("Webhook not configured.")
        try:
            return view(request, *args, **kwargs)
        except MALFORMED_PAYLOAD_ERRORS as error:
            logger.warning("Refused a tracking webhook post to %s: %s: %s", request.path, type(error).__name__, error)
            return HttpResponseBadRequest("Malformed webhook payload.")

    return guarded_view


def tracking_webhook_patterns():
    """anymail's tracking URLs (``postmark/tracking/``, ``mailgun/tracking/``, ...), each view guarded."""
    return [
        path(str(pattern.pattern), guarded(pattern.callback), name=pattern.name)
        for pattern in anymail_urls.urlpatterns
        if pattern.name.endswith("tracking_webhook")
    ]
