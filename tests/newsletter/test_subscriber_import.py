"""CSV import of subscribers: every row needs its consent, blocked addresses are refused, imported ones get a confirmation only."""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from campaigns.models import Suppression
from campaigns.services.suppression import suppress
from newsletter.factories import SubscriberFactory
from newsletter.models import ConsentRecord, Subscriber
from newsletter.services import subscriber_import
from newsletter.services.confirmation_mail import CONFIRM_SUBJECT
from newsletter.services.personal_data import erase_address
from tests.security.roles import make_user

UPLOAD_URL = reverse("newsletter_subscriber_modeladmin_import")
PREVIEW_URL = reverse("newsletter_subscriber_modeladmin_import_preview")
CONFIRM_URL = reverse("newsletter_subscriber_modeladmin_import_confirm")

FILE = (
    "e-mail;naam;onderwerpen;toestemming\n"
    "Nieuw@Example.org;Nina Nieuw;algemeen|Zorg en welzijn;Inschrijflijst congres 12-03-2026\n"
    "zonder@example.org;Zonder Toestemming;algemeen;\n"
    "gewist@example.org;;algemeen;Beurs 2025\n"
    "gebounced@example.org;;algemeen;Beurs 2025\n"
    "bekend@example.org;Bekend;algemeen;Beurs 2025\n"
    "uitbreiding@example.org;;algemeen, netwerken;Beurs 2025\n"
    "onbekend@example.org;;tuinieren;Beurs 2025\n"
    "geen-adres;;algemeen;Beurs 2025\n"
    "nieuw@example.org;Dubbel;algemeen;Beurs 2025\n"
).encode()


@pytest.fixture
def known(topics, consent_text):
    general, care, networks = topics
    SubscriberFactory(email="bekend@example.org", topics=[general])
    SubscriberFactory(email="uitbreiding@example.org", topics=[general])
    SubscriberFactory(email="gewist@example.org")
    erase_address("gewist@example.org", None)
    suppress("gebounced@example.org", Suppression.Scope.ALL, Suppression.Reason.HARD_BOUNCE, "550")
    return topics


def by_line(plan):
    return {row.line: row for row in plan.rows}


def test_the_plan_refuses_each_bad_row_with_its_reason(known):
    rows = by_line(subscriber_import.plan_import(FILE))

    assert rows[2].action == "create" and rows[2].email == "nieuw@example.org"
    assert rows[2].topic_names == ["Algemene nieuwsbrief", "Zorg en welzijn"]
    assert rows[3].reasons == ["toestemming ontbreekt: vul in waar en wanneer deze persoon toestemming gaf"]
    assert rows[4].reasons == ["staat op de blokkeerlijst (gegevens gewist op verzoek): dit adres mag niet worden gemaild"]
    assert rows[5].reasons == ["staat op de blokkeerlijst (onbestelbaar (harde bounce)): dit adres mag niet worden gemaild"]
    assert rows[6].action == "unchanged"
    assert rows[7].action == "update"
    assert rows[8].reasons == ["onbekend onderwerp 'tuinieren'"]
    assert rows[9].reasons == ["ongeldig e-mailadres 'geen-adres'"]
    assert rows[10].reasons == ["dubbel in het bestand: hetzelfde e-mailadres staat al in rij 2"]


def test_a_file_without_the_consent_column_is_refused(known):
    with pytest.raises(subscriber_import.ImportFileError, match="Verplichte kolom ontbreekt: toestemming"):
        subscriber_import.read_file(b"e-mail;naam\nnieuw@example.org;Nina\n")


def test_preview_then_confirm_signs_up_pending_with_an_import_consent(client, known, consent_text):
    manager = make_user("campaign_manager")
    client.force_login(manager)
    upload = client.post(UPLOAD_URL, {"file": _file(FILE)})
    assert upload.status_code == 302

    preview = client.get(PREVIEW_URL)
    assert preview.status_code == 200
    assert "toestemming ontbreekt" in preview.text and "gegevens gewist op verzoek" in preview.text
    assert "Bevestigen: 2 adressen importeren" in preview.text
    assert Subscriber.objects.count() == 2

    done = client.post(CONFIRM_URL, {"fingerprint": preview.context["plan"].fingerprint}, follow=True)
    assert "1 nieuwe en 1 bekende adressen aangemeld" in done.text

    nina = Subscriber.objects.get(email="nieuw@example.org")
    assert nina.status == Subscriber.Status.PENDING and not nina.topics.exists()
    record = nina.consents.get()
    assert (record.source, record.source_detail, record.imported_by) == (
        ConsentRecord.Source.IMPORT, "Inschrijflijst congres 12-03-2026", manager
    )
    assert record.consent_text == consent_text and record.topic_names == ["Algemene nieuwsbrief", "Zorg en welzijn"]
    assert Subscriber.objects.get(email="uitbreiding@example.org").consents.get().confirmed_at is None
    assert record.confirmation_mails == 1
    assert not Subscriber.objects.filter(email__in=["gewist@example.org", "zonder@example.org"]).exists()


def test_imported_addresses_get_their_confirmation_mail_and_nothing_else_through_a_real_worker(
    celery_worker, smtp_sink, known, consent_text
):
    manager = make_user("campaign_manager")
    plan = subscriber_import.plan_import(FILE)

    subscriber_import.apply_import(FILE, plan.fingerprint, manager)

    messages = smtp_sink.wait_for(2)
    time.sleep(1)
    assert len(smtp_sink.messages) == 2, celery_worker.log()
    assert sorted(message["To"] for message in messages) == ["nieuw@example.org", "uitbreiding@example.org"]
    assert {message["Subject"] for message in messages} == {CONFIRM_SUBJECT}
    assert not Subscriber.objects.filter(status=Subscriber.Status.CONFIRMED, email="nieuw@example.org").exists()


def test_a_changed_list_since_the_preview_imports_nothing(client, known):
    client.force_login(make_user("campaign_manager"))
    client.post(UPLOAD_URL, {"file": _file(FILE)})
    fingerprint = client.get(PREVIEW_URL).context["plan"].fingerprint
    suppress("nieuw@example.org", Suppression.Scope.NEWSLETTER, Suppression.Reason.COMPLAINT, "klacht")

    response = client.post(CONFIRM_URL, {"fingerprint": fingerprint}, follow=True)

    assert "sinds de voorvertoning gewijzigd" in response.text
    assert not Subscriber.objects.filter(email="nieuw@example.org").exists()


def test_without_a_consent_text_there_is_nothing_to_import_into(client, topics):
    client.force_login(make_user("campaign_manager"))

    response = client.post(UPLOAD_URL, {"file": _file(FILE)})

    assert "Er is nog geen toestemmingstekst" in response.text


def _file(data):
    return SimpleUploadedFile("abonnees.csv", data, content_type="text/csv")
