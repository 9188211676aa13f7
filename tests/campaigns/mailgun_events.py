"""Mailgun's JSON tracking webhook bodies, signed the way Mailgun signs them."""

import hashlib
import hmac
import time
import uuid

SIGNING_KEY = "mailgun-signing-key"
URL = "/anymail/mailgun/tracking/"


def signed(event_data, signing_key=SIGNING_KEY):
    timestamp = str(int(time.time()))
    token = uuid.uuid4().hex
    signature = hmac.new(signing_key.encode(), f"{timestamp}{token}".encode(), hashlib.sha256).hexdigest()
    return {
        "signature": {"timestamp": timestamp, "token": token, "signature": signature},
        "event-data": {"id": uuid.uuid4().hex, "timestamp": float(timestamp), "tags": [], **event_data},
    }


def failed(email, message_id, user_variables=None):
    """A permanent failure: the address does not exist."""
    return signed(
        {
            "event": "failed",
            "severity": "permanent",
            "reason": "bounce",
            "recipient": email,
            "message": {"headers": {"message-id": message_id, "to": email}},
            "delivery-status": {"code": 550, "message": "No such user", "description": ""},
            "user-variables": user_variables or {},
        }
    )


def delivered(email, message_id, user_variables=None):
    return signed(
        {
            "event": "delivered",
            "recipient": email,
            "message": {"headers": {"message-id": message_id, "to": email}},
            "delivery-status": {"code": 250, "message": "OK", "description": ""},
            "user-variables": user_variables or {},
        }
    )


def for_accepted_mail(mail, event=delivered):
    """The event for a mail that ``FakeMailgun`` accepted, with the custom data the mail carried."""
    return event(mail["to"], mail["message_id"].strip("<>"), mail["variables"])
