"""Export subscribers as CSV or XLSX, each with the proof of consent of their latest confirmed sign-up.

The first four columns are the ones the import reads (e-mail, naam,
onderwerpen, toestemming), so an export can be imported elsewhere as it is.
"""

from django.db.models import Prefetch

from campaigns.services.spreadsheets import csv_bytes, xlsx_bytes
from newsletter.models import ConsentRecord

HEADERS = (
    "e-mail",
    "naam",
    "onderwerpen",
    "toestemming",
    "status",
    "aangemeld op",
    "bevestigd op",
    "afgemeld op",
    "bron",
    "pagina",
    "aangevraagd op",
    "IP-adres",
    "versie toestemmingstekst",
    "toestemmingstekst",
    "versie privacyverklaring",
    "onderwerpen zoals getoond",
    "toestemming bevestigd op",
    "IP-adres bij bevestigen",
    "geïmporteerd door",
    "aantal aanmeldingen",
)


def proof(records):
    """The sign-up that proves the consent: the latest confirmed one, else the latest of all."""
    confirmed = [record for record in records if record.confirmed_at]
    return (confirmed or records or [None])[0]


def subscriber_rows(subscribers):
    records = ConsentRecord.objects.select_related("consent_text", "imported_by").order_by("-requested_at", "-pk")
    subscribers = subscribers.prefetch_related("topics", Prefetch("consents", queryset=records))
    for subscriber in subscribers:
        records = list(subscriber.consents.all())
        record = proof(records)
        text = record.consent_text if record else None
        yield [
            subscriber.email,
            subscriber.name,
            "; ".join(topic.name for topic in subscriber.topics.all()),
            (record.source_detail or record.page_url) if record else "",
            subscriber.get_status_display(),
            subscriber.created_at,
            subscriber.confirmed_at,
            subscriber.unsubscribed_at,
            record.get_source_display() if record else "",
            record.page_url if record else "",
            record.requested_at if record else None,
            record.ip_address if record else "",
            text.version if text else "",
            text.text if text else "",
            record.privacy_statement_version if record else "",
            "; ".join(record.topic_names) if record else "",
            record.confirmed_at if record else None,
            record.confirmed_ip_address if record else "",
            record.imported_by.get_username() if record and record.imported_by else "",
            len(records),
        ]


def subscribers_csv(subscribers):
    return csv_bytes(HEADERS, subscriber_rows(subscribers))


def subscribers_xlsx(subscribers):
    return xlsx_bytes("Abonnees", HEADERS, subscriber_rows(subscribers))
