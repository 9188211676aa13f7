"""Personal links: one to answer the call, one to unsubscribe.

A token is an HMAC of the recipient's campaign, address and a random nonce,
keyed with ``SECRET_KEY`` and salted by its purpose: 256 bits, unguessable,
and re-creatable by the worker that renders a reminder weeks later. The two
purposes give two unrelated tokens, so the unsubscribe address that travels
in a mail header (``List-Unsubscribe``) opens no answer form. The database
keeps only the nonce and a SHA-256 hash of each token, so a copy of the
database alone opens no link.

Rotating ``SECRET_KEY`` keeps every mailed link working while the old key is
in ``SECRET_KEY_FALLBACKS``: a link made with any of those keys is accepted,
and a reminder carries the same link as the invitation, made with the key
that made the stored hash. New recipients get links made with the current key.
"""

import base64
import functools
import hashlib
import hmac
import logging
import secrets

from django.conf import settings

logger = logging.getLogger(__name__)

RESPOND = "respond"
UNSUBSCRIBE = "unsubscribe"
SALTS = {RESPOND: "campaigns.tokens.personal-link", UNSUBSCRIBE: "campaigns.tokens.unsubscribe-link"}
# In the links of previews and test mails: never a real token (those are 43 characters).
SAMPLE = "voorbeeld"
# The Recipient field that holds the hash of each purpose's token.
HASH_FIELDS = {RESPOND: "token_hash", UNSUBSCRIBE: "unsubscribe_token_hash"}


def new_nonce():
    return secrets.token_hex(16)


def make_token(campaign_id, email, nonce, purpose=RESPOND, secret=None):
    """The token under ``secret`` (default: the current ``SECRET_KEY``)."""
    mac = keyed_hmac(SALTS[purpose], secret or settings.SECRET_KEY).copy()
    mac.update(f"{campaign_id}:{email}:{nonce}".encode())
    return base64.urlsafe_b64encode(mac.digest()).rstrip(b"=").decode()


@functools.lru_cache(maxsize=16)
def keyed_hmac(salt, secret):
    """Django's ``salted_hmac(salt, …, secret, algorithm="sha256")`` before its message, made once per key.

    The same digest as ``salted_hmac``; a launch makes two tokens per recipient,
    and deriving the key afresh each time was a quarter of freezing 10,000.
    """
    return hmac.new(hashlib.sha256(f"{salt}{secret}".encode()).digest(), digestmod=hashlib.sha256)


def hash_token(token):
    return hashlib.sha256(token.encode()).hexdigest()


def signing_keys():
    """The current key first, then the keys it replaced."""
    return [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]


def mailed_token(recipient, purpose=RESPOND):
    """The token whose hash is stored, re-made with the key that made it; None if no key still does."""
    stored = getattr(recipient, HASH_FIELDS[purpose])
    for secret in signing_keys():
        token = make_token(recipient.campaign_id, recipient.email, recipient.token_nonce, purpose, secret)
        if hmac.compare_digest(hash_token(token), stored):
            return token
    return None


def recipient_token(recipient, purpose=RESPOND):
    """The token of the recipient's link: the same in every mail, as long as its key is known."""
    token = mailed_token(recipient, purpose)
    if token is None:
        logger.warning(
            "Recipient %s: no key in SECRET_KEY or SECRET_KEY_FALLBACKS made its %s link; the mail carries a link "
            "that does not work.",
            recipient.pk,
            purpose,
        )
        return make_token(recipient.campaign_id, recipient.email, recipient.token_nonce, purpose)
    return token


def token_hashes(campaign_id, email, nonce):
    """The stored hashes of a new recipient's tokens, as Recipient field values."""
    return {field: hash_token(make_token(campaign_id, email, nonce, purpose)) for purpose, field in HASH_FIELDS.items()}


def find_recipient(token, purpose=RESPOND):
    """The recipient whose ``purpose`` link carries ``token``, or None (unknown, tampered or its key retired)."""
    from campaigns.models import Recipient

    if not token or len(token) > 100:
        return None
    lookup = {HASH_FIELDS[purpose]: hash_token(token)}
    recipient = Recipient.objects.select_related("campaign").filter(**lookup).first()
    if recipient is None:
        return None
    known = mailed_token(recipient, purpose)
    if known is None or not hmac.compare_digest(known, token):
        return None
    return recipient
