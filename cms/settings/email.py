"""Turn ``EMAIL_URL`` into Django and anymail settings.

* unset: every mail is written as an ``.eml`` file under ``var/mail/``;
* ``smtp://user:password@host:port`` (``smtps://`` for implicit TLS,
  ``?starttls=1`` for STARTTLS): Django's SMTP backend;
* ``<esp>://<api key>@?option=value``, e.g. ``mailgun://KEY@?sender_domain=mg.example.org``
  or ``postmark://TOKEN@``: the anymail backend for that ESP, options become
  ``ANYMAIL["<ESP>_<OPTION>"]``;
* ``test://``: anymail's test backend (keeps mails in memory, for tests).

The tracking webhooks' secrets come from their own variables whatever the
sending route (``webhook_settings``): mail may go out over an ESP's SMTP relay
while its events arrive at ``/anymail/<esp>/tracking/``.

SMTP mail is signed with DKIM when a key is set (``dkim_settings``):
``DKIM_PRIVATE_KEY`` (PEM text) or ``DKIM_PRIVATE_KEY_FILE`` (its path),
``DKIM_SELECTOR``, and ``DKIM_DOMAIN`` (default: the domain of ``DEFAULT_FROM_EMAIL``).
"""

from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

from .env import env

# ESP scheme -> name of the setting that holds the URL's user part.
ANYMAIL_CREDENTIAL = {
    "brevo": "API_KEY",
    "mailersend": "API_TOKEN",
    "mailgun": "API_KEY",
    "mailjet": "API_KEY",
    "mandrill": "API_KEY",
    "postal": "API_KEY",
    "postmark": "SERVER_TOKEN",
    "resend": "API_KEY",
    "sendgrid": "API_KEY",
    "sparkpost": "API_KEY",
    "amazon_ses": None,
}

SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
SIGNING_SMTP_BACKEND = "cms.mail_backends.DKIMSigningSMTPBackend"

# anymail settings that verify an ESP's webhook posts, each read from the environment
# variable of the same name. Postmark, Brevo, Mailjet, SparkPost and Amazon SES sign
# nothing: for them the basic-auth ANYMAIL_WEBHOOK_SECRET is the only check.
WEBHOOK_VERIFICATION_SETTINGS = (
    "MAILGUN_WEBHOOK_SIGNING_KEY",
    "MAILERSEND_SIGNING_SECRET",
    "MAILTRAP_TRACKING_SECRET",
    "MANDRILL_WEBHOOK_KEY",
    "MANDRILL_WEBHOOK_URL",
)


def email_settings(url, file_path, dkim=None):
    """Return a dict of settings (``EMAIL_*`` plus an ``ANYMAIL`` part, and ``DKIM_*`` for SMTP).

    ``dkim``: the ``dkim_settings()`` to use, read from the environment when None.
    """
    if not url:
        return {"EMAIL_BACKEND": "cms.mail.EmlFileBackend", "EMAIL_FILE_PATH": str(file_path), "ANYMAIL": {}}
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    options = dict(parse_qsl(parts.query))
    if scheme in {"smtp", "smtps"}:
        dkim = dkim_settings() if dkim is None else dkim
        return {
            "EMAIL_BACKEND": SIGNING_SMTP_BACKEND if dkim["DKIM_PRIVATE_KEY"] else SMTP_BACKEND,
            "EMAIL_HOST": parts.hostname or "localhost",
            "EMAIL_PORT": parts.port or (465 if scheme == "smtps" else 25),
            "EMAIL_HOST_USER": unquote(parts.username or ""),
            "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
            "EMAIL_USE_SSL": scheme == "smtps",
            "EMAIL_USE_TLS": options.get("starttls", "0").lower() in {"1", "true", "yes"},
            "EMAIL_TIMEOUT": 30,
            "ANYMAIL": {},
            **dkim,
        }
    if scheme == "test":
        return {"EMAIL_BACKEND": "anymail.backends.test.EmailBackend", "ANYMAIL": {}}
    if scheme in ANYMAIL_CREDENTIAL:
        anymail = {f"{scheme.upper()}_{key.upper()}": value for key, value in options.items()}
        credential = ANYMAIL_CREDENTIAL[scheme]
        if credential and parts.username:
            anymail[f"{scheme.upper()}_{credential}"] = unquote(parts.username)
        if scheme == "mailjet" and parts.password:
            anymail["MAILJET_SECRET_KEY"] = unquote(parts.password)
        return {"EMAIL_BACKEND": f"anymail.backends.{scheme}.EmailBackend", "ANYMAIL": anymail}
    raise ImproperlyConfigured(f"EMAIL_URL has an unknown scheme: {scheme!r}")


def webhook_settings():
    """The ``ANYMAIL`` part for the tracking webhooks: the basic-auth secret and each ESP's signing key.

    A variable that is set wins over the same option in ``EMAIL_URL``
    (``mailgun://KEY@?webhook_signing_key=...``); one that is empty leaves it alone.
    """
    found = {"WEBHOOK_SECRET": env("ANYMAIL_WEBHOOK_SECRET", "")}
    found.update({name: env(name, "") for name in WEBHOOK_VERIFICATION_SETTINGS if env(name, "")})
    return found


def dkim_settings():
    """``DKIM_PRIVATE_KEY``, ``DKIM_SELECTOR`` and ``DKIM_DOMAIN`` from the environment; no key: no signing.

    A key that cannot be read or parsed stops start-up, as does a key without
    a selector: mail would otherwise go out unsigned, or not at all, unnoticed.
    """
    key = env("DKIM_PRIVATE_KEY", "").replace("\\n", "\n")
    key_file = env("DKIM_PRIVATE_KEY_FILE", "")
    if key_file and not key:
        try:
            key = Path(key_file).read_text()
        except OSError as error:
            raise ImproperlyConfigured(f"DKIM_PRIVATE_KEY_FILE cannot be read: {error.strerror}") from None
    found = {"DKIM_PRIVATE_KEY": key.strip(), "DKIM_SELECTOR": env("DKIM_SELECTOR", ""), "DKIM_DOMAIN": env("DKIM_DOMAIN", "")}
    if found["DKIM_PRIVATE_KEY"]:
        check_dkim_key(found)
    return found


def check_dkim_key(found):
    from dkim.crypto import UnparsableKeyError, parse_pem_private_key

    if not found["DKIM_SELECTOR"]:
        raise ImproperlyConfigured("DKIM_SELECTOR is required with a DKIM private key.")
    try:
        parse_pem_private_key(found["DKIM_PRIVATE_KEY"].encode())
    except UnparsableKeyError:
        raise ImproperlyConfigured("The DKIM private key is no PEM RSA private key.") from None
