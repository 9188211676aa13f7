"""Organisations, contacts and blocked addresses in the admin (wagtail-modeladmin), under the "Contacten" menu."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from campaigns.demo import seed_contacts
from campaigns.factories import ContactFactory, OrganisationFactory
from campaigns.models import Organisation, Suppression

CONTACTS_URL = reverse("campaigns_contact_modeladmin_index")
ORGANISATIONS_URL = reverse("campaigns_organisation_modeladmin_index")
SUPPRESSIONS_URL = reverse("campaigns_suppression_modeladmin_index")
SUPPRESSION_CREATE_URL = reverse("campaigns_suppression_modeladmin_create")


def listed_names(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return sorted(cell.get_text(" ", strip=True).split(" ")[0] for cell in soup.select("table.listing tbody td.field-name"))


@pytest.fixture
def people(db):
    utrecht = OrganisationFactory(name="Netwerk Palliatieve Zorg Utrecht", region=Organisation.Region.UTRECHT)
    zwolle = OrganisationFactory(
        name="Gemeente Zwolle", kind=Organisation.Kind.MUNICIPALITY, region=Organisation.Region.OVERIJSSEL
    )
    anne = ContactFactory(name="Anne", email="anne@example.org", organisation=utrecht)
    anne.tags.add("mantelzorg")
    ContactFactory(name="Bert", email="bert@example.org", organisation=zwolle)
    ContactFactory(name="Carla", email="carla@example.org", organisation=zwolle, active=False)
    return utrecht, zwolle


@pytest.fixture
def editor(client, django_user_model, db):
    user = django_user_model.objects.create_user("redacteur", "redacteur@example.org", "geheim")
    user.groups.add(Group.objects.get(name="Editors"))
    client.force_login(user)
    return client


def test_contacts_menu_groups_contacts_organisations_and_blocked_addresses(admin_client, db):
    response = admin_client.get(reverse("wagtailadmin_home"))

    assert "Contacten" in response.text
    for label in ("Personen", "Organisaties", "Geblokkeerde adressen"):
        assert label in response.text


def test_contact_list_shows_organisation_kind_region_and_tags(admin_client, people):
    response = admin_client.get(CONTACTS_URL)

    assert response.status_code == 200
    assert listed_names(response) == ["Anne", "Bert", "Carla"]
    text = response.text
    assert "Netwerk palliatieve zorg" in text and "Overijssel" in text and "mantelzorg" in text
    assert "Importeren" in text and "Download CSV" in text


@pytest.mark.parametrize(
    "query, names",
    [
        ({"q": "zwolle"}, ["Bert", "Carla"]),
        ({"q": "anne@example"}, ["Anne"]),
        ({"organisation__kind__exact": "gemeente"}, ["Bert", "Carla"]),
        ({"organisation__region__exact": "utrecht"}, ["Anne"]),
        ({"active__exact": "0"}, ["Carla"]),
        ({"label": "mantelzorg"}, ["Anne"]),
    ],
)
def test_contact_list_search_and_filters(admin_client, people, query, names):
    assert listed_names(admin_client.get(CONTACTS_URL, query)) == names


@pytest.mark.parametrize("url", [CONTACTS_URL, ORGANISATIONS_URL, SUPPRESSIONS_URL])
def test_unknown_filter_in_the_address_shows_the_whole_list(admin_client, people, url):
    response = admin_client.get(url, {"bestaat_niet": "1"}, follow=True)

    assert response.status_code == 200 and response.redirect_chain == [(url, 302)]
    assert "Dat filter bestaat niet" in response.text


def test_organisation_list_filters_by_kind_and_searches_by_name(admin_client, people):
    response = admin_client.get(ORGANISATIONS_URL, {"kind__exact": "gemeente"})

    assert "Gemeente Zwolle" in response.text and "Netwerk Palliatieve Zorg Utrecht" not in response.text
    assert "Netwerk Palliatieve Zorg Utrecht" in admin_client.get(ORGANISATIONS_URL, {"q": "utrecht"}).text


def test_edit_contact(admin_client, people):
    contact = ContactFactory(name="Daan", email="daan@example.org", organisation=people[0])
    url = reverse("campaigns_contact_modeladmin_edit", args=[contact.pk])

    response = admin_client.post(
        url,
        {"name": "Daan de Boer", "email": "DAAN@example.org", "organisation": people[1].pk, "role": "Adviseur",
         "active": "on", "language": "nl", "tags": "gemeenten"},
    )  # fmt: skip

    assert response.status_code == 302
    contact.refresh_from_db()
    assert (contact.name, contact.email, contact.organisation) == ("Daan de Boer", "daan@example.org", people[1])


def test_block_an_address_by_hand_and_lift_the_block(admin_client, db):
    form = {"email": " Iemand@Example.org ", "scope": "all", "detail": "Op verzoek"}

    response = admin_client.post(SUPPRESSION_CREATE_URL, form)

    assert response.status_code == 302
    blocked = Suppression.objects.get()
    assert (blocked.email, blocked.reason) == ("iemand@example.org", Suppression.Reason.MANUAL)
    assert "iemand@example.org" in admin_client.get(SUPPRESSIONS_URL, {"q": "iemand"}).text

    again = admin_client.post(SUPPRESSION_CREATE_URL, {"email": "IEMAND@example.org", "scope": "all"})
    assert again.status_code == 200 and "is al geblokkeerd" in again.text

    admin_client.post(reverse("campaigns_suppression_modeladmin_delete", args=[blocked.pk]), {"note": "Op verzoek opgeheven"})
    assert not Suppression.objects.exists()


def test_blocked_address_cannot_be_edited(admin_client, db):
    blocked = Suppression.objects.create(email="weg@example.org", reason=Suppression.Reason.HARD_BOUNCE)

    response = admin_client.get(reverse("campaigns_suppression_modeladmin_edit", args=[blocked.pk]))

    assert (response.status_code, response.url) == (302, reverse("wagtailadmin_home"))
    assert Suppression.objects.get().email == "weg@example.org"


def test_editor_without_contact_permissions_cannot_reach_the_contact_views(editor, people):
    urls = [
        CONTACTS_URL,
        CONTACTS_URL + "?export=csv",
        ORGANISATIONS_URL,
        SUPPRESSIONS_URL,
        reverse("campaigns_contact_modeladmin_import"),
    ]
    for url in urls:
        response = editor.get(url)
        assert (response.status_code, response.url) == (302, reverse("wagtailadmin_home")), url
    assert "Geblokkeerde adressen" not in editor.get(reverse("wagtailadmin_home")).text


def test_demo_contacts_hold_the_regional_networks_and_are_idempotent(db):
    first = seed_contacts()
    second = seed_contacts()

    networks = Organisation.objects.filter(kind=Organisation.Kind.NETWORK)
    assert 60 <= networks.count() <= 70 and first["organisations"] == Organisation.objects.count()
    assert all(network.name.startswith("Netwerk Palliatieve Zorg ") and network.region for network in networks)
    assert all(network.contacts.filter(email__endswith="@example.org").count() == 1 for network in networks)
    assert Organisation.objects.filter(kind=Organisation.Kind.MUNICIPALITY).exists()
    assert Organisation.objects.filter(kind=Organisation.Kind.WELFARE).exists()
    assert not second


def test_user_with_contact_permissions_lists_and_imports(client, django_user_model, people):
    manager = django_user_model.objects.create_user("beheer", "beheer@example.org", "geheim")
    manager.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        *Permission.objects.filter(content_type__app_label="campaigns", codename__in=["add_contact", "change_contact"]),
    )
    client.force_login(manager)

    listing = client.get(CONTACTS_URL)
    assert listing.status_code == 200 and "anne@example.org" in listing.text and "Importeren" in listing.text
    assert client.get(reverse("campaigns_contact_modeladmin_import")).status_code == 200
    assert client.get(SUPPRESSIONS_URL).url == reverse("wagtailadmin_home")
