"""Subscribers in the admin for campaign managers (never for editors); topics and consent texts for editors."""

import csv
import io

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Permission
from django.urls import reverse
from openpyxl import load_workbook

from newsletter.factories import ConsentTextFactory, SubscriberFactory
from newsletter.models import ConsentRecord, ConsentText, Subscriber
from tests.security.roles import is_refused, make_user

INDEX_URL = reverse("newsletter_subscriber_modeladmin_index")


def inspect_url(subscriber):
    return reverse("newsletter_subscriber_modeladmin_inspect", args=[subscriber.pk])


@pytest.fixture
def subscribers(topics, consent_text):
    general, care, networks = topics
    anna = SubscriberFactory(email="anna@example.org", name="Anna de Boer", topics=[general, care])
    record = ConsentRecord.objects.create(
        subscriber=anna,
        source=ConsentRecord.Source.SIGNUP_PAGE,
        page_url="https://example.org/nieuwsbrief/aanmelden/",
        consent_text=consent_text,
        privacy_statement_version="2026-11",
        topic_names=["Algemene nieuwsbrief", "Zorg en welzijn"],
        ip_address="192.0.2.10",
        confirmed_ip_address="198.51.100.4",
    )
    ConsentRecord.objects.filter(pk=record.pk).update(confirmed_at=anna.confirmed_at)
    bert = SubscriberFactory(email="bert@example.org", name="Bert", topics=[networks])
    carla = SubscriberFactory(email="carla@example.org", name="Carla", status=Subscriber.Status.PENDING, confirmed_at=None)
    return anna, bert, carla


def listed(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return [cell.get_text(" ", strip=True).split(" ")[0] for cell in soup.select("table.listing tbody td.field-email")]


def logged_in(client, role):
    client.force_login(make_user(role))
    return client


def test_campaign_manager_lists_searches_and_filters_subscribers(client, subscribers):
    logged_in(client, "campaign_manager")

    response = client.get(INDEX_URL)
    assert response.status_code == 200
    assert listed(response) == ["anna@example.org", "bert@example.org", "carla@example.org"]
    assert "Algemene nieuwsbrief, Zorg en welzijn" in response.text and "Wacht op bevestiging" in response.text
    assert "Importeren" in response.text
    assert listed(client.get(INDEX_URL, {"q": "boer"})) == ["anna@example.org"]
    assert listed(client.get(INDEX_URL, {"status": "pending"})) == ["carla@example.org"]
    assert listed(client.get(INDEX_URL, {"onderwerp": "netwerken"})) == ["bert@example.org"]


def test_an_unknown_filter_shows_the_whole_list(client, subscribers):
    logged_in(client, "campaign_manager")

    response = client.get(INDEX_URL, {"bestaat_niet": "1"}, follow=True)

    assert len(listed(response)) == 3


def test_inspect_shows_each_consent_record_in_full(client, subscribers):
    logged_in(client, "campaign_manager")

    response = client.get(inspect_url(subscribers[0]))

    assert response.status_code == 200
    record = BeautifulSoup(response.content, "html.parser").select_one("[data-consent-record]").get_text(" ", strip=True)
    for shown in ("Aanmeldpagina", "/nieuwsbrief/aanmelden/", "192.0.2.10", "198.51.100.4", "Versie 1", "2026-11",
                  "één keer per maand", "Algemene nieuwsbrief, Zorg en welzijn"):
        assert shown in record


def test_export_as_csv_and_xlsx_carries_the_consent(client, subscribers):
    logged_in(client, "campaign_manager")

    response = client.get(INDEX_URL, {"export": "csv", "onderwerp": "zorg-en-welzijn"})
    assert response["Content-Disposition"] == 'attachment; filename="abonnees.csv"'
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert [row["e-mail"] for row in rows] == ["anna@example.org"]
    anna = rows[0]
    assert anna["onderwerpen"] == "Algemene nieuwsbrief; Zorg en welzijn" and anna["IP-adres"] == "192.0.2.10"
    assert anna["versie toestemmingstekst"] == "1" and anna["IP-adres bij bevestigen"] == "198.51.100.4"
    assert "één keer per maand" in anna["toestemmingstekst"]

    workbook = load_workbook(io.BytesIO(client.get(INDEX_URL, {"export": "xlsx"}).content))
    sheet = workbook["Abonnees"]
    assert [cell.value for cell in sheet[1]][:4] == ["e-mail", "naam", "onderwerpen", "toestemming"]
    assert sheet.max_row == 4


@pytest.mark.parametrize("role", ["editor", "manager_without_pages"])
def test_who_may_not_see_contacts_may_not_see_subscribers(client, subscribers, role):
    user = make_user(role)
    if role == "manager_without_pages":
        user.groups.clear()
        user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)

    for url in (INDEX_URL, inspect_url(subscribers[0]), INDEX_URL + "?export=csv",
                reverse("newsletter_subscriber_modeladmin_import")):
        assert is_refused(client.get(url)), url
    assert "Abonnees" not in client.get(reverse("wagtailadmin_home")).text


def test_nobody_edits_or_deletes_a_subscriber_here(admin_client, subscribers):
    anna = subscribers[0]
    for action in ("edit", "delete"):
        assert is_refused(admin_client.get(reverse(f"newsletter_subscriber_modeladmin_{action}", args=[anna.pk])))
    assert is_refused(admin_client.get(reverse("newsletter_subscriber_modeladmin_create")))


def editor_with_newsletter_rights(client):
    """An editor who may manage topics and consent texts, as the demo's editors group may."""
    editor = make_user("editor")
    editor.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="newsletter", content_type__model__in=["topic", "consenttext"])
    )
    client.force_login(editor)
    return editor


def test_editors_manage_topics(client, topics):
    editor_with_newsletter_rights(client)

    response = client.get(reverse("wagtailsnippets_newsletter_topic:list"))
    assert response.status_code == 200 and "Netwerken palliatieve zorg" in response.text
    response = client.post(
        reverse("wagtailsnippets_newsletter_topic:add"), {"name": "Mantelzorg", "slug": "mantelzorg", "sort_order": 4, "active": "on"}
    )
    assert response.status_code == 302
    assert "Mantelzorg" in client.get(reverse("wagtailsnippets_newsletter_topic:list")).text


def test_a_consent_text_is_added_as_a_new_version_and_never_edited_or_deleted(client, consent_text):
    editor = editor_with_newsletter_rights(client)

    form = client.get(reverse("wagtailsnippets_newsletter_consenttext:add"))
    assert "kan niet meer worden gewijzigd of verwijderd" in form.text
    response = client.post(
        reverse("wagtailsnippets_newsletter_consenttext:add"),
        {"text": "Ja, stuur mij de nieuwsbrief.", "privacy_statement_version": "2027-01"},
    )
    assert response.status_code == 302
    newest = ConsentText.current()
    assert (newest.version, newest.created_by) == (2, editor)
    assert "Ja, stuur mij de nieuwsbrief." in client.get(reverse("wagtailsnippets_newsletter_consenttext:inspect", args=[newest.pk])).text
    for name in ("edit", "delete"):
        assert is_refused(client.get(reverse(f"wagtailsnippets_newsletter_consenttext:{name}", args=[consent_text.pk])))
    assert is_refused(client.post(reverse("wagtailsnippets_newsletter_consenttext:edit", args=[consent_text.pk]), {"text": "Anders"}))
    consent_text.refresh_from_db()
    assert consent_text.text != "Anders"


def test_the_newsletter_menu_holds_subscribers_topics_and_consent_texts(admin_client, db):
    ConsentTextFactory()
    text = admin_client.get(reverse("wagtailadmin_home")).text

    assert "Nieuwsbrief" in text
    for label in ("Abonnees", "Onderwerpen", "Toestemmingsteksten", "Persoonsgegevens"):
        assert label in text, label
