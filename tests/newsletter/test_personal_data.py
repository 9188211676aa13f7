"""Privacy rights of one address: the export holds everything about it, the erasure leaves only its hash."""

import io
import json

import pytest
from django.core.management import call_command
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from campaigns.factories import CampaignFactory, ContactFactory
from campaigns.models import Campaign, Delivery, Recipient, Suppression, TrackingEvent
from campaigns.models.suppression import address_hash
from campaigns.services.suppression import suppress
from cms.factories import CallForInputPageFactory
from cms.models import CallResponse
from newsletter.factories import SubscriberFactory
from newsletter.models import ConsentRecord, Subscriber
from newsletter.services.personal_data import erase_address, erasure_preview, export_address
from tests.campaigns import ledger
from tests.security.roles import is_refused, make_user

ADDRESS = "Marieke.Zeldzaam@Voorbeeld-Wissen.nl"
TRACES = ("zeldzaam", "voorbeeld-wissen")


@pytest.fixture
def person(site_tree, topics, consent_text):
    """One person known to the site in every way it can know someone."""
    manager = make_user("campaign_manager")
    subscriber = SubscriberFactory(email=ADDRESS, name="Marieke Zeldzaam", topics=topics[:2])
    for source, detail in ((ConsentRecord.Source.SIGNUP_PAGE, ""), (ConsentRecord.Source.IMPORT, "Beurs Zorgdag 2026")):
        record = ConsentRecord.objects.create(
            subscriber=subscriber,
            source=source,
            source_detail=detail,
            page_url="https://example.org/nieuwsbrief/aanmelden/",
            consent_text=consent_text,
            privacy_statement_version=consent_text.privacy_statement_version,
            topic_names=[topic.name for topic in topics[:2]],
            name="Marieke Zeldzaam",
            ip_address="192.0.2.7",
            imported_by=manager if source == ConsentRecord.Source.IMPORT else None,
        )
        record.topics.set(topics[:2])
    contact = ContactFactory(email=ADDRESS.upper(), name="Marieke Zeldzaam")
    log(contact, "wagtail.create", user=manager)

    call = CallForInputPageFactory(parent=site_tree[2], title="Oproep mantelzorg", notify_contact_person=False)
    call_campaign = CampaignFactory(call_page=call, name="Uitnodiging mantelzorg")
    invitation = ledger.start(call_campaign)
    recipient = ledger.recipient(call_campaign, "Marieke Zeldzaam", organisation="Netwerk Voorbeeldstad", answered=True)
    Recipient.objects.filter(pk=recipient.pk).update(email=subscriber.email, contact=contact)
    CallResponse.objects.filter(pk=recipient.response_id).update(
        form_data=ledger.answers(name="Marieke Zeldzaam", email=subscriber.email)
    )
    delivery = ledger.deliver(invitation, recipient, Delivery.Status.BOUNCED, error="550 5.1.1 <***@***>: unknown")
    TrackingEvent.objects.create(
        event_id="ev-1",
        esp="mailgun",
        event_type="bounced",
        delivery=delivery,
        email=subscriber.email,
        payload={"recipient": subscriber.email, "reason": "mailbox full"},
    )
    CallResponse.objects.create(
        page=call,
        form_data=ledger.answers(name="M. Zeldzaam", email="MARIEKE.ZELDZAAM@voorbeeld-wissen.nl"),
        content_hash="x",
    )
    other = CallResponse.objects.create(page=call, form_data=ledger.answers(), content_hash="y")

    newsletter = CampaignFactory(kind=Campaign.Kind.NEWSLETTER, call_page=None, name="Nieuwsbrief maart")
    mailing = ledger.start(newsletter)
    newsletter_recipient = ledger.recipient(newsletter, "Marieke Zeldzaam", organisation="-")
    Recipient.objects.filter(pk=newsletter_recipient.pk).update(subscriber=subscriber, email=subscriber.email)
    ledger.deliver(mailing, newsletter_recipient, Delivery.Status.DELIVERED)
    suppress(subscriber.email, Suppression.Scope.CAMPAIGNS, Suppression.Reason.HARD_BOUNCE, "550 voor " + subscriber.email,
             event={"recipient": subscriber.email}, campaign=call_campaign)
    return {"manager": manager, "other_answer": other, "campaigns": (call_campaign, newsletter)}


def database_text():
    """Every row of every table, as dumpdata writes it."""
    out = io.StringIO()
    call_command("dumpdata", stdout=out)
    return out.getvalue().casefold()


def rows_with(trace):
    """``model pk`` of every dumped row that contains ``trace``."""
    return [
        f"{row['model']} {row['pk']}: {json.dumps(row['fields'], ensure_ascii=False)[:300]}"
        for row in json.loads(database_text())
        if trace in json.dumps(row, ensure_ascii=False).casefold()
    ]


def test_export_holds_subscriber_consent_contact_deliveries_suppressions_and_answers(person):
    data = export_address(ADDRESS)

    json.dumps(data)
    assert data["e-mailadres"] == "marieke.zeldzaam@voorbeeld-wissen.nl"
    subscriber = data["abonnee"]
    assert subscriber["status"] == "Aangemeld" and subscriber["onderwerpen"] == ["Algemene nieuwsbrief", "Zorg en welzijn"]
    imported = next(record for record in subscriber["toestemmingen"] if record["bron"] == "Import")
    assert imported["herkomst"] == "Beurs Zorgdag 2026" and imported["geïmporteerd door"] == "campaign_manager"
    assert imported["toestemmingstekst"]["versie"] == 1 and "één keer per maand" in imported["toestemmingstekst"]["tekst"]
    assert imported["IP-adres"] == "192.0.2.7" and imported["versie privacyverklaring"] == "2026-11"
    assert data["contact"]["naam"] == "Marieke Zeldzaam"
    mailings = {recipient["mailing"]: recipient for recipient in data["ontvangers"]}
    assert set(mailings) == {"Uitnodiging mantelzorg", "Nieuwsbrief maart"}
    assert mailings["Uitnodiging mantelzorg"]["verzendingen"][0]["status"] == "Gebounced"
    assert data["trackinggebeurtenissen"][0]["gegevens"]["reason"] == "mailbox full"
    assert data["blokkeringen"][0]["reden"] == "Onbestelbaar (harde bounce)"
    assert len(data["reacties"]) == 2
    assert all(response["oproep"] == "Oproep mantelzorg" for response in data["reacties"])


def test_export_of_an_unknown_address_is_empty(db):
    data = export_address("niemand@example.org")

    assert data["abonnee"] is None and data["contact"] is None
    assert data["ontvangers"] == data["reacties"] == data["blokkeringen"] == []


def test_erasure_leaves_the_address_nowhere_but_as_its_hash(person):
    assert all(rows_with(trace) for trace in TRACES)
    preview = erasure_preview(ADDRESS)
    assert (preview.subscribers, preview.consent_records, preview.contacts, preview.recipients, preview.responses) == (1, 2, 1, 2, 2)

    summary = erase_address(ADDRESS, person["manager"])

    assert summary == preview
    for trace in TRACES:
        assert not rows_with(trace)
    assert not Subscriber.objects.exists() and not ConsentRecord.objects.exists()
    blocked = Suppression.objects.filter(email_hash=address_hash(ADDRESS))
    assert set(blocked.values_list("scope", flat=True)) == {Suppression.Scope.ALL, Suppression.Scope.CAMPAIGNS}
    assert blocked.get(scope=Suppression.Scope.ALL).reason == Suppression.Reason.ERASED
    assert Suppression.objects.blocking(Suppression.Scope.NEWSLETTER).blocked_addresses([ADDRESS]) == {ADDRESS.lower()}


def test_erasure_keeps_results_countable_and_leaves_others_alone(person):
    call_campaign, newsletter = person["campaigns"]

    erase_address(ADDRESS, person["manager"])

    assert Recipient.objects.filter(campaign=call_campaign).count() == 1
    assert Recipient.objects.get(campaign=call_campaign).answered_at is not None
    assert Delivery.objects.filter(message__campaign=newsletter, status=Delivery.Status.DELIVERED).count() == 1
    assert CallResponse.objects.count() == 3
    assert set(CallResponse.objects.exclude(pk=person["other_answer"].pk).values_list("form_data__naam", flat=True)) == {"[gewist]"}
    person["other_answer"].refresh_from_db()
    assert person["other_answer"].form_data["naam"] == "Sanne Jansen"


def test_erasure_is_in_the_audit_log_without_the_address(person):
    erase_address(ADDRESS, person["manager"])

    entry = ModelLogEntry.objects.get(action="newsletter.personal_data_erased")
    assert entry.user == person["manager"]
    assert entry.data["subscribers"] == 1 and entry.data["responses"] == 2
    assert "zeldzaam" not in json.dumps(entry.data) + entry.label


def test_erasing_twice_changes_nothing_more(person):
    erase_address(ADDRESS, person["manager"])
    second = erase_address(ADDRESS, person["manager"])

    assert (second.subscribers, second.contacts, second.recipients, second.responses) == (0, 0, 0, 0)
    assert Suppression.objects.filter(email_hash=address_hash(ADDRESS), scope=Suppression.Scope.ALL).count() == 1


SCREEN_URL = "/admin/nieuwsbrief/persoonsgegevens/"


def test_the_screen_exports_the_address_as_a_json_download(client, person):
    client.force_login(person["manager"])

    response = client.post(SCREEN_URL, {"email": ADDRESS, "action": "export"})

    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    assert "zeldzaam" not in response["Content-Disposition"]
    assert json.loads(response.content)["abonnee"]["naam"] == "Marieke Zeldzaam"


def test_the_screen_names_what_goes_before_erasing_and_erases_on_confirm(client, person):
    client.force_login(person["manager"])

    preview = client.post(SCREEN_URL, {"email": ADDRESS, "action": "preview"})
    assert preview.status_code == 200 and "Definitief wissen" in preview.text
    assert "Abonnee: <strong>1</strong>, met <strong>2</strong> toestemmingen" in preview.text
    assert Subscriber.objects.exists()

    response = client.post(SCREEN_URL, {"email": ADDRESS, "action": "erase"}, follow=True)
    assert "De gegevens zijn gewist" in response.text
    assert not Subscriber.objects.exists()
    assert not rows_with("zeldzaam")


def test_the_screen_refuses_a_bad_address_and_changes_nothing_on_get(client, person):
    client.force_login(person["manager"])

    assert "Vul een geldig e-mailadres in." in client.post(SCREEN_URL, {"email": "geen-adres", "action": "erase"}).text
    client.get(SCREEN_URL, {"email": ADDRESS, "action": "erase"})
    assert Subscriber.objects.exists()


def test_editors_may_not_open_the_screen(client, person):
    client.force_login(make_user("editor"))

    assert is_refused(client.get(SCREEN_URL))
    assert is_refused(client.post(SCREEN_URL, {"email": ADDRESS, "action": "erase"}))
    assert Subscriber.objects.exists()
