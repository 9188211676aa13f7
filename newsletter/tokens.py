"""The newsletter's personal links: confirm a sign-up, open one's preferences.

Same construction as ``campaigns.tokens``: an HMAC of a random nonce kept on
the row, keyed with ``SECRET_KEY`` (or a key in ``SECRET_KEY_FALLBACKS``) and
salted by purpose, so the link can be made again for a re-sent mail and a
copy of the database opens nothing. Replacing the nonce retires the link.
The unsubscribe link of an issue is the campaign recipient's own
(``campaigns.tokens.UNSUBSCRIBE``): it names the mailing that caused it.
"""

import base64
import hmac

from django.utils.crypto import salted_hmac

from campaigns.tokens import signing_keys

CONFIRM = "newsletter.tokens.confirm"
PREFERENCES = "newsletter.tokens.preferences"


def make_token(purpose, pk, nonce, secret=None):
    digest = salted_hmac(purpose, f"{pk}:{nonce}", secret=secret, algorithm="sha256").digest()
    return f"{pk}-" + base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def check_token(purpose, token, nonce_of):
    """The row whose link carries ``token``, or None: ``nonce_of(pk)`` returns ``(row, nonce)`` or None."""
    pk, _, _ = (token or "").partition("-")
    # isdigit() alone accepts "²" and other Unicode digits, which int() refuses.
    if not (pk.isascii() and pk.isdigit()) or len(token) > 120:
        return None
    found = nonce_of(int(pk))
    if found is None:
        return None
    row, nonce = found
    if not nonce:
        return None
    for secret in signing_keys():
        if hmac.compare_digest(make_token(purpose, row.pk, nonce, secret), token):
            return row
    return None


def preferences_token(subscriber):
    return make_token(PREFERENCES, subscriber.pk, subscriber.token_nonce)


def find_subscriber(token):
    from newsletter.models import Subscriber

    def nonce_of(pk):
        subscriber = Subscriber.objects.filter(pk=pk).first()
        return (subscriber, subscriber.token_nonce) if subscriber else None

    return check_token(PREFERENCES, token, nonce_of)


def confirmation_token(record):
    return make_token(CONFIRM, record.pk, record.confirmation_nonce)


def find_consent_record(token):
    """The sign-up a confirmation link belongs to (expired or not: the caller decides), or None."""
    from newsletter.models import ConsentRecord

    def nonce_of(pk):
        record = ConsentRecord.objects.select_related("subscriber").filter(pk=pk).first()
        return (record, record.confirmation_nonce) if record else None

    return check_token(CONFIRM, token, nonce_of)
