"""CSV import of organisations in the admin: the same upload, preview per row and confirm as the contact import."""

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from campaigns.factories import OrganisationFactory
from campaigns.models import Organisation
from tests.security.roles import make_user

from .test_contact_import import preview_counts, preview_rows

UPLOAD_URL = reverse("campaigns_organisation_modeladmin_import")
PREVIEW_URL = reverse("campaigns_organisation_modeladmin_import_preview")
CONFIRM_URL = reverse("campaigns_organisation_modeladmin_import_confirm")
INDEX_URL = reverse("campaigns_organisation_modeladmin_index")

ORGANISATIONS = (
    "Organisatie;Soort;Provincie;Website\r\n"
    "Gemeente Zeist;gemeente;Utrecht;zeist.nl\r\n"
    "Netwerk Palliatieve Zorg Eemland;;Utrecht;\r\n"
    "netwerk palliatieve zorg twente;Netwerk palliatieve zorg;overijssel;\r\n"
    "Buurtzorg Oost;;;\r\n"
    "Ziekenhuis Noord;ziekenhuis;Groningen;\r\n"
    "Gemeente Zeist;gemeente;Utrecht;\r\n"
    ";gemeente;Utrecht;\r\n"
    "Welzijn Delft;Welzijnsorganisatie;Zuid Holland;\r\n"
    "Gemeente Súdwest-Fryslân;Gemeente;Friesland;\r\n"
).encode("cp1252")


@pytest.fixture
def manager_client(client, db):
    client.force_login(make_user("campaign_manager"))
    return client


@pytest.fixture
def existing(db):
    OrganisationFactory(name="Netwerk Palliatieve Zorg Eemland", kind=Organisation.Kind.NETWORK, region="")
    OrganisationFactory(name="Netwerk Palliatieve Zorg Twente", kind=Organisation.Kind.NETWORK, region="overijssel")


def upload(client, data, name="organisaties.csv"):
    return client.post(UPLOAD_URL, {"file": SimpleUploadedFile(name, data, content_type="text/csv")})


def confirm(client, preview):
    soup = BeautifulSoup(preview.content, "html.parser")
    return client.post(CONFIRM_URL, {"fingerprint": soup.select_one("input[name=fingerprint]")["value"]})


def test_the_organisations_list_offers_the_import_to_a_campaign_manager(manager_client):
    listing = BeautifulSoup(manager_client.get(INDEX_URL).content, "html.parser")

    assert listing.find("a", href=UPLOAD_URL).get_text(strip=True) == "Importeren"


def test_preview_says_per_row_what_happens_and_writes_nothing(manager_client, existing):
    response = manager_client.get(upload(manager_client, ORGANISATIONS).url)

    rows = preview_rows(response)
    assert rows[2][0] == "create" and "Gemeente Zeist Gemeente Utrecht" in rows[2][1]
    assert rows[3][0] == "update" and "Netwerk palliatieve zorg Utrecht regio" in rows[3][1]
    assert rows[4][0] == "unchanged" and "Netwerk Palliatieve Zorg Twente" in rows[4][1]
    assert rows[5][0] == "refuse" and "nieuwe organisatie: om die aan te maken is de soort organisatie nodig" in rows[5][1]
    assert rows[6][0] == "refuse" and "onbekende soort 'ziekenhuis'" in rows[6][1]
    assert rows[7][0] == "refuse" and "dubbel in het bestand: dezelfde organisatie staat al in rij 2" in rows[7][1]
    assert rows[8][0] == "refuse" and "naam ontbreekt" in rows[8][1]
    assert rows[9][0] == "create" and "Welzijn Delft Welzijnsorganisatie Zuid-Holland" in rows[9][1]
    assert rows[10][0] == "create" and "Gemeente Súdwest-Fryslân Gemeente Friesland" in rows[10][1]
    assert preview_counts(response) == {"create": 3, "update": 1, "unchanged": 1, "refuse": 4}
    assert "Windows-1252" in response.text and "Genegeerde kolommen: Website" in response.text
    assert "Bevestigen: 4 organisaties importeren" in response.text
    assert Organisation.objects.count() == 2


def test_confirm_creates_and_updates_exactly_what_was_previewed(manager_client, existing):
    preview = manager_client.get(upload(manager_client, ORGANISATIONS).url)

    response = confirm(manager_client, preview)

    assert response.url == INDEX_URL
    assert "Import voltooid: 3 organisaties aangemaakt, 1 bijgewerkt." in manager_client.get(INDEX_URL).text
    assert set(Organisation.objects.values_list("name", "kind", "region")) == {
        ("Gemeente Zeist", "gemeente", "utrecht"),
        ("Netwerk Palliatieve Zorg Eemland", "netwerk", "utrecht"),
        ("Netwerk Palliatieve Zorg Twente", "netwerk", "overijssel"),
        ("Welzijn Delft", "welzijn", "zuid-holland"),
        ("Gemeente Súdwest-Fryslân", "gemeente", "friesland"),
    }


def test_confirm_refuses_when_organisations_changed_after_the_preview(manager_client, existing):
    preview = manager_client.get(upload(manager_client, ORGANISATIONS).url)
    OrganisationFactory(name="Welzijn Delft", kind=Organisation.Kind.WELFARE, region="")

    response = confirm(manager_client, preview)

    assert response.url == PREVIEW_URL
    assert "sinds de voorvertoning gewijzigd" in manager_client.get(PREVIEW_URL).text
    assert not Organisation.objects.filter(name="Gemeente Zeist").exists()


def test_a_file_without_a_name_column_gets_a_clear_error(manager_client):
    response = upload(manager_client, b"soort;regio\r\ngemeente;Utrecht\r\n")

    assert "Verplichte kolom ontbreekt: naam." in response.text
    assert "(naam, en eventueel soort, regio)" in response.text


def test_a_contact_list_is_refused_as_an_organisation_list_with_the_columns_named(manager_client):
    response = upload(manager_client, b"naam;e-mail;organisatie\r\nAnne;anne@example.org;Gemeente Zeist\r\n")

    assert "De kolom &#x27;naam&#x27; staat twee keer in het bestand (&#x27;naam&#x27; en &#x27;organisatie&#x27;" in response.text


def test_editor_without_contact_permissions_cannot_import_organisations(client, db):
    client.force_login(make_user("editor"))

    for response in (client.get(UPLOAD_URL), upload(client, ORGANISATIONS), client.get(PREVIEW_URL), client.post(CONFIRM_URL)):
        assert (response.status_code, response.url) == (302, reverse("wagtailadmin_home"))
    assert Organisation.objects.count() == 0
