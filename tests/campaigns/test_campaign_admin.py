"""The campaign screens in the Wagtail admin: create from a call, audience count, preview, test send, launch, pause/resume/cancel."""

import re
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry
from wagtail.test.utils.form_data import querydict_from_html

from campaigns.admin_views.forms import initial_from_call
from campaigns.factories import ContactFactory, OrganisationFactory
from campaigns.models import Campaign, Contact, Delivery, Organisation, Recipient, Suppression
from campaigns.services import audience as audience_service
from campaigns.services import lifecycle
from campaigns.services.audience import SAMPLE_SIZE
from campaigns.services.launch import CampaignStateError, launch, request_launch, requeue_stuck_launches
from campaigns.tasks import freeze_audience
from cms.factories import CallForInputPageFactory

CAMPAIGN_PERMISSIONS = ["add_campaign", "change_campaign", "delete_campaign"]
# The confirm box on the launch form.
CONFIRMED = {"bevestigd": "ja"}


def make_user(username, *, may_launch):
    user = User.objects.create_user(username, f"{username}@example.org", "geheim-wachtwoord", first_name=username.title())
    user.groups.add(Group.objects.get(name="Editors"))
    codenames = CAMPAIGN_PERMISSIONS + (["launch_campaign"] if may_launch else [])
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="campaigns", codename__in=codenames))
    return user


@pytest.fixture
def editor(db):
    return make_user("redacteur", may_launch=False)


@pytest.fixture
def launcher(db):
    return make_user("campagnebeheerder", may_launch=True)


@pytest.fixture
def audience(make_contacts):
    """Three network coordinators who get the mail, and one of each kind that is left out."""
    network = OrganisationFactory(name="Netwerk Palliatieve Zorg Utrecht", region=Organisation.Region.UTRECHT)
    people = make_contacts(3, organisation=network)
    inactive = ContactFactory(name="Inactief Persoon", organisation=network, active=False)
    no_email = ContactFactory(name="Zonder Adres", organisation=network, email=None)
    suppressed = ContactFactory(name="Afgemeld Persoon", organisation=network)
    Suppression.objects.create(email=suppressed.email, reason="unsubscribed")
    return {"recipients": people, "inactive": inactive, "no_email": no_email, "suppressed": suppressed}


def create_form_data(client, call_page, **changes):
    response = client.get(reverse("campaigns:add") + f"?oproep={call_page.pk}")
    assert response.status_code == 200
    data = querydict_from_html(response.content.decode(), form_id="w-editor-form")
    for name, value in changes.items():
        if isinstance(value, list):
            data.setlist(name, value)
        else:
            data[name] = value
    return data


def test_create_form_is_prefilled_from_the_call(client, editor, call_page):
    client.force_login(editor)

    data = create_form_data(client, call_page)

    assert data["call_page"] == str(call_page.pk)
    # The call is titled "Oproep nieuwe initiatieven": the subject does not say "Oproep" twice.
    assert data["invitation_subject"] == call_page.title
    assert data["reminder_subject"] == f"Herinnering: {call_page.title}"
    for placeholder in ("{naam}", "{organisatie}", "{link}", "{deadline}"):
        assert placeholder in data["invitation_body"]
    assert data["reminder_plan"] == "14, 3"
    assert data["max_reminders"] == "2"
    assert data["min_days_between"] == "3"
    assert data["reminder_body"]


def test_campaigns_menu_asks_for_the_call_first_and_then_prefills_its_invitation(client, editor, call_page):
    client.force_login(editor)

    choose = client.get(reverse("campaigns:add")).content.decode()
    assert "Kies de oproep" in choose
    assert f'href="?oproep={call_page.pk}"' in choose
    data = querydict_from_html(client.get(reverse("campaigns:add") + f"?oproep={call_page.pk}").content.decode(), form_id="w-editor-form")

    body = data["invitation_body"]
    assert "{link}" in body and "{deadline}" in body
    assert f"“{call_page.title}”" in body or f'"{call_page.title}"' in body
    assert call_page.contact_person.name in body and call_page.contact_person.email in body
    assert call_page.contact_person.name in data["reminder_body"] and "{link}" in data["reminder_body"]


def test_the_prefilled_invitation_shows_the_calls_deadline_in_the_mail(client, editor, call_page, audience):
    client.force_login(editor)
    call_page.deadline = datetime(2030, 3, 5, 16, 0, tzinfo=dt_timezone.utc)
    call_page.save_revision().publish()
    client.post(reverse("campaigns:add"), create_form_data(client, call_page, organisation_kinds=[Organisation.Kind.NETWORK]))

    preview = client.get(reverse("campaigns:preview", args=[Campaign.objects.get().pk]))

    text = preview.context["mails"][0]["text"]
    assert "Reageren kan tot 5 maart 2030, 17:00 uur" in text
    assert call_page.title in text and call_page.contact_person.name in text


def test_closed_and_unpublished_calls_are_not_offered(client, editor, call_page, site_tree):
    _, _, calls = site_tree
    closed = CallForInputPageFactory(parent=calls, title="Oproep die al gesloten is", deadline=timezone.now() - timedelta(days=1))
    unpublished = CallForInputPageFactory(parent=calls, title="Oproep in voorbereiding")
    unpublished.unpublish()
    client.force_login(editor)

    choose = client.get(reverse("campaigns:add")).content.decode()
    form = client.get(reverse("campaigns:add") + f"?oproep={call_page.pk}").content.decode()
    refused = client.get(reverse("campaigns:add") + f"?oproep={closed.pk}", follow=True).content.decode()

    assert call_page.title in choose and call_page.title in form
    for call in (closed, unpublished):
        assert call.title not in choose
        assert call.title not in form
    assert "Kies de oproep" in refused and "gesloten of niet gepubliceerd" in refused


def test_a_closed_call_posted_anyway_is_refused_in_dutch(client, editor, call_page, site_tree):
    _, _, calls = site_tree
    closed = CallForInputPageFactory(parent=calls, title="Oproep die al gesloten is", deadline=timezone.now() - timedelta(days=1))
    client.force_login(editor)
    data = create_form_data(client, call_page)
    data["call_page"] = str(closed.pk)

    response = client.post(reverse("campaigns:add"), data)

    assert "Deze oproep is gesloten of niet gepubliceerd" in " ".join(response.context["form"].errors["call_page"])
    assert not Campaign.objects.exists()


def test_heading_names_the_new_campaign_and_its_call(client, editor, call_page):
    client.force_login(editor)

    choose = client.get(reverse("campaigns:add")).content.decode()
    form = client.get(reverse("campaigns:add") + f"?oproep={call_page.pk}").content.decode()

    assert headings(choose, "h1") == ["Nieuwe campagne"] and "Kies de oproep" in headings(choose, "h2")
    assert headings(form, "h1") == [f"Nieuwe campagne voor ‘{call_page.title}’"]
    assert f"Nieuwe campagne voor ‘{call_page.title}’" in headings(form, "h2")
    assert "Nieuw:" not in choose and "Nieuw:" not in form and "voor een oproep" not in choose


def headings(html, tag):
    """The texts of the page's ``tag`` headings, in order."""
    return [" ".join(re.sub(r"<[^>]+>", "", text).split()) for text in re.findall(rf"<{tag}[^>]*>(.*?)</{tag}>", html, re.S)]


def test_call_page_in_the_admin_offers_campagne_maken(client, editor, call_page):
    client.force_login(editor)

    content = client.get(reverse("wagtailadmin_pages:edit", args=[call_page.pk])).content.decode()

    assert "Campagne maken" in content
    assert f"{reverse('campaigns:add')}?oproep={call_page.pk}" in content


def test_page_explorer_offers_campagne_maken_in_the_row_of_a_call(client, editor, call_page):
    client.force_login(editor)

    content = client.get(reverse("wagtailadmin_explore", args=[call_page.get_parent().pk])).content.decode()

    assert f"{reverse('campaigns:add')}?oproep={call_page.pk}" in content


def test_editor_creates_a_campaign_and_lands_on_the_confirm_step(client, editor, call_page, audience):
    client.force_login(editor)
    data = create_form_data(client, call_page, organisation_kinds=[Organisation.Kind.NETWORK], sender_name="Team Oproepen")

    response = client.post(reverse("campaigns:add"), data)

    campaign = Campaign.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("campaigns:overview", args=[campaign.pk])
    assert campaign.call_page_id == call_page.pk
    assert campaign.reminder_days_before == [14, 3]
    assert campaign.send_at is None
    assert campaign.status == Campaign.Status.DRAFT
    confirm = client.get(response["Location"]).content.decode()
    assert "3 ontvangers" in confirm
    for left_out in ("Inactief Persoon", "Zonder Adres", "Afgemeld Persoon"):
        assert left_out in confirm


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"invitation_subject": "Hallo\r\nBcc: iedereen@example.org"}, "invitation_subject", "regeleinde"),
        ({"sender_name": "Team\nBcc: x@example.org"}, "sender_name", "regeleinde"),
        ({"invitation_body": "Beste {naam}, reageer via {lnk}"}, "invitation_body", "Onbekende plaatshouder {lnk}"),
        ({"invitation_body": "Beste {naam}, reageer voor {deadline}."}, "invitation_body", "Zet {link} in de tekst"),
        ({"reminder_plan": "14, -3"}, "reminder_plan", "geen geldig aantal dagen"),
        ({"reminder_plan": "veertien"}, "reminder_plan", "geen geldig aantal dagen"),
        ({"send_mode": "later", "send_at": ""}, "send_at", "Kies het moment van versturen"),
    ],
)
def test_invalid_input_gets_a_dutch_message_and_saves_nothing(client, editor, call_page, changes, field, message):
    client.force_login(editor)
    data = create_form_data(client, call_page, **changes)

    response = client.post(reverse("campaigns:add"), data)

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not Campaign.objects.exists()


def test_send_time_after_the_deadline_is_refused(client, editor, call_page):
    client.force_login(editor)
    after_deadline = timezone.localtime(call_page.deadline + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    data = create_form_data(client, call_page, send_mode="later", send_at=after_deadline)

    response = client.post(reverse("campaigns:add"), data)

    assert "na de sluitingsdatum" in " ".join(response.context["form"].errors["send_at"])


def test_update_count_button_rerenders_the_form_with_the_count_and_saves_nothing(client, editor, call_page, audience):
    client.force_login(editor)
    data = create_form_data(client, call_page, organisation_kinds=[Organisation.Kind.NETWORK], update_count="1")

    response = client.post(reverse("campaigns:add"), data)

    content = response.content.decode()
    assert response.status_code == 200
    assert "3 ontvangers" in content
    assert "3 contacten vallen af" in content
    assert not Campaign.objects.exists()
    assert not response.context["form"].errors


def test_audience_count_endpoint_counts_while_choosing(client, editor, audience):
    client.force_login(editor)
    chosen = ContactFactory(name="Gekozen Wethouder", organisation=OrganisationFactory(kind=Organisation.Kind.MUNICIPALITY))

    response = client.get(
        reverse("campaigns:audience_count"),
        {"organisation_kinds": [Organisation.Kind.NETWORK], "chosen_contacts": [chosen.pk]},
    )

    assert response.json()["recipients"] == 4
    assert response.json()["left_out"] == 3
    assert client.get(reverse("campaigns:audience_count"), {"regions": ["atlantis"]}).status_code == 400


def test_preview_renders_the_mail_for_the_chosen_contact(client, editor, campaign, audience):
    client.force_login(editor)
    chosen = audience["recipients"][1]

    response = client.get(reverse("campaigns:preview", args=[campaign.pk]), {"ontvanger": chosen.pk})

    content = response.content.decode()
    assert response.status_code == 200
    assert response.context["chosen"] == chosen
    invitation = response.context["mails"][0]
    assert f"Beste {chosen.name}" in invitation["text"]
    assert chosen.organisation.name in invitation["text"]
    assert campaign.call_page.full_url in invitation["text"]
    assert "{naam}" not in invitation["html"]
    assert "sandbox" in content and f'src="?ontvanger={chosen.pk}&amp;html=1"' in content
    assert [mail["title"] for mail in response.context["mails"]] == ["Uitnodiging", "Herinnering"]


def test_test_send_mails_only_the_logged_in_user(client, editor, campaign, audience):
    client.force_login(editor)
    chosen = audience["recipients"][0]

    response = client.post(reverse("campaigns:test_send", args=[campaign.pk]), {"ontvanger": chosen.pk, "mail": "Uitnodiging"})

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == [editor.email]
    assert sent.subject == f"[TEST] {campaign.invitation_subject}"
    assert f"Beste {chosen.name}" in sent.body
    assert not Delivery.objects.exists()
    # Its links work without unsubscribing anyone: the call's page, and a page that explains the test link.
    assert campaign.call_page.full_url in sent.body
    unsubscribe = sent.extra_headers["List-Unsubscribe"].strip("<>").removeprefix("http://testserver")
    assert "testmail" in client.get(unsubscribe).content.decode()
    assert client.post(unsubscribe).status_code == 200
    assert not Suppression.objects.exclude(email=audience["suppressed"].email).exists()


def test_editor_without_permission_can_prepare_but_not_launch(client, editor, campaign, audience):
    client.force_login(editor)

    confirm = client.get(reverse("campaigns:overview", args=[campaign.pk])).content.decode()
    response = client.post(reverse("campaigns:launch", args=[campaign.pk]), CONFIRMED)

    assert "Mag mailings versturen" in confirm
    assert response.status_code == 403
    assert client.post(reverse("campaigns:cancel", args=[campaign.pk])).status_code == 403
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DRAFT
    assert not Delivery.objects.exists()
    assert client.get(reverse("campaigns:preview", args=[campaign.pk])).status_code == 200


def test_launch_answers_at_once_with_its_progress_and_the_worker_starts_sending(
    client, launcher, campaign, audience, django_capture_on_commit_callbacks
):
    client.force_login(launcher)

    with django_capture_on_commit_callbacks() as queued:
        response = client.post(reverse("campaigns:launch", args=[campaign.pk]), CONFIRMED)

    overview = reverse("campaigns:overview", args=[campaign.pk]) + "?gestart=1"
    assert response.status_code == 302 and response["Location"] == overview
    assert len(queued) == 1
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.STARTING
    assert campaign.launched_by == launcher
    assert not Delivery.objects.exists()
    starting = client.get(overview).content.decode()
    assert "Bezig met starten" in starting
    assert "0 van 3 ontvangers vastgelegd" in starting
    assert '<meta http-equiv="refresh" content="2">' in starting
    assert "wordt gestart: 3 ontvangers worden vastgelegd" in starting

    freeze_audience(campaign.pk)  # what the worker runs

    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.SENDING
    delivered_to = set(Delivery.objects.values_list("recipient__email", flat=True))
    assert delivered_to == {contact.email for contact in audience["recipients"]}
    entry = ModelLogEntry.objects.get(action="campaigns.launch")
    assert entry.user == launcher and entry.object_id == str(campaign.pk)
    assert client.get(overview)["Location"] == reverse("campaigns_progress", args=[campaign.pk])
    assert client.get(reverse("campaigns:edit", args=[campaign.pk])).status_code == 302


def test_a_double_click_queues_one_launch(client, launcher, campaign, audience, django_capture_on_commit_callbacks):
    client.force_login(launcher)
    launch_url = reverse("campaigns:launch", args=[campaign.pk])

    with django_capture_on_commit_callbacks() as queued:
        client.post(launch_url, CONFIRMED)
        second = client.post(launch_url, CONFIRMED, follow=True)

    assert len(queued) == 1
    assert "Deze campagne wordt al gestart." in second.content.decode()
    freeze_audience(campaign.pk)
    freeze_audience(campaign.pk)  # a task delivered twice
    assert Delivery.objects.count() == 3
    assert "Deze campagne is al gestart." in client.post(launch_url, CONFIRMED, follow=True).content.decode()
    assert Delivery.objects.count() == 3


def test_a_failure_mid_freeze_leaves_a_draft_without_half_an_audience(
    client, launcher, campaign, audience, monkeypatch, caplog
):
    """The third recipient's insert breaks (an address already frozen) after the first chunk was written."""
    monkeypatch.setattr(audience_service, "CHUNK_SIZE", 2)
    third = sorted(audience["recipients"], key=lambda contact: contact.pk)[2]
    Recipient.objects.create(
        campaign=campaign, email=third.email, name="Al vastgelegd", token_nonce="x", token_hash="a", unsubscribe_token_hash="b"
    )
    client.force_login(launcher)
    client.post(reverse("campaigns:launch", args=[campaign.pk]), CONFIRMED)

    freeze_audience(campaign.pk)

    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DRAFT
    assert not Delivery.objects.exists() and not campaign.messages.exists()
    assert list(campaign.recipients.values_list("name", flat=True)) == ["Al vastgelegd"]
    overview = client.get(reverse("campaigns:overview", args=[campaign.pk])).content.decode()
    assert "Het starten is niet gelukt." in overview
    assert "er is niets verstuurd. Probeer het opnieuw." in overview
    assert third.email not in caplog.text, caplog.text
    assert "recipient_unique_email" in caplog.text


def test_a_launch_the_worker_never_picked_up_is_queued_again_by_the_beat(
    launcher, campaign, audience, django_capture_on_commit_callbacks
):
    request_launch(campaign, launcher)
    assert requeue_stuck_launches() == 0  # just queued: give the worker its time

    later = timezone.now() + timedelta(minutes=3)
    with django_capture_on_commit_callbacks() as queued:
        assert requeue_stuck_launches(later) == 1
    assert requeue_stuck_launches(later) == 0
    assert len(queued) == 1
    freeze_audience(campaign.pk)
    assert Delivery.objects.count() == 3


def test_cancelling_a_launch_before_the_worker_freezes_nothing(launcher, campaign, audience):
    request_launch(campaign, launcher)

    lifecycle.cancel(campaign, launcher)
    freeze_audience(campaign.pk)

    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.CANCELLED
    assert not Delivery.objects.exists()


def test_a_launch_with_a_send_time_ahead_is_scheduled_once_frozen(launcher, campaign, audience):
    campaign.send_at = timezone.now() + timedelta(days=1)
    campaign.save()
    request_launch(campaign, launcher)

    freeze_audience(campaign.pk)

    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.SCHEDULED
    assert set(Delivery.objects.values_list("next_attempt_at", flat=True)) == {campaign.send_at}


def bulk_audience(count, organisation):
    Contact.objects.bulk_create(
        Contact(name=f"Contact {number:05d}", email=f"contact{number}@example.org", organisation=organisation)
        for number in range(count)
    )


@pytest.mark.parametrize("size", [10, 400])
def test_the_confirm_step_and_preview_run_the_same_queries_at_any_audience_size(
    client, launcher, campaign, size, django_assert_max_num_queries
):
    bulk_audience(size, OrganisationFactory(kind=Organisation.Kind.NETWORK))
    Suppression.objects.create(email="contact3@example.org", reason="unsubscribed")
    client.force_login(launcher)
    client.get(reverse("campaigns:overview", args=[campaign.pk]))  # warm the session and permission caches

    with django_assert_max_num_queries(30):
        overview = client.get(reverse("campaigns:overview", args=[campaign.pk])).content.decode()
    with django_assert_max_num_queries(30):
        preview = client.get(reverse("campaigns:preview", args=[campaign.pk]))

    assert f"Wie de mail krijgt ({size - 1})" in overview
    assert overview.count("<li>Contact ") == min(size - 1, SAMPLE_SIZE) + 1
    assert len(preview.context["candidates"]) == min(size - 1, SAMPLE_SIZE)


def test_the_preview_finds_a_recipient_beyond_the_first_hundred_by_pk(client, editor, campaign):
    bulk_audience(SAMPLE_SIZE + 20, OrganisationFactory(kind=Organisation.Kind.NETWORK))
    last = Contact.objects.order_by("name").last()
    client.force_login(editor)

    response = client.get(reverse("campaigns:preview", args=[campaign.pk]), {"ontvanger": last.pk})

    assert response.context["chosen"] == last
    assert f"Beste {last.name}" in response.context["mails"][0]["text"]


def test_launch_needs_the_confirm_box_and_the_confirm_step_lists_who_gets_it(client, launcher, campaign, audience):
    client.force_login(launcher)

    confirm = client.get(reverse("campaigns:overview", args=[campaign.pk])).content.decode()
    response = client.post(reverse("campaigns:launch", args=[campaign.pk]), follow=True)

    recipients = confirm.split('class="campaign-recipients"')[1].split("</details>")[0]
    assert f"Wie de mail krijgt ({len(audience['recipients'])})" in recipients
    # Names only: this launcher has no right on the contact screens, so no addresses either.
    assert all(contact.name in recipients and contact.email not in recipients for contact in audience["recipients"])
    assert "Er is niets verstuurd: vink eerst aan" in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DRAFT
    assert not Delivery.objects.exists()


def test_a_campaign_for_an_unpublished_call_is_not_launched(client, launcher, campaign, audience):
    client.force_login(launcher)
    campaign.call_page.unpublish()

    response = client.post(reverse("campaigns:launch", args=[campaign.pk]), CONFIRMED, follow=True)

    assert "De oproep is nog niet gepubliceerd" in response.content.decode()
    assert not Delivery.objects.exists()


def test_pause_resume_and_cancel_through_the_admin_with_audit_log(client, launcher, campaign, audience):
    client.force_login(launcher)
    launch(campaign, launcher)

    assert "Ja, pauzeren" in client.get(reverse("campaigns:pause", args=[campaign.pk])).content.decode()
    client.post(reverse("campaigns:pause", args=[campaign.pk]))
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.PAUSED
    client.post(reverse("campaigns:resume", args=[campaign.pk]))
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.SENDING
    client.post(reverse("campaigns:cancel", args=[campaign.pk]))
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.CANCELLED

    assert set(Delivery.objects.values_list("status", "error")) == {(Delivery.Status.SKIPPED, "geannuleerd")}
    actions = list(ModelLogEntry.objects.filter(object_id=str(campaign.pk)).order_by("timestamp", "pk").values_list("action", flat=True))
    assert actions[-3:] == ["campaigns.pause", "campaigns.resume", "campaigns.cancel"]
    response = client.post(reverse("campaigns:pause", args=[campaign.pk]), follow=True)
    assert "kan worden gepauzeerd" in response.content.decode()


def test_resume_returns_a_future_campaign_to_scheduled(campaign, audience, launcher):
    campaign.send_at = timezone.now() + timedelta(days=2)
    campaign.save()
    launch(campaign, launcher)
    lifecycle.pause(campaign, launcher)

    lifecycle.resume(campaign, launcher)

    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.SCHEDULED


def test_cancel_keeps_sent_deliveries_and_refuses_a_second_time(campaign, audience, launcher):
    launch(campaign, launcher)
    sent = Delivery.objects.first()
    sent.status = Delivery.Status.SENT
    sent.save()

    lifecycle.cancel(campaign, launcher)

    assert Delivery.objects.get(pk=sent.pk).status == Delivery.Status.SENT
    assert Delivery.objects.filter(status=Delivery.Status.SKIPPED).count() == 2
    with pytest.raises(CampaignStateError, match="niet meer worden geannuleerd"):
        lifecycle.cancel(campaign, launcher)


def test_a_new_campaigns_name_says_neither_campagne_nor_oproep_twice(site_tree):
    _, _, calls = site_tree
    call_page = CallForInputPageFactory(parent=calls, title="Oproep: respijtzorg in de wijk")

    name = initial_from_call(call_page)["name"]

    assert name == "Uitnodiging respijtzorg in de wijk"


@pytest.mark.services
def test_a_real_worker_freezes_the_launched_audience_and_the_invitations_go_out(
    client, launcher, campaign, audience, celery_workers, smtp_sink
):
    celery_workers.start(smtp_sink.url)
    client.force_login(launcher)

    response = client.post(reverse("campaigns:launch", args=[campaign.pk]), CONFIRMED)

    assert response.status_code == 302
    mails = smtp_sink.wait_for(3, timeout=60)
    assert sorted(mail["To"].addresses[0].addr_spec for mail in mails) == sorted(c.email for c in audience["recipients"])
    campaign.refresh_from_db()
    assert campaign.status in (Campaign.Status.SENDING, Campaign.Status.SENT), celery_workers.logs()[-3000:]
    assert campaign.recipients.count() == 3 and campaign.launched_at is not None
