"""Tell a call's contact person about a new or changed response, by mail, exactly once if possible.

The row is locked while the mail goes out and marked ``notified_at`` in the
same transaction. If the process dies after the mail server accepted the mail
but before the commit, the next attempt sends it again: for an internal
notice a rare duplicate beats a lost one.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from campaigns.log_filters import mask_addresses
from campaigns.services.sending import PermanentError, classify
from cms.models import CallResponse

logger = logging.getLogger(__name__)

# The on-commit task normally sends within seconds; the beat safety net waits this long.
PENDING_GRACE = timedelta(minutes=1)


def readable_answer(value):
    """Checkbox groups are stored as lists and single checkboxes as booleans; mail them as words."""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return value


def text_part(template_name, context):
    """The rendered text template as a plain ``str``, not marked safe: shown in HTML, it must be escaped."""
    return str.__str__(render_to_string(template_name, context))


def pending_notifications():
    return CallResponse.objects.filter(
        notified_at__isnull=True,
        notification_error="",
        page__callforinputpage__notify_contact_person=True,
        page__callforinputpage__contact_person__isnull=False,
    )


def notify_contact_person(response_id):
    """Send the notice for one response; return False when there was nothing to do."""
    with transaction.atomic():
        response = (
            pending_notifications()
            .select_for_update(skip_locked=True, of=("self",))
            .filter(pk=response_id)
            .first()
        )
        if response is None:
            return False
        page = response.page.specific
        contact = page.contact_person
        labels = dict(page.get_data_fields())
        answers = [(labels.get(key, key), readable_answer(value)) for key, value in response.form_data.items()]
        what = "Gewijzigde reactie" if response.changed_at else "Nieuwe reactie"
        subject = " ".join(f"{what} op: {page.title}".split())
        context = {
            "page": page,
            "contact": contact,
            "response": response,
            "answers": answers,
            "subject": subject,
            "submissions_url": f"{settings.WAGTAILADMIN_BASE_URL}/admin/forms/submissions/{page.pk}/",
        }
        message = EmailMultiAlternatives(
            subject=subject,
            body=text_part("mail/response_notification.txt", context),
            to=[contact.email],
        )
        message.attach_alternative(render_to_string("mail/response_notification.html", context), "text/html")
        try:
            message.send()
        except Exception as error:
            failure = classify(error)
            if not isinstance(failure, PermanentError):
                raise
            # Retrying a refused address only hammers the mail server: keep the reason, stop trying.
            response.notification_error = str(failure)[:500]
            response.save(update_fields=["notification_error"])
            logger.warning(
                "Notice of response %s refused for good: %s", response_id, mask_addresses(str(failure))
            )
            return False
        response.notified_at = timezone.now()
        response.save(update_fields=["notified_at"])
    logger.info("Notified contact person of response %s", response_id)
    return True


def send_pending_notifications():
    """Send every notice that is still due (a lost task message, a failed attempt)."""
    cutoff = timezone.now() - PENDING_GRACE
    due = pending_notifications().filter(Q(changed_at__lt=cutoff) | Q(changed_at=None, submit_time__lt=cutoff))
    return sum(notify_contact_person(pk) for pk in due.values_list("pk", flat=True))
