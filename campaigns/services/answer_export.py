"""The answers of a campaign's recipients, joined with their contact data, as CSV or XLSX."""

import csv
import io
from datetime import datetime

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING

from campaigns.models import Organisation, Recipient

# Prefixed, because the form usually asks for a name and organisation too.
CONTACT_COLUMNS = [
    "Ontvanger: naam",
    "Ontvanger: e-mailadres",
    "Ontvanger: organisatie",
    "Ontvanger: soort organisatie",
    "Ontvanger: regio",
    "Gereageerd op",
]
CONSENT_COLUMN = "Mag gepubliceerd worden"
# A cell starting with one of these is a formula to Excel and LibreOffice (OWASP "CSV injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Text a spreadsheet shows as text: a leading formula character gets a quote in front."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def answer_table(campaign):
    """``(header, rows)``: one row per recipient who answered, every cell a string."""
    fields = list(campaign.call_page.form_fields.order_by("sort_order").values_list("clean_name", "label"))
    kinds = dict(Organisation.Kind.choices)
    regions = dict(Organisation.Region.choices)
    header = CONTACT_COLUMNS + [label for _, label in fields] + [CONSENT_COLUMN]
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
            local_time(recipient.answered_at or recipient.response.submit_time),
            *(answer_text(answers.get(name)) for name, _ in fields),
            "ja" if recipient.response.publication_consent else "nee",
        ]
        rows.append(row)
    return header, rows


def answer_text(value):
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return "" if value is None else str(value)


def local_time(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if isinstance(moment, datetime) else ""


def answers_csv(campaign):
    """UTF-8 with a byte order mark, so that Excel reads the accents right."""
    header, rows = answer_table(campaign)
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    for values in [header, *rows]:
        writer.writerow([neutralise(value) for value in values])
    return buffer.getvalue().encode("utf-8")


def answers_xlsx(campaign):
    header, rows = answer_table(campaign)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Antwoorden"
    for values in [header, *rows]:
        sheet.append(values)
    # openpyxl stores a leading "=" as a formula; as a text cell it is shown, never run.
    for row in sheet.iter_rows():
        for cell in row:
            cell.data_type = TYPE_STRING
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
