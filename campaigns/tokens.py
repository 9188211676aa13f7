"""Personal response links.

A token is an HMAC of the recipient's campaign, address and a random nonce,
keyed with ``SECRET_KEY``: 256 bits, unguessable, and re-creatable by the
worker that renders a reminder weeks later. The database keeps only the nonce
and a SHA-256 hash of the token, so a copy of the database alone opens no link.
"""

import base64
import hashlib
import hmac
import secrets

from django.utils.crypto import salted_hmac

SALT = "campaigns.tokens.personal-link"


def new_nonce():
    return secrets.token_hex(16)


def make_token(campaign_id, email, nonce):
    digest = salted_hmac(SALT, f"{campaign_id}:{email}:{nonce}", algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def hash_token(token):
    return hashlib.sha256(token.encode()).hexdigest()


def recipient_token(recipient):
    return make_token(recipient.campaign_id, recipient.email, recipient.token_nonce)


def find_recipient(token):
    """The recipient whose personal link carries ``token``, or None (unknown or tampered)."""
    from campaigns.models import Recipient

    if not token or len(token) > 100:
        return None
    recipient = Recipient.objects.select_related("campaign").filter(token_hash=hash_token(token)).first()
    if recipient is None or not hmac.compare_digest(recipient_token(recipient), token):
        return None
    return recipient
