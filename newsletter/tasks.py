"""Celery tasks of the newsletter: thin wrappers around its services (see ../shared/DESIGN.md)."""

from smtplib import SMTPException

from anymail.exceptions import AnymailRequestsAPIError
from celery import shared_task

from newsletter.services import confirmation_mail

TRANSIENT_ERRORS = (SMTPException, OSError, AnymailRequestsAPIError)


@shared_task(
    acks_late=True, autoretry_for=TRANSIENT_ERRORS, retry_backoff=True, retry_backoff_max=600, retry_jitter=True, max_retries=8
)
def send_confirmation(record_id):
    confirmation_mail.send(record_id)
