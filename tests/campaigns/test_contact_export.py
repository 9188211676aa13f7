"""Export of the (filtered) contact list as CSV and XLSX, safe to open in a spreadsheet."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from campaigns.factories import ContactFactory, OrganisationFactory
from campaigns.models import Organisation
from campaigns.services.contact_import import plan_import

CONTACTS_URL = reverse("campaigns_contact_modeladmin_index")


@pytest.fixture
def people(db):
    utrecht = OrganisationFactory(name="Netwerk Palliatieve Zorg Utrecht", region=Organisation.Region.UTRECHT)
    zwolle = OrganisationFactory(name="Gemeente Zwolle", kind=Organisation.Kind.MUNICIPALITY, region="overijssel")
    anne = ContactFactory(name="Anne", email="anne@example.org", organisation=utrecht, role="Coördinator")
    anne.tags.add("mantelzorg", "ouderenzorg")
    ContactFactory(name="=HYPERLINK(\"http://evil.example\")", email="bert@example.org", organisation=zwolle)
    ContactFactory(name="Carla", email="carla@example.org", organisation=zwolle, active=False)


def csv_rows(response):
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def test_csv_export_holds_the_filtered_contacts(admin_client, people):
    response = admin_client.get(CONTACTS_URL, {"organisation__kind__exact": "gemeente", "export": "csv"})

    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert 'filename="contacten.csv"' in response["Content-Disposition"]
    header, *rows = csv_rows(response)
    assert header == ["naam", "e-mail", "organisatie", "soort organisatie", "regio", "functie", "actief", "labels", "taal"]
    assert sorted(row[1] for row in rows) == ["bert@example.org", "carla@example.org"]
    carla = next(row for row in rows if row[1] == "carla@example.org")
    assert carla[2:5] == ["Gemeente Zwolle", "Gemeente", "Overijssel"] and carla[6] == "nee"


def test_csv_export_respects_search_and_lists_tags(admin_client, people):
    (_, anne) = csv_rows(admin_client.get(CONTACTS_URL, {"q": "anne", "export": "csv"}))

    assert anne[:2] == ["Anne", "anne@example.org"] and anne[5] == "Coördinator" and anne[7] == "mantelzorg, ouderenzorg"


def test_exported_formula_is_neutralised(admin_client, people):
    rows = csv_rows(admin_client.get(CONTACTS_URL, {"q": "bert", "export": "csv"}))

    assert rows[1][0] == "'=HYPERLINK(\"http://evil.example\")"


def test_xlsx_export_holds_the_filtered_contacts_as_text(admin_client, people):
    response = admin_client.get(CONTACTS_URL, {"active__exact": "1", "export": "xlsx"})

    assert response.status_code == 200 and 'filename="contacten.xlsx"' in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("naam", "e-mail")
    assert sorted(row[1] for row in rows[1:]) == ["anne@example.org", "bert@example.org"]
    assert all(cell.data_type == "s" for row in sheet.iter_rows(min_row=2) for cell in row if cell.value)


def test_exported_csv_imports_again_unchanged(admin_client, people):
    exported = admin_client.get(CONTACTS_URL, {"q": "anne", "export": "csv"}).content

    (row,) = plan_import(exported).rows
    assert row.action == "unchanged"
