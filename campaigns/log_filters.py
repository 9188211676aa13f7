"""Keep personal-link tokens out of the logs.

Django logs the path of every 4xx answer ("Not Found: /reageren/<token>/"),
runserver every request; a token in a log file opens someone's answer.
"""

import logging
import re

PERSONAL_LINK = re.compile(r"/(reageren|afmelden)/[^/\s?#\"']+")


class MaskPersonalLinks(logging.Filter):
    def filter(self, record):
        message = record.getMessage()
        masked = PERSONAL_LINK.sub(r"/\1/***", message)
        if masked != message:
            record.msg, record.args = masked, None
        return True
