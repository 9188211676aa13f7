"""Django's SMTP backend, signing every mail with DKIM (dkimpy) before it leaves.

``cms/settings/email.py`` picks it for ``smtp://`` and ``smtps://`` when
``DKIM_PRIVATE_KEY`` is set. An ESP's API signs mail itself; over SMTP to our
own relay nobody else would. The signature covers the one-click headers:
Gmail shows its unsubscribe button only when ``List-Unsubscribe`` and
``List-Unsubscribe-Post`` are signed (RFC 8058, section 4).
"""

import smtplib
from email.utils import parseaddr

import dkim
from django.conf import settings
from django.core.mail.backends.smtp import EmailBackend
from django.core.mail.message import sanitize_address

# Listed headers that a mail lacks are signed as absent, so none can be added on the way.
SIGNED_HEADERS = (
    "From",
    "To",
    "Cc",
    "Reply-To",
    "Subject",
    "Date",
    "Message-ID",
    "MIME-Version",
    "Content-Type",
    "Content-Transfer-Encoding",
    "List-Unsubscribe",
    "List-Unsubscribe-Post",
    "List-Id",
)


def dkim_domain():
    """``DKIM_DOMAIN``, or else the domain of ``DEFAULT_FROM_EMAIL``."""
    return settings.DKIM_DOMAIN or parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2]


def sign(message_bytes):
    """``message_bytes`` with a DKIM-Signature header in front (rsa-sha256, relaxed/relaxed)."""
    signature = dkim.sign(
        message_bytes,
        selector=settings.DKIM_SELECTOR.encode(),
        domain=dkim_domain().encode(),
        privkey=settings.DKIM_PRIVATE_KEY.encode(),
        canonicalize=(b"relaxed", b"relaxed"),
        signature_algorithm=b"rsa-sha256",
        include_headers=[name.encode() for name in SIGNED_HEADERS],
    )
    return signature + message_bytes


class DKIMSigningSMTPBackend(EmailBackend):
    """Sends exactly what Django's SMTP backend sends, signed."""

    def _send(self, email_message):
        if not email_message.recipients():
            return False
        encoding = email_message.encoding or settings.DEFAULT_CHARSET
        from_email = sanitize_address(email_message.from_email, encoding)
        recipients = [sanitize_address(address, encoding) for address in email_message.recipients()]
        message_bytes = sign(email_message.message().as_bytes(linesep="\r\n"))
        try:
            self.connection.sendmail(from_email, recipients, message_bytes)
        except smtplib.SMTPException:
            if not self.fail_silently:
                raise
            return False
        return True
