"""Turn ``EMAIL_URL`` into Django and anymail settings.

* unset: every mail is written as an ``.eml`` file under ``var/mail/``;
* ``smtp://user:password@host:port`` (``smtps://`` for implicit TLS,
  ``?starttls=1`` for STARTTLS): Django's SMTP backend;
* ``<esp>://<api key>@?option=value``, e.g. ``mailgun://KEY@?sender_domain=mg.example.org``
  or ``postmark://TOKEN@``: the anymail backend for that ESP, options become
  ``ANYMAIL["<ESP>_<OPTION>"]``;
* ``test://``: anymail's test backend (keeps mails in memory, for tests).
"""

from urllib.parse import parse_qsl, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

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


def email_settings(url, file_path):
    """Return a dict of settings (``EMAIL_*`` plus an ``ANYMAIL`` part)."""
    if not url:
        return {"EMAIL_BACKEND": "cms.mail.EmlFileBackend", "EMAIL_FILE_PATH": str(file_path), "ANYMAIL": {}}
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    options = dict(parse_qsl(parts.query))
    if scheme in {"smtp", "smtps"}:
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": parts.hostname or "localhost",
            "EMAIL_PORT": parts.port or (465 if scheme == "smtps" else 25),
            "EMAIL_HOST_USER": unquote(parts.username or ""),
            "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
            "EMAIL_USE_SSL": scheme == "smtps",
            "EMAIL_USE_TLS": options.get("starttls", "0").lower() in {"1", "true", "yes"},
            "EMAIL_TIMEOUT": 30,
            "ANYMAIL": {},
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
