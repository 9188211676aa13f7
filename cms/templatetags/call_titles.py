"""A call's title inside a sentence: most titles start with "Oproep", which the sentence already says."""

import re

from django import template

register = template.Library()

LEADING_OPROEP = re.compile(r"^\s*oproep\b\s*[:\-–—]?\s*", re.IGNORECASE)


@register.filter
def call_topic(title):
    """The title without a leading "Oproep" or "Oproep:"; the whole title when nothing else is left.

    "Oproep: respijtzorg in de wijk" gives "respijtzorg in de wijk", so that
    "Reageer op de oproep ‘respijtzorg in de wijk’" says "oproep" once;
    "Oproepkrachten gezocht" and "Respijtzorg in de wijk" stay as they are.
    """
    title = str(title).strip()
    return LEADING_OPROEP.sub("", title, count=1).strip() or title
