"""Receivers of anymail's signals."""

from campaigns.services.tracking import record_event


def record_tracking_event(sender, event, esp_name, **kwargs):
    """anymail's ``tracking`` signal: one call per event of a webhook post."""
    record_event(esp_name, event)
