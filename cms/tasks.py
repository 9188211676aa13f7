"""Celery tasks: thin wrappers around services (see ../shared/DESIGN.md)."""

from smtplib import SMTPException

from anymail.exceptions import AnymailRequestsAPIError
from celery import shared_task

from cms.services.notifications import notify_contact_person, send_pending_notifications
from newsletter.services import retention

TRANSIENT_ERRORS = (SMTPException, OSError, AnymailRequestsAPIError)


@shared_task(autoretry_for=TRANSIENT_ERRORS, retry_backoff=True, retry_backoff_max=600, retry_jitter=True, max_retries=8)
def send_response_notification(response_id):
    notify_contact_person(response_id)


@shared_task
def send_pending_response_notifications():
    return send_pending_notifications()


@shared_task
def enforce_retention():
    """Apply the retention periods (``newsletter.services.retention``); the counts land in the worker's log."""
    return retention.enforce_retention().as_dict()
