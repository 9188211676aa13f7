"""Editor text, imported names and public answers are shown as text in every HTML page and mail, never run."""

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core import mail
from django.urls import reverse
from django.utils.html import escape

from campaigns.factories import CampaignFactory, ContactFactory, OrganisationFactory
from campaigns.models import Delivery
from cms.factories import CallForInputPageFactory, ContactPersonFactory
from cms.models import CallResponse, ExampleIndexPage, ExamplePage
from cms.services.notifications import notify_contact_person
from tests.campaigns import ledger

SCRIPT = '<script>document.getElementById("w-editor-form").submit()</script>'
IMAGE = '<img src=x onerror="alert(1)">'
SVG = "<svg onload=alert(2)>"
FRAME = "<iframe src=javascript:alert(3)>"
BODY = f"Beste {{naam}} van {{organisatie}},\n\n{SCRIPT}\n\n{IMAGE}\n\nReageer via {{link}}"


def shown_as_text(html, *markup):
    """Every piece of ``markup`` is in ``html`` escaped, and nowhere as a live tag."""
    for piece in markup:
        assert escape(piece) in html, piece
        assert piece not in html, piece


@pytest.fixture
def campaign_manager(db):
    """May prepare and launch campaigns (the account an editor's script would act as)."""
    user = User.objects.create_user("campagnebeheerder", "beheer@example.org", "geheim-wachtwoord")
    user.groups.add(Group.objects.get(name="Editors"))
    codenames = ["add_campaign", "change_campaign", "delete_campaign", "launch_campaign"]
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="campaigns", codename__in=codenames))
    return user


@pytest.fixture
def hostile_campaign(site_tree):
    """An editor's invitation with markup in subject and body, to a contact and organisation named with markup."""
    _, _, calls = site_tree
    call = CallForInputPageFactory(parent=calls, title="Oproep nieuwe initiatieven", notify_contact_person=False)
    contact = ContactFactory(name=f"Jan {SVG}", organisation=OrganisationFactory(name=f"Netwerk {FRAME}"))
    campaign = CampaignFactory(call_page=call, invitation_subject=f"Uitnodiging {IMAGE}", invitation_body=BODY)
    return campaign, contact


def test_preview_shows_editor_and_imported_markup_as_text(client, campaign_manager, hostile_campaign):
    campaign, contact = hostile_campaign
    client.force_login(campaign_manager)

    response = client.get(reverse("campaigns:preview", args=[campaign.pk]), {"ontvanger": contact.pk})

    assert response.status_code == 200
    html = response.content.decode()
    plain_text = html.split("Platte tekst", 1)[1].split("</pre>", 1)[0]
    shown_as_text(plain_text, SCRIPT, IMAGE, SVG, FRAME)
    shown_as_text(html, SCRIPT, IMAGE, SVG, FRAME)


def test_test_mail_html_shows_the_markup_as_text(client, campaign_manager, hostile_campaign):
    campaign, contact = hostile_campaign
    client.force_login(campaign_manager)

    client.post(reverse("campaigns:test_send", args=[campaign.pk]), {"ontvanger": contact.pk, "mail": "Uitnodiging"})

    sent = mail.outbox[0]
    shown_as_text(sent.alternatives[0][0], SCRIPT, IMAGE, SVG, FRAME)
    # The plain-text part is text: there the editor's words stand as written.
    assert SCRIPT in sent.body and f"Jan {SVG}" in sent.body


def test_results_page_shows_names_answers_and_failure_reasons_as_text(admin_client, hostile_campaign):
    campaign, _ = hostile_campaign
    invitation = ledger.start(campaign)
    answered = ledger.recipient(campaign, f"Anna {SVG}", organisation=f"Netwerk {FRAME}", answered=True, consent=True)
    waiting = ledger.recipient(campaign, f"Bram {IMAGE}")
    ledger.deliver(invitation, answered, Delivery.Status.DELIVERED)
    ledger.deliver(invitation, waiting, Delivery.Status.FAILED, error=f"550 {SCRIPT}")

    html = admin_client.get(reverse("campaigns_results", args=[campaign.pk])).content.decode()

    shown_as_text(html, SCRIPT, IMAGE, SVG, FRAME)


def test_notification_mail_html_shows_answers_and_names_as_text(site_tree):
    _, _, calls = site_tree
    contact = ContactPersonFactory(name=f"Joris {SVG}", email="joris@example.org")
    call = CallForInputPageFactory(parent=calls, title=f"Oproep {FRAME}", contact_person=contact)
    answers = {**ledger.answers(name=f"Sanne {IMAGE}"), "beschrijving_van_het_initiatief": SCRIPT}
    response = CallResponse.objects.create(page=call, form_data=answers)

    notify_contact_person(response.pk)

    shown_as_text(mail.outbox[0].alternatives[0][0], SCRIPT, IMAGE, SVG, FRAME)


def test_good_example_draft_carries_an_answer_as_text(admin_client, hostile_campaign, site_tree):
    campaign, _ = hostile_campaign
    site_tree[0].add_child(instance=ExampleIndexPage(title="Goede voorbeelden", slug="goede-voorbeelden", intro="."))
    answers = {**ledger.answers(organisation=f"Netwerk {FRAME}"), "beschrijving_van_het_initiatief": f"{SCRIPT}\n{IMAGE}"}
    recipient = ledger.recipient(
        campaign, "Anna", organisation=f"Netwerk {FRAME}", answered=True, consent=True, form_data=answers
    )

    admin_client.post(reverse("campaigns_good_example", args=[recipient.response_id]))

    page = ExamplePage.objects.get()
    body = " ".join(block.value.source for block in page.body if block.block_type == "paragraph")
    shown_as_text(body, SCRIPT, IMAGE)
    draft = admin_client.get(reverse("wagtailadmin_pages:view_draft", args=[page.pk]))
    assert draft.status_code == 200
    shown_as_text(draft.content.decode(), SCRIPT, IMAGE, FRAME)
