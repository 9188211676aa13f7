"""Absolute URLs of the newsletter's personal links, for mails and pages."""

from django.conf import settings

from campaigns import tokens as campaign_tokens
from newsletter import tokens

SAMPLE = campaign_tokens.SAMPLE


def confirmation_link(record):
    return f"{settings.SITE_URL}/nieuwsbrief/bevestigen/{tokens.confirmation_token(record)}/"


def preferences_link(subscriber):
    return f"{settings.SITE_URL}/nieuwsbrief/voorkeuren/{tokens.preferences_token(subscriber)}/"


def unsubscribe_link(recipient):
    """Per recipient of one mailing (``List-Unsubscribe`` and the link in the footer): it names that mailing."""
    return f"{settings.SITE_URL}/nieuwsbrief/afmelden/{campaign_tokens.recipient_token(recipient, campaign_tokens.UNSUBSCRIBE)}/"


def sample_preferences_link():
    """In previews and test mails: a page that says so and changes nobody's preferences."""
    return f"{settings.SITE_URL}/nieuwsbrief/voorkeuren/{SAMPLE}/"


def sample_unsubscribe_link():
    return f"{settings.SITE_URL}/nieuwsbrief/afmelden/{SAMPLE}/"
