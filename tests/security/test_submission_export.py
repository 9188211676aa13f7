"""Wagtail's own export of a call's submissions: a public answer never reaches a spreadsheet as a formula."""

import csv
import io
from datetime import date, datetime
from datetime import timezone as dt_timezone

import pytest
from django.contrib.auth.models import Group, User
from django.core.cache import cache
from django.urls import reverse
from openpyxl import load_workbook

from campaigns.services.spreadsheets import DATE_FORMAT, DATETIME_FORMAT
from cms.factories import STANDARD_FORM_FIELDS, CallForInputPageFactory
from cms.models import CallResponse

NUMBER_FIELD = {"label": "Aantal vrijwilligers", "field_type": "number", "required": False}
# An editor's field label is a column heading of the export.
HOSTILE_LABEL = {"label": '=HYPERLINK("http://example.org","kolom")', "field_type": "singleline", "required": False}
ORDINARY = {
    "naam": "Sanne Bakker",
    "e_mailadres": "sanne@example.org",
    "organisatie": "Gemeente Tielburg",
    "soort_organisatie": "Gemeente",
    "beschrijving_van_het_initiatief": "Wijkteams ondersteunen mantelzorgers, 2 keer per week.",
    "aantal_vrijwilligers": "12",
}
HOSTILE = {
    **ORDINARY,
    "naam": '=HYPERLINK("http://example.org","klik")',
    "organisatie": "@SUM(1+1)",
    "beschrijving_van_het_initiatief": "-2+3",
    "aantal_vrijwilligers": "-3",
}
# The form strips a leading tab or carriage return; what is left must not run either.
TAB_AND_CR = {**ORDINARY, "naam": "\t=1+1", "organisatie": "+31 6 12345678", "beschrijving_van_het_initiatief": "\r\n=2+2"}


@pytest.fixture
def call(site_tree):
    _, _, calls = site_tree
    return CallForInputPageFactory(
        parent=calls,
        title="Oproep voorbeelden",
        notify_contact_person=False,
        form_fields=[*STANDARD_FORM_FIELDS, NUMBER_FIELD, HOSTILE_LABEL],
    )


@pytest.fixture
def answered(client, call):
    cache.clear()
    for answers in (ORDINARY, HOSTILE, TAB_AND_CR):
        page = client.post(call.url, answers)
        assert "Hartelijk dank voor uw reactie" in page.content.decode()


@pytest.fixture
def editor_client(client, db):
    """An editor of the site's pages, who may therefore read the call's submissions in Wagtail."""
    editor = User.objects.create_user("redacteur", "redacteur@example.org", "geheim-wachtwoord")
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    return client


def export(client, call, export_format):
    response = client.get(reverse("wagtailforms:list_submissions", args=[call.pk]), {"export": export_format})
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.getvalue()


def rows_by_name(rows, name_column):
    return {row[name_column]: row for row in rows[1:]}


def test_csv_export_neutralises_formulas_and_keeps_ordinary_answers(answered, editor_client, call):
    rows = list(csv.reader(io.StringIO(export(editor_client, call, "csv").decode("utf-8"))))

    by_name = rows_by_name(rows, rows[0].index("Naam"))
    ordinary = by_name["Sanne Bakker"]
    assert ORDINARY["beschrijving_van_het_initiatief"] in ordinary
    assert "Gemeente Tielburg" in ordinary and "12" in ordinary
    hostile = by_name["'" + HOSTILE["naam"]]
    assert "'@SUM(1+1)" in hostile and "'-2+3" in hostile
    # A negative number is text here too: "-3" cannot be told from "-3+cmd" by its first character.
    assert "'-3" in hostile
    tab_and_cr = by_name["'=1+1"]
    assert "'+31 6 12345678" in tab_and_cr and "'=2+2" in tab_and_cr
    assert "'" + HOSTILE_LABEL["label"] in rows[0]
    cells = [cell for row in rows for cell in row]
    assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@", "\t", "\r"))]


def test_xlsx_export_stores_formula_looking_answers_as_text_never_as_a_formula(answered, editor_client, call):
    sheet = load_workbook(io.BytesIO(export(editor_client, call, "xlsx"))).active
    rows = [[cell for cell in row] for row in sheet.iter_rows()]

    header = [cell.value for cell in rows[0]]
    by_name = {str(row[header.index("Naam")].value): row for row in rows[1:]}
    hostile = {cell.value: cell.data_type for cell in by_name[HOSTILE["naam"]]}
    for value in (HOSTILE["naam"], "@SUM(1+1)", "-2+3"):
        assert hostile[value] == "s", value
    assert "Sanne Bakker" in by_name
    assert not [cell for row in rows for cell in row if cell.data_type == "f"]


def test_xlsx_export_stores_the_submission_time_dates_and_numbers_typed(client, editor_client, call):
    cache.clear()
    client.post(call.url, {**ORDINARY, "startdatum": "1-3-2027"})
    CallResponse.objects.update(submit_time=datetime(2026, 7, 1, 8, 15, tzinfo=dt_timezone.utc))

    sheet = load_workbook(io.BytesIO(export(editor_client, call, "xlsx"))).active

    header = [cell.value for cell in sheet[1]]
    row = {header[index]: cell for index, cell in enumerate(sheet[2])}
    submitted = row["Datum van inzending"]
    # In Dutch (summer) time: Excel has no time zones.
    assert (submitted.is_date, submitted.value, submitted.number_format) == (True, datetime(2026, 7, 1, 10, 15), DATETIME_FORMAT)
    start = row["Startdatum"]
    # Wagtail's workbook stores dates as ISO dates, which openpyxl reads back as a date rather than a datetime.
    assert (start.is_date, start.value, start.number_format) == (True, date(2027, 3, 1), DATE_FORMAT)
    assert (row["Aantal vrijwilligers"].data_type, row["Aantal vrijwilligers"].value) == ("n", 12)
    assert (row["Naam"].data_type, row["Naam"].value) == ("s", "Sanne Bakker")
