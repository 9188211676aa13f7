"""anymail's tracking webhooks, guarded: parsing the ESP's post is kept apart from our handling of its events.

anymail itself answers 400 to a wrong or missing basic-auth secret or
signature, but accepts anyone while ``ANYMAIL["WEBHOOK_SECRET"]`` is empty,
and answers 500 to a body it cannot parse. Here:

- an empty secret refuses every post;
- a body anymail cannot parse, or one that holds no event of that ESP, is a
  logged 400 and stores nothing (the sender's mistake: no traceback);
- a configuration error (a missing signing key, an inbound route pointed at
  the tracking URL) is logged as an error and answered 503;
- an error in our own handling of an event is logged with its traceback and
  answered 503: the ESP keeps the event and posts it again, and a replay of
  the events already stored changes nothing.
"""

import functools
import logging

from anymail import urls as anymail_urls
from anymail.exceptions import AnymailConfigurationError
from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

logger = logging.getLogger(__name__)

# What anymail's validators and parsers raise on a body that is not what the ESP sends
# (RecursionError: JSON nested thousands deep; OverflowError: a timestamp out of range).
MALFORMED_PAYLOAD_ERRORS = (ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError, OverflowError)
RETRY_LATER = "Could not record the event now; please post it again later."


def unavailable():
    return HttpResponse(RETRY_LATER, status=503, content_type="text/plain; charset=utf-8")


def is_esp_event(event):
    """An event of the ESP names the message, the recipient or itself; anymail makes one of anything."""
    return bool(event.message_id or event.recipient or event.event_id)


class GuardedTrackingWebhook:
    """Mixed in before one ESP's anymail tracking view: its ``post``, with parsing and handling apart."""

    def post(self, request, *args, **kwargs):
        try:
            # A validator that fails raises AnymailWebhookValidationFailure, which Django answers 400.
            self.run_validators(request)
            events = list(self.parse_events(request))
        except MALFORMED_PAYLOAD_ERRORS as error:
            logger.warning("Refused a %s tracking webhook post: unreadable body (%s)", self.esp_name, type(error).__name__)
            return HttpResponseBadRequest("Malformed webhook payload.")
        if not events or not all(is_esp_event(event) for event in events):
            logger.warning("Refused a %s tracking webhook post: it holds no %s event", self.esp_name, self.esp_name)
            return HttpResponseBadRequest("No tracking event in this post.")
        try:
            for event in events:
                self.signal.send(sender=self.__class__, event=event, esp_name=self.esp_name)
        except Exception:
            logger.exception("Could not record a %s tracking event; answered 503 so that the ESP posts it again", self.esp_name)
            return unavailable()
        return HttpResponse()


def guarded(view_class, initkwargs):
    view = type(f"Guarded{view_class.__name__}", (GuardedTrackingWebhook, view_class), {}).as_view(**initkwargs)

    @csrf_exempt
    @functools.wraps(view)
    def guarded_view(request, *args, **kwargs):
        if not settings.ANYMAIL.get("WEBHOOK_SECRET"):
            logger.error("Refused a tracking webhook post: ANYMAIL_WEBHOOK_SECRET is not set")
            return HttpResponseBadRequest("Webhook not configured.")
        try:
            return view(request, *args, **kwargs)
        except AnymailConfigurationError:
            logger.error("Tracking webhook %s is not configured correctly", request.path, exc_info=True)
            return unavailable()

    return guarded_view


def tracking_webhook_patterns():
    """anymail's tracking URLs (``postmark/tracking/``, ``mailgun/tracking/``, ...), each view guarded."""
    return [
        path(str(pattern.pattern), guarded(pattern.callback.view_class, pattern.callback.view_initkwargs), name=pattern.name)
        for pattern in anymail_urls.urlpatterns
        if pattern.name.endswith("tracking_webhook")
    ]
