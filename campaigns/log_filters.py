"""Keep personal-link tokens and e-mail addresses out of the logs.

Django logs the path of every 4xx answer ("Not Found: /reageren/<token>/"),
runserver and gunicorn every request and its Referer; a token in a log file
opens someone's answer. Mail servers quote the refused address in their
answer ("550 5.1.1 <jan@example.org>: Recipient address rejected"). The same
patterns mask Django's loggers, gunicorn's (``cms.gunicorn_logging``) and the
sending engine's failure reasons.
"""

import logging
import re

# A token path, also percent-encoded inside a query string (?next=%2Freageren%2F<token>).
PERSONAL_LINK = re.compile(r"(/|%2F)(reageren|afmelden|bevestigen|voorkeuren)(/|%2F)[^/\s?#&\"'%]+", re.IGNORECASE)
EMAIL_ADDRESS = re.compile(r"[\w.%+-]+@[\w-]+(?:\.[\w-]+)+")


def mask_personal_links(text):
    return PERSONAL_LINK.sub(r"\1\2\3***", text)


def mask_addresses(text):
    return EMAIL_ADDRESS.sub("***@***", text)


class MaskPersonalData(logging.Filter):
    """Masks tokens and addresses in the message and in the traceback of an exception logged with it."""

    def filter(self, record):
        message = record.getMessage()
        masked = mask_addresses(mask_personal_links(message))
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_addresses(mask_personal_links(record.exc_text))
        return True
