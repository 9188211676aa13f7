"""Personal links: one to answer the call, one to unsubscribe.

A token is an HMAC of the recipient's campaign, address and a random nonce,
keyed with ``SECRET_KEY`` and salted by its purpose: 256 bits, unguessable,
and re-creatable by the worker that renders a reminder weeks later. The two
purposes give two unrelated tokens, so the unsubscribe address that travels
in a mail header (``List-Unsubscribe``) opens no answer form. The database
keeps only the nonce and a SHA-256 hash of each token, so a copy of the
database alone opens no link.
"""

import base64
import hashlib
import hmac
import secrets

from django.utils.crypto import salted_hmac

RESPOND = "respond"
UNSUBSCRIBE = "unsubscribe"
SALTS = {RESPOND: "campaigns.tokens.personal-link", UNSUBSCRIBE: "campaigns.tokens.unsubscribe-link"}
# In the links of previews and test mails: never a real token (those are 43 characters).
SAMPLE = "voorbeeld"
# The Recipient field that holds the hash of each purpose's token.
HASH_FIELDS = {RESPOND: "token_hash", UNSUBSCRIBE: "unsubscribe_token_hash"}


def new_nonce():
    return secrets.token_hex(16)


def make_token(campaign_id, email, nonce, purpose=RESPOND):
    digest = salted_hmac(SALTS[purpose], f"{campaign_id}:{email}:{nonce}", algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def hash_token(token):
    return hashlib.sha256(token.encode()).hexdigest()


def recipient_token(recipient, purpose=RESPOND):
    return make_token(recipient.campaign_id, recipient.email, recipient.token_nonce, purpose)


def token_hashes(campaign_id, email, nonce):
    """The stored hashes of a new recipient's tokens, as Recipient field values."""
    return {field: hash_token(make_token(campaign_id, email, nonce, purpose)) for purpose, field in HASH_FIELDS.items()}


def find_recipient(token, purpose=RESPOND):
    """The recipient whose ``purpose`` link carries ``token``, or None (unknown or tampered)."""
    from campaigns.models import Recipient

    if not token or len(token) > 100:
        return None
    lookup = {HASH_FIELDS[purpose]: hash_token(token)}
    recipient = Recipient.objects.select_related("campaign").filter(**lookup).first()
    if recipient is None or not hmac.compare_digest(recipient_token(recipient, purpose), token):
        return None
    return recipient
