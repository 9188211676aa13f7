"""CSV import of contacts in the admin: a preview per row, then one confirmed, all-or-nothing import."""

import time

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from campaigns.factories import ContactFactory, OrganisationFactory
from campaigns.models import Contact, Organisation
from campaigns.services.contact_import import plan_import
from tests.security.roles import make_user

UPLOAD_URL = reverse("campaigns_contact_modeladmin_import")
PREVIEW_URL = reverse("campaigns_contact_modeladmin_import_preview")
CONFIRM_URL = reverse("campaigns_contact_modeladmin_import_confirm")
INDEX_URL = reverse("campaigns_contact_modeladmin_index")


def upload(client, data, name="contacten.csv"):
    return client.post(UPLOAD_URL, {"file": SimpleUploadedFile(name, data, content_type="text/csv")})


def preview_rows(response):
    """{line: (action, text of the row)} from the preview tables."""
    soup = BeautifulSoup(response.content, "html.parser")
    return {int(tr["data-line"]): (tr["data-action"], tr.get_text(" ", strip=True)) for tr in soup.select("tr[data-line]")}


def new_organisations(response):
    """[(name, kind, region, number of contacts)] from the preview's table of organisations to create."""
    soup = BeautifulSoup(response.content, "html.parser")
    return [tuple(td.get_text(strip=True) for td in tr.select("td")) for tr in soup.select("tr[data-organisation]")]


def preview_counts(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return {strong["data-count"]: int(strong.get_text()) for strong in soup.select("[data-count]")}


def fingerprint(preview):
    return BeautifulSoup(preview.content, "html.parser").select_one("input[name=fingerprint]")["value"]


def confirm(client, preview):
    return client.post(CONFIRM_URL, {"fingerprint": fingerprint(preview)})


@pytest.fixture
def network(db):
    return OrganisationFactory(name="Netwerk Palliatieve Zorg Utrecht")


MESSY = (
    "\ufeffNaam;E-mail;Organisatie;Functie;Actief;Labels;Opmerking\r\n"
    "Anne de Vries;anne@example.org;Netwerk Palliatieve Zorg Utrecht;Coördinator;ja;mantelzorg, ouderenzorg;x\r\n"
    "Bert Bakker;bert@example;Netwerk Palliatieve Zorg Utrecht;;;;\r\n"
    "Carla Cohen;carla@example.org;Netwerk Nergens;;;;\r\n"
    "Anne Dubbel;ANNE@example.org;;;;;\r\n"
    ";naamloos@example.org;;;;;\r\n"
    "Bestaand Persoon;bestaand@example.org;netwerk palliatieve zorg utrecht;Nieuwe functie;nee;;\r\n"
    "Gelijk Persoon;gelijk@example.org;;;;;\r\n"
    "\r\n"
    "Eva Evers;eva@example.org;;;misschien;;\r\n"
).encode("utf-8")


def test_preview_shows_per_row_outcome_of_a_messy_file_and_writes_nothing(admin_client, network):
    ContactFactory(name="Bestaand Persoon", email="bestaand@example.org", organisation=None, role="Oud")
    ContactFactory(name="Gelijk Persoon", email="gelijk@example.org", organisation=None)

    response = admin_client.get(upload(admin_client, MESSY).url)

    assert response.status_code == 200
    rows = preview_rows(response)
    assert rows[2][0] == "create"
    assert rows[3][0] == "refuse" and "ongeldig e-mailadres 'bert@example'" in rows[3][1]
    assert rows[4][0] == "refuse" and "onbekende organisatie 'Netwerk Nergens'" in rows[4][1]
    assert rows[5][0] == "refuse" and "dubbel in het bestand" in rows[5][1] and "rij 2" in rows[5][1]
    assert rows[6][0] == "refuse" and "naam ontbreekt" in rows[6][1]
    assert rows[7][0] == "update" and "organisatie, functie, actief" in rows[7][1]
    assert rows[8][0] == "unchanged"
    assert rows[10][0] == "refuse" and "actief moet ja of nee zijn" in rows[10][1]
    assert preview_counts(response) == {"create": 1, "update": 1, "unchanged": 1, "refuse": 5}
    assert "UTF-8" in response.text and "puntkomma" in response.text and "Opmerking" in response.text
    counts = BeautifulSoup(response.content, "html.parser").select_one("[data-import-counts]").get_text(" ", strip=True)
    assert "1 wordt aangemaakt" in counts and "1 wordt bijgewerkt" in counts
    assert Contact.objects.count() == 2


def test_preview_names_the_labels_the_import_would_create(admin_client, network):
    ContactFactory(email="al@example.org").tags.add("Mantelzorg")
    data = "naam;e-mail;labels\r\nAnne;anne@example.org;mantelzorg, mantelzrog\r\n".encode()

    response = admin_client.get(upload(admin_client, data).url)

    new_tags = BeautifulSoup(response.content, "html.parser").find(id="import-new-tags").get_text(" ", strip=True)
    assert "mantelzrog" in new_tags and "mantelzorg" not in new_tags.replace("mantelzrog", "")


def test_confirm_imports_exactly_the_valid_rows(admin_client, network):
    ContactFactory(name="Bestaand Persoon", email="bestaand@example.org", organisation=None, role="Oud")
    preview = admin_client.get(upload(admin_client, MESSY).url)

    response = confirm(admin_client, preview)

    assert response.status_code == 302 and response.url == INDEX_URL
    assert set(Contact.objects.values_list("email", flat=True)) == {
        "anne@example.org",
        "bestaand@example.org",
        "gelijk@example.org",
    }
    anne = Contact.objects.get(email="anne@example.org")
    assert (anne.name, anne.organisation, anne.role, anne.active) == ("Anne de Vries", network, "Coördinator", True)
    assert sorted(anne.tags.names()) == ["mantelzorg", "ouderenzorg"]
    existing = Contact.objects.get(email="bestaand@example.org")
    assert (existing.organisation, existing.role, existing.active) == (network, "Nieuwe functie", False)
    assert "2 contacten aangemaakt, 1 bijgewerkt" in admin_client.get(INDEX_URL).text


def test_confirm_refuses_when_contacts_changed_after_the_preview(admin_client, network):
    preview = admin_client.get(upload(admin_client, MESSY).url)
    ContactFactory(email="anne@example.org", organisation=None)

    response = confirm(admin_client, preview)

    assert response.url == PREVIEW_URL
    assert not Contact.objects.filter(email__in=["bestaand@example.org", "gelijk@example.org"]).exists()
    again = admin_client.get(PREVIEW_URL)
    assert "sinds de voorvertoning gewijzigd" in again.text
    assert preview_rows(again)[2][0] == "update"


def test_confirm_without_an_upload_imports_nothing(admin_client, db):
    response = admin_client.post(CONFIRM_URL, {"fingerprint": "x"})

    assert response.url == UPLOAD_URL
    assert Contact.objects.count() == 0


@pytest.mark.parametrize(
    "data, message",
    [
        ("Naam;Organisatie\nAnne;Netwerk\n".encode(), "Verplichte kolom ontbreekt: e-mail"),
        ("Functie,Labels\nx,y\n".encode(), "Verplichte kolommen ontbreken: naam, e-mail"),
        (b"", "Het bestand is leeg"),
        (b"PK\x03\x04\x00\x00binary", "Dit is geen CSV-bestand"),
    ],
)
def test_unusable_file_gets_a_clear_error_and_nothing_is_imported(admin_client, db, data, message):
    response = upload(admin_client, data)

    assert response.status_code == 200
    assert message in response.text
    assert Contact.objects.count() == 0


def test_file_over_five_megabytes_is_refused(admin_client, db):
    data = b"naam,email\n" + b"Anne,anne@example.org\n" * 260_000

    response = upload(admin_client, data)

    assert "Het bestand is te groot" in response.text and "het maximum is 5 MB" in response.text


def test_windows_1252_file_with_english_headers_and_commas(db):
    data = "Name,Email,Role,Language\nJosé Müller,jose@example.org,Coördinator,English\n".encode("cp1252")

    plan = plan_import(data)

    assert plan.encoding == "Windows-1252" and plan.delimiter == "komma"
    (row,) = plan.rows
    assert (row.action, row.values["name"], row.values["role"], row.values["language"]) == (
        "create",
        "José Müller",
        "Coördinator",
        "en",
    )


def test_name_with_a_line_break_is_refused(db):
    plan = plan_import('naam,email\n"Anne\nBcc: x@example.org",anne@example.org\n'.encode())

    assert plan.rows[0].action == "refuse" and "regeleinde" in plan.rows[0].reasons[0]


def test_ten_thousand_rows_preview_and_import(admin_client, network, capsys):
    lines = ["naam;e-mail;organisatie;labels"] + [
        f"Contact {n};contact{n}@example.org;Netwerk Palliatieve Zorg Utrecht;regio{n % 5}" for n in range(10_000)
    ]
    data = ("\r\n".join(lines) + "\r\n").encode("utf-8-sig")

    started = time.monotonic()
    preview = admin_client.get(upload(admin_client, data).url)
    previewed = time.monotonic()
    response = confirm(admin_client, preview)
    imported = time.monotonic()

    assert preview_counts(preview) == {"create": 10_000, "update": 0, "unchanged": 0, "refuse": 0}
    assert "En nog 9500 rijen" in preview.text
    assert response.url == INDEX_URL
    assert Contact.objects.filter(organisation=network).count() == 10_000
    assert Contact.objects.filter(tags__name="regio3").count() == 2_000
    with capsys.disabled():
        print(f"\n10,000-row import: upload+preview {previewed - started:.2f} s, confirm {imported - previewed:.2f} s")


def test_editor_without_contact_permissions_cannot_import(client, django_user_model, db):
    editor = django_user_model.objects.create_user("redacteur", "redacteur@example.org", "geheim")
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)

    for response in (client.get(UPLOAD_URL), client.get(PREVIEW_URL), client.post(CONFIRM_URL)):
        assert (response.status_code, response.url) == (302, reverse("wagtailadmin_home"))
    assert Contact.objects.count() == 0


NEW_ORGANISATIONS = [
    (f"Gemeente {town}", "gemeente", "Gemeente", region)
    for town, region in (("Zeist", "Utrecht"), ("Assen", "Drenthe"), ("Venlo", "Limburg"), ("Goes", "Zeeland"))
] + [
    (f"Netwerk Palliatieve Zorg {area}", "Netwerk palliatieve zorg", "Netwerk palliatieve zorg", region)
    for area, region in (
        ("Twente", "overijssel"), ("Friesland", "FRIESLAND"), ("Almere", "Flevoland"), ("Kennemerland", "Noord Holland")
    )
] + [
    (f"Welzijn {town}", "WELZIJN", "Welzijnsorganisatie", region)
    for town, region in (
        ("Breda", "Noord-Brabant"), ("Delft", "Zuid-Holland"), ("Arnhem", "gelderland"), ("Groningen", "Groningen")
    )
]


def three_hundred_contacts():
    """300 contacts, 25 in each of 12 organisations that do not exist yet; kind and region spelt as people do."""
    lines = ["Naam;E-mail;Organisatie;Soort organisatie;Regio;Functie"]
    for number in range(300):
        name, kind, _, region = NEW_ORGANISATIONS[number % 12]
        lines.append(f"Contact {number};contact{number}@example.org;{name};{kind};{region};Coördinator")
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def test_300_contacts_from_12_new_organisations_in_one_go(client, db, capsys):
    client.force_login(make_user("campaign_manager"))

    started = time.monotonic()
    preview = client.get(upload(client, three_hundred_contacts()).url)
    previewed = time.monotonic()

    assert preview_counts(preview) == {"create": 300, "update": 0, "unchanged": 0, "refuse": 0}
    heading = BeautifulSoup(preview.content, "html.parser").find(id="import-new-organisations").get_text(strip=True)
    assert heading == "12 nieuwe organisaties"
    assert sorted(new_organisations(preview))[0] == ("Gemeente Assen", "Gemeente", "Drenthe", "25")
    kennemerland = ("Netwerk Palliatieve Zorg Kennemerland", "Netwerk palliatieve zorg", "Noord-Holland", "25")
    assert kennemerland in new_organisations(preview)
    assert "Bevestigen: 300 contacten importeren en 12 organisaties aanmaken" in preview.text
    assert "Gemeente Zeist (nieuw)" in preview_rows(preview)[2][1]
    assert Organisation.objects.count() == 0 and Contact.objects.count() == 0

    confirmed = fingerprint(preview)
    confirming = time.monotonic()
    response = client.post(CONFIRM_URL, {"fingerprint": confirmed})
    imported = time.monotonic()

    assert response.url == INDEX_URL
    assert "300 contacten aangemaakt, 0 bijgewerkt. 12 nieuwe organisaties aangemaakt." in client.get(INDEX_URL).text
    created = {(o.name, o.get_kind_display(), o.get_region_display()) for o in Organisation.objects.all()}
    assert created == {
        (name, label, Organisation.Region(region.lower().replace(" ", "-")).label) for name, _, label, region in NEW_ORGANISATIONS
    }
    assert all(organisation.contacts.count() == 25 for organisation in Organisation.objects.all())
    with capsys.disabled():
        print(f"\n300 rows, 12 new organisations: upload+preview {previewed - started:.2f} s, confirm {imported - confirming:.2f} s")


def test_unknown_organisation_is_refused_when_the_row_does_not_give_its_kind(admin_client, db):
    data = "naam;e-mail;organisatie;regio\r\nAnne;anne@example.org;Gemeente Nergens;Utrecht\r\n".encode()

    response = admin_client.get(upload(admin_client, data).url)

    action, text = preview_rows(response)[2]
    assert action == "refuse"
    assert "onbekende organisatie 'Gemeente Nergens': om die aan te maken is de soort organisatie nodig" in text
    assert not new_organisations(response)


def test_conflicting_kinds_for_one_new_organisation_refuse_all_its_rows(admin_client, db):
    data = (
        "naam;e-mail;organisatie;soort organisatie\r\n"
        "Anne;anne@example.org;Samen Oud;Gemeente\r\n"
        "Bert;bert@example.org;Samen Oud;Welzijnsorganisatie\r\n"
        "Carla;carla@example.org;Buurtzorg Oost;zorgaanbieder\r\n"
    ).encode()
    preview = admin_client.get(upload(admin_client, data).url)

    rows = preview_rows(preview)
    for line in (2, 3):
        assert rows[line][0] == "refuse"
        assert "nieuwe organisatie 'Samen Oud' staat met verschillende soorten in het bestand" in rows[line][1]
        assert "Gemeente in rij 2, Welzijnsorganisatie in rij 3" in rows[line][1]
    assert rows[4][0] == "create"
    confirm(admin_client, preview)
    assert list(Organisation.objects.values_list("name", "kind")) == [("Buurtzorg Oost", "zorgaanbieder")]
    assert list(Contact.objects.values_list("email", flat=True)) == ["carla@example.org"]


def test_a_new_organisation_named_in_several_rows_is_created_once_from_the_rows_that_describe_it(admin_client, db):
    data = (
        "naam;e-mail;organisatie;soort;regio\r\n"
        "Anne;anne@example.org;Gemeente Zeist;;\r\n"
        "Bert;bert@example.org;gemeente zeist;Gemeente;\r\n"
        "Carla;carla@example.org;GEMEENTE ZEIST;;utrecht\r\n"
    ).encode()

    confirm(admin_client, admin_client.get(upload(admin_client, data).url))

    zeist = Organisation.objects.get()
    assert (zeist.name, zeist.kind, zeist.region) == ("Gemeente Zeist", "gemeente", "utrecht")
    assert zeist.contacts.count() == 3


def test_names_of_new_organisations_are_shown_as_text(admin_client, db):
    data = "naam;e-mail;organisatie;soort\r\nAnne;anne@example.org;<b onmouseover=x()>Zeist</b>;gemeente\r\n".encode()

    response = admin_client.get(upload(admin_client, data).url)

    assert new_organisations(response) == [("<b onmouseover=x()>Zeist</b>", "Gemeente", "–", "1")]
    assert "<b onmouseover" not in response.text


def test_unknown_kind_or_region_is_refused_with_what_is_allowed(admin_client, db):
    data = (
        "naam;e-mail;organisatie;soort organisatie;regio\r\n"
        "Anne;anne@example.org;Ziekenhuis Noord;ziekenhuis;Groningen\r\n"
        "Bert;bert@example.org;Gemeente Breda;Gemeente;Brabant\r\n"
    ).encode()

    rows = preview_rows(admin_client.get(upload(admin_client, data).url))

    assert rows[2][0] == "refuse" and "onbekende soort 'ziekenhuis' (kies uit: Netwerk palliatieve zorg, Gemeente," in rows[2][1]
    assert rows[3][0] == "refuse" and "onbekende regio 'Brabant' (een provincie of Landelijk)" in rows[3][1]


def test_kind_and_region_cells_leave_an_existing_organisation_as_it_is(admin_client, network):
    data = f"naam;e-mail;organisatie;soort organisatie;regio\r\nAnne;anne@example.org;{network.name};Gemeente;Limburg\r\n".encode()

    confirm(admin_client, admin_client.get(upload(admin_client, data).url))

    network.refresh_from_db()
    assert (network.kind, network.region) == ("netwerk", "utrecht")
    assert Contact.objects.get().organisation == network


def test_confirm_refuses_when_the_new_organisation_was_created_after_the_preview(admin_client, db):
    data = "naam;e-mail;organisatie;soort organisatie\r\nAnne;anne@example.org;Gemeente Zeist;Gemeente\r\n".encode()
    preview = admin_client.get(upload(admin_client, data).url)
    OrganisationFactory(name="Gemeente Zeist", kind=Organisation.Kind.MUNICIPALITY)

    response = confirm(admin_client, preview)

    assert response.url == PREVIEW_URL
    assert "sinds de voorvertoning gewijzigd" in admin_client.get(PREVIEW_URL).text
    assert Contact.objects.count() == 0 and Organisation.objects.count() == 1


def test_who_may_import_contacts_but_not_add_organisations_gets_those_rows_refused(client, django_user_model, db):
    user = django_user_model.objects.create_user("contactbeheer", "contactbeheer@example.org", "geheim")
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["access_admin", "add_contact", "change_contact", "view_contact"])
    )
    client.force_login(user)
    data = "naam;e-mail;organisatie;soort organisatie\r\nAnne;anne@example.org;Gemeente Zeist;Gemeente\r\n".encode()

    preview = client.get(upload(client, data).url)

    action, text = preview_rows(preview)[2]
    assert action == "refuse" and "onbekende organisatie 'Gemeente Zeist' (u mag geen organisaties aanmaken)" in text
    assert Organisation.objects.count() == 0
