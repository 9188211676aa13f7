"""The privacy rights of one e-mail address: everything the site holds about it (export), and erasure.

After ``erase_address`` the address exists in the database only as its keyed
hash on the suppression list (``Suppression(reason=ERASED, scope=ALL)``), so
no later import or sign-up can mail the person again. What must stay
countable (recipients of a sent mailing, answers to a call) is anonymised
rather than deleted, so campaign results keep their totals.
"""

import json
from dataclasses import asdict, dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry, PageLogEntry

from campaigns.log_filters import mask_addresses
from campaigns.models import Contact, Delivery, Recipient, Suppression, TrackingEvent, normalise_email
from campaigns.models.suppression import address_hash
from cms.models import CallResponse
from cms.services.responses import response_hash
from newsletter.models import Subscriber

ERASED = "[gewist]"
ERASED_DOMAIN = "gewist.invalid"
ERASE_ACTION = "newsletter.personal_data_erased"


def anonymous_address(recipient_pk):
    """A unique, undeliverable stand-in (RFC 2606 ``.invalid``), so a campaign's recipients stay unique and countable."""
    return f"gewist-{recipient_pk}@{ERASED_DOMAIN}"


def mentions(value, email):
    """Whether ``value`` (any JSON value) contains the address anywhere, in any case."""
    if isinstance(value, str):
        return email in value.casefold()
    if isinstance(value, dict):
        return any(mentions(key, email) or mentions(item, email) for key, item in value.items())
    if isinstance(value, (list, tuple)):
        return any(mentions(item, email) for item in value)
    return False


def scrubbed(value, email):
    """``value`` with every string that contains the address replaced by ``[gewist]``."""
    if isinstance(value, str):
        return ERASED if email in value.casefold() else value
    if isinstance(value, dict):
        return {scrubbed(key, email): scrubbed(item, email) for key, item in value.items()}
    if isinstance(value, list):
        return [scrubbed(item, email) for item in value]
    return value


def text_contains(queryset, field_name, email):
    """Rows whose JSON field ``field_name`` mentions the address: a database prefilter, then an exact check."""
    candidates = queryset.annotate(_text=Cast(field_name, TextField())).filter(_text__icontains=email)
    return [row for row in candidates if mentions(getattr(row, field_name), email)]


@dataclass
class Holdings:
    """What the site holds about one address, as model instances (shared by export and erasure)."""

    email: str
    subscriber: Subscriber | None
    contact: Contact | None
    recipients: list
    tracking_events: list
    suppressions: list
    responses: list
    log_entries: list


def find(email):
    email = normalise_email(email)
    subscriber = Subscriber.objects.filter(email=email).prefetch_related("topics", "consents__topics").first()
    contact = Contact.objects.filter(email=email).select_related("organisation").first()
    person = Q(email__iexact=email)
    if subscriber:
        person |= Q(subscriber=subscriber)
    if contact:
        person |= Q(contact=contact)
    recipients = list(Recipient.objects.filter(person).select_related("campaign", "response").order_by("pk"))
    events = TrackingEvent.objects.filter(Q(email__iexact=email) | Q(delivery__recipient__in=recipients)).order_by("pk")
    events = list(events)
    events += text_contains(TrackingEvent.objects.exclude(pk__in=[event.pk for event in events]), "payload", email)
    answers = {recipient.response.pk: recipient.response for recipient in recipients if recipient.response}
    for response in text_contains(CallResponse.objects.select_related("page"), "form_data", email):
        answers.setdefault(response.pk, response)
    logs = []
    for model in (ModelLogEntry, PageLogEntry):
        labelled = list(model.objects.filter(label__icontains=email))
        logs += labelled + text_contains(model.objects.exclude(pk__in=[entry.pk for entry in labelled]), "data", email)
    return Holdings(
        email=email,
        subscriber=subscriber,
        contact=contact,
        recipients=recipients,
        tracking_events=events,
        suppressions=list(Suppression.objects.for_addresses([email]).select_related("campaign").order_by("pk")),
        responses=sorted(answers.values(), key=lambda response: response.pk),
        log_entries=logs,
    )


def export_address(email):
    """Everything the site holds about ``email``, as JSON-serialisable data (Dutch keys: it is for the person)."""
    held = find(email)
    data = {
        "e-mailadres": held.email,
        "geëxporteerd op": timezone.now(),
        "abonnee": subscriber_data(held.subscriber),
        "contact": contact_data(held.contact),
        "ontvangers": [recipient_data(recipient) for recipient in held.recipients],
        "trackinggebeurtenissen": [event_data(event) for event in held.tracking_events],
        "blokkeringen": [suppression_data(entry) for entry in held.suppressions],
        "reacties": [response_data(response) for response in held.responses],
    }
    # Dates, IP addresses and the like become the strings Django's encoder makes of them.
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def subscriber_data(subscriber):
    if subscriber is None:
        return None
    return {
        "e-mailadres": subscriber.email,
        "naam": subscriber.name,
        "status": subscriber.get_status_display(),
        "onderwerpen": [topic.name for topic in subscriber.topics.all()],
        "aangemeld op": subscriber.created_at,
        "bevestigd op": subscriber.confirmed_at,
        "afgemeld op": subscriber.unsubscribed_at,
        "toestemmingen": [consent_data(record) for record in subscriber.consents.all()],
    }


def consent_data(record):
    text = record.consent_text
    return {
        "bron": record.get_source_display(),
        "herkomst": record.source_detail,
        "pagina": record.page_url,
        "aangevraagd op": record.requested_at,
        "IP-adres": record.ip_address,
        "opgegeven naam": record.name,
        "onderwerpen zoals getoond": record.topic_names,
        "toestemmingstekst": {"versie": text.version, "tekst": text.text} if text else None,
        "versie privacyverklaring": record.privacy_statement_version,
        "bevestigingsmail verstuurd op": record.confirmation_sent_at,
        "bevestigd op": record.confirmed_at,
        "IP-adres bij bevestigen": record.confirmed_ip_address,
        "geïmporteerd door": record.imported_by.get_username() if record.imported_by else None,
    }


def contact_data(contact):
    if contact is None:
        return None
    return {
        "naam": contact.name,
        "e-mailadres": contact.email,
        "organisatie": contact.organisation.name if contact.organisation else None,
        "functie": contact.role,
        "actief": contact.active,
        "labels": sorted(tag.name for tag in contact.tags.all()),
        "taal": contact.language,
        "aangemaakt": contact.created_at,
        "gewijzigd": contact.updated_at,
    }


def recipient_data(recipient):
    deliveries = Delivery.objects.filter(recipient=recipient).select_related("message").order_by("pk")
    return {
        "mailing": recipient.campaign.name,
        "soort": recipient.campaign.get_kind_display(),
        "naam": recipient.name,
        "e-mailadres": recipient.email,
        "organisatie": recipient.organisation_name,
        "gereageerd op": recipient.answered_at,
        "verzendingen": [
            {
                "mail": str(delivery.message),
                "status": delivery.get_status_display(),
                "pogingen": delivery.attempts,
                "verstuurd op": delivery.sent_at,
                "fout": delivery.error,
            }
            for delivery in deliveries
        ],
    }


def event_data(event):
    return {"soort": event.event_type, "dienst": event.esp, "op": event.occurred_at, "gegevens": event.payload}


def suppression_data(entry):
    return {
        "reden": entry.get_reason_display(),
        "geldt voor": entry.get_scope_display(),
        "toelichting": entry.detail,
        "sinds": entry.created_at,
        "veroorzaakt door": entry.campaign.name if entry.campaign else None,
        "oorspronkelijke melding": entry.event,
    }


def response_data(response):
    return {"oproep": response.page.title if response.page_id else None, "ingediend op": response.submit_time, "antwoorden": response.form_data}


@dataclass
class ErasureSummary:
    """What ``erase_address`` removed or anonymised, counted (no address: it goes into the audit log)."""

    subscribers: int = 0
    consent_records: int = 0
    contacts: int = 0
    recipients: int = 0
    tracking_events: int = 0
    suppressions: int = 0
    responses: int = 0
    log_entries: int = 0

    def as_dict(self):
        return asdict(self)

    @property
    def anything(self):
        return any(self.as_dict().values())


def summarise(held):
    """What erasing would touch: the confirm step names it before anything is removed."""
    return ErasureSummary(
        subscribers=int(held.subscriber is not None),
        consent_records=held.subscriber.consents.count() if held.subscriber else 0,
        contacts=int(held.contact is not None),
        recipients=len(held.recipients),
        tracking_events=len(held.tracking_events),
        suppressions=len(held.suppressions),
        responses=len(held.responses),
        log_entries=len(held.log_entries),
    )


def erasure_preview(email):
    return summarise(find(email))


@transaction.atomic
def erase_address(email, user):
    """Remove or anonymise everything about ``email``; keep only its hash on the suppression list.

    Returns an ``ErasureSummary``. The audit-log entry names the counts, never the address.
    """
    held = find(email)
    summary = summarise(held)
    email = held.email
    if held.subscriber:
        held.subscriber.delete()
    if held.contact:
        held.contact.delete()
    for recipient in held.recipients:
        Recipient.objects.filter(pk=recipient.pk).update(
            email=anonymous_address(recipient.pk), name=ERASED, subscriber=None, contact=None
        )
        for delivery in Delivery.objects.filter(recipient=recipient).exclude(error=""):
            Delivery.objects.filter(pk=delivery.pk).update(error=mask_addresses(delivery.error))
    for event in held.tracking_events:
        TrackingEvent.objects.filter(pk=event.pk).update(email="", payload=scrubbed(event.payload, email))
    for response in held.responses:
        anonymise_response(response)
    for entry in held.suppressions:
        Suppression.objects.filter(pk=entry.pk).update(
            email="", detail=ERASED if email in entry.detail.casefold() else entry.detail, event=scrubbed(entry.event, email)
        )
    for entry in held.log_entries:
        type(entry).objects.filter(pk=entry.pk).update(
            label=ERASED if email in entry.label.casefold() else entry.label, data=scrubbed(entry.data, email)
        )
    marker, _ = Suppression.objects.get_or_create(
        email_hash=address_hash(email),
        scope=Suppression.Scope.ALL,
        defaults={"email": "", "reason": Suppression.Reason.ERASED, "detail": "Gegevens gewist op verzoek"},
    )
    log(marker, ERASE_ACTION, user=user, data=summary.as_dict())
    return summary


def anonymise_response(response):
    """Every answer becomes ``[gewist]``; the answer itself stays, so the call's response count is right."""
    answers = {key: ERASED for key in response.form_data}
    CallResponse.objects.filter(pk=response.pk).update(
        form_data=answers,
        content_hash=response_hash(response.page, answers, response.publication_consent) if response.page_id else "",
    )
