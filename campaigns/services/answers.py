"""Answering a call through a personal link: one response per recipient, changeable until the deadline."""

import re
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from campaigns.models import Organisation, Recipient
from campaigns.services import workers
from cms.forms import CONSENT_FIELD
from cms.models import CallResponse
from cms.services.responses import response_hash

# Label words -> what we know about the recipient; the first match wins, so
# "Naam organisatie" is the organisation and "Naam" the person.
PREFILL_HINTS = [
    (re.compile(r"e-?mail", re.I), "email"),
    (re.compile(r"organisatie", re.I), "organisation"),
    (re.compile(r"\bnaam\b", re.I), "name"),
]
PREFILLED_FIELD_TYPES = {"singleline", "email"}
CHOICE_FIELD_TYPES = {"dropdown", "radio"}
DATE_FIELD_TYPES = {"date", "datetime"}


def initial_answers(page, recipient):
    """What the form shows: the stored answer if there is one, else the recipient's name, organisation and address."""
    if recipient.response is not None:
        response = recipient.response
        stored = {**response.form_data, CONSENT_FIELD: response.publication_consent}
        for field in page.get_form_fields():
            if field.field_type in DATE_FIELD_TYPES and stored.get(field.clean_name):
                stored[field.clean_name] = stored_date(stored[field.clean_name])
        return stored
    known = {"email": recipient.email, "organisation": recipient.organisation_name, "name": recipient.name}
    kind_label = Organisation.Kind(recipient.organisation_kind).label if recipient.organisation_kind else ""
    initial = {}
    form_fields = page.get_form_class().base_fields
    for field in page.get_form_fields():
        if field.field_type in CHOICE_FIELD_TYPES:
            choice = matching_choice(form_fields[field.clean_name].choices, kind_label)
            if choice:
                initial[field.clean_name] = choice
        elif field.field_type in PREFILLED_FIELD_TYPES:
            kind = next((kind for pattern, kind in PREFILL_HINTS if pattern.search(field.label)), None)
            if kind and known[kind]:
                initial[field.clean_name] = known[kind]
    return initial


def stored_date(value):
    """A stored ISO date as a date, so the form shows it the Dutch way ("1-2-2027") as it was typed."""
    try:
        return datetime.fromisoformat(value) if "T" in value or " " in value else date.fromisoformat(value)
    except (TypeError, ValueError):
        return value


def matching_choice(choices, label):
    """The option that names the recipient's kind of organisation ("Gemeente"), if there is one."""
    if not label:
        return None
    return next((value for value, text in choices if value and str(text).casefold() == label.casefold()), None)


def save_answer(recipient, page, form):
    """Store the recipient's valid answer, or replace their earlier one; return ``(response, created)``.

    The recipient row is locked, so two posts at once still leave one response.
    A new answer, and a changed one, tells the call's contact person; posting
    the same answer again changes nothing.
    """
    answers = form.answers()
    consent = bool(form.cleaned_data.get(CONSENT_FIELD))
    digest = response_hash(page, answers, consent)
    with transaction.atomic():
        recipient = Recipient.objects.select_for_update().get(pk=recipient.pk)
        if recipient.response_id:
            response = CallResponse.objects.get(pk=recipient.response_id)
            if response.content_hash != digest:
                response.form_data = answers
                response.publication_consent = consent
                response.content_hash = digest
                response.changed_at = timezone.now()
                response.notified_at = None
                response.notification_error = ""
                response.save(
                    update_fields=[
                        "form_data",
                        "publication_consent",
                        "content_hash",
                        "changed_at",
                        "notified_at",
                        "notification_error",
                    ]
                )
                if page.notify_contact_person and page.contact_person_id:
                    workers.queue("cms.tasks.send_response_notification", response.pk)
            return response, False
        response = CallResponse.objects.create(page=page, form_data=answers, publication_consent=consent, content_hash=digest)
        recipient.response = response
        recipient.answered_at = recipient.answered_at or timezone.now()
        recipient.save(update_fields=["response", "answered_at"])
        if page.notify_contact_person and page.contact_person_id:
            workers.queue("cms.tasks.send_response_notification", response.pk)
    return response, True
