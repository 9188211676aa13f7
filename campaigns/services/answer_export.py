"""The answers of a campaign's recipients, joined with their contact data, as CSV or XLSX."""

from campaigns.models import Organisation, Recipient
from cms.services.notifications import readable_answer

from .spreadsheets import csv_bytes, typed_answer, xlsx_bytes

# Prefixed, because the form usually asks for a name and organisation too.
CONTACT_COLUMNS = [
    "Ontvanger: naam",
    "Ontvanger: e-mailadres",
    "Ontvanger: organisatie",
    "Ontvanger: soort organisatie",
    "Ontvanger: regio",
    "Gereageerd op",
    "Gewijzigd op",
]
CONSENT_COLUMN = "Mag gepubliceerd worden"


def answer_table(campaign):
    """``(header, rows)``: one row per recipient who answered; times, dates and numbers typed, the rest text."""
    fields = list(campaign.call_page.form_fields.order_by("sort_order").values_list("clean_name", "label", "field_type"))
    kinds = dict(Organisation.Kind.choices)
    regions = dict(Organisation.Region.choices)
    header = CONTACT_COLUMNS + [label for _, label, _ in fields] + [CONSENT_COLUMN]
    recipients = (
        Recipient.objects.filter(campaign=campaign, response__isnull=False)
        .select_related("response")
        .order_by("answered_at", "pk")
    )
    rows = []
    for recipient in recipients:
        answers = recipient.response.form_data
        row = [
            recipient.name,
            recipient.email,
            recipient.organisation_name,
            kinds.get(recipient.organisation_kind, recipient.organisation_kind),
            regions.get(recipient.region, recipient.region),
            recipient.answered_at or recipient.response.submit_time,
            recipient.response.changed_at,
            *(answer_value(answers.get(name), field_type) for name, _, field_type in fields),
            "ja" if recipient.response.publication_consent else "nee",
        ]
        rows.append(row)
    return header, rows


def answer_value(value, field_type):
    """Yes/no and lists as Dutch words; numbers and dates as such, for a typed spreadsheet cell."""
    if isinstance(value, (bool, list)):
        return readable_answer(value)
    return typed_answer(value, field_type)


def answers_csv(campaign):
    return csv_bytes(*answer_table(campaign))


def answers_xlsx(campaign):
    return xlsx_bytes("Antwoorden", *answer_table(campaign))
