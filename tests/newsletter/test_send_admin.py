"""The send screen of an issue: who may open it, the topics with their counts, the confirm step, and what it queues."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.rich_text import RichText

from campaigns.models import Campaign, Delivery, Suppression
from campaigns.services.suppression import suppress
from newsletter.factories import NewsletterIssuePageFactory, SubscriberFactory
from newsletter.models import IssueMailing, Subscriber
from tests.security.roles import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_check_reports():
    """The pre-send check caches its report per revision id, and every new test database repeats those ids."""
    cache.clear()


def publish(page):
    revision = page.save_revision()
    revision.publish()
    page.refresh_from_db()
    return revision


@pytest.fixture
def issue(newsletter_index):
    page = NewsletterIssuePageFactory(
        parent=newsletter_index,
        title="Nieuwsbrief januari",
        subject="Nieuw jaar, nieuwe oproepen",
        body=[("text", RichText("<p>De tekst van januari.</p>"))],
    )
    publish(page)
    return page


@pytest.fixture
def subscribers(topics):
    """Three who may get an issue, and one of each kind who may not: on the suppression list, not confirmed."""
    general, care, _ = topics
    SubscriberFactory(email="geblokkeerd@example.org", topics=[general, care])
    suppress("geblokkeerd@example.org", Suppression.Scope.NEWSLETTER, Suppression.Reason.COMPLAINT)
    SubscriberFactory(email="wacht@example.org", status=Subscriber.Status.PENDING, topics=[general])
    return [
        SubscriberFactory(email="een@example.org", topics=[general]),
        SubscriberFactory(email="twee@example.org", topics=[general, care]),
        SubscriberFactory(email="drie@example.org", topics=[care]),
    ]


@pytest.fixture
def manager_client(client):
    user = make_user("campaign_manager")
    client.force_login(user)
    client.user = user
    return client


def send_url(issue):
    return reverse("newsletter_send", args=[issue.pk])


def test_the_send_screen_refuses_users_who_may_not_send_mailings(client, issue, topics, subscribers):
    client.force_login(make_user("editor"))

    for response in (client.get(send_url(issue)), client.post(send_url(issue), {"topics": [topics[0].pk], "when": "nu", "bevestigd": "ja"})):
        assert response.status_code == 403
        assert "Mag mailings versturen" in response.content.decode()
    assert not Campaign.objects.exists()


def test_versturen_is_among_an_issues_actions_only_for_those_who_may_send(client, issue):
    editor = make_user("editor")
    client.force_login(editor)
    assert send_url(issue) not in client.get(reverse("wagtailadmin_pages:edit", args=[issue.pk])).content.decode()

    client.force_login(make_user("campaign_manager", username="beheerder2"))
    assert send_url(issue) in client.get(reverse("wagtailadmin_pages:edit", args=[issue.pk])).content.decode()


def test_the_form_shows_each_topic_with_its_number_of_subscribers(manager_client, issue, topics, subscribers):
    html = manager_client.get(send_url(issue)).content.decode()

    assert "Algemene nieuwsbrief (2 abonnees)" in html
    assert "Zorg en welzijn (2 abonnees)" in html
    assert "Netwerken palliatieve zorg (0 abonnees)" in html


def test_the_confirm_step_shows_the_count_and_the_revision_then_confirming_queues_it(manager_client, issue, topics, subscribers):
    chosen = {"topics": [topics[0].pk, topics[1].pk], "when": "nu", "send_at": ""}

    confirm = manager_client.post(send_url(issue), chosen)

    html = confirm.content.decode()
    assert confirm.status_code == 200
    assert 'id="recipient-count">3 abonnees' in html
    assert issue.live_revision.created_at.strftime("%Y") in html
    assert "Geslaagd" in html
    assert not Campaign.objects.exists()

    sent = manager_client.post(
        send_url(issue), {**chosen, "revisie": issue.live_revision_id, "bevestigd": "ja"}
    )

    mailing = IssueMailing.objects.get()
    assert sent.status_code == 302
    assert sent["Location"] == reverse("campaigns_progress", args=[mailing.campaign_id])
    assert mailing.revision_id == issue.live_revision_id
    assert mailing.campaign.launched_by == manager_client.user
    assert Delivery.objects.filter(message__campaign=mailing.campaign).count() == 3
    progress = manager_client.get(sent["Location"])
    assert progress.status_code == 200
    assert "Verstuurd: 0 van 3" in progress.content.decode()


def test_a_chosen_moment_must_lie_ahead_and_is_amsterdam_time(manager_client, issue, topics, subscribers):
    past = manager_client.post(send_url(issue), {"topics": [topics[0].pk], "when": "later", "send_at": "2020-01-01T09:00"})
    assert "Dit moment is al voorbij" in past.content.decode()

    moment = (timezone.localtime() + timedelta(days=2)).replace(hour=9, minute=30, second=0, microsecond=0)
    fields = {"topics": [topics[0].pk], "when": "later", "send_at": moment.strftime("%Y-%m-%dT%H:%M")}
    manager_client.post(send_url(issue), {**fields, "revisie": issue.live_revision_id, "bevestigd": "ja"})

    campaign = Campaign.objects.get()
    assert campaign.status == Campaign.Status.SCHEDULED
    assert timezone.localtime(campaign.send_at).strftime("%H:%M") == "09:30"
    assert campaign.send_at == moment


def test_a_revision_published_after_the_confirm_step_is_not_sent_unseen(manager_client, issue, topics, subscribers):
    shown = issue.live_revision_id
    issue.subject = "Een nieuwere versie"
    publish(issue)

    response = manager_client.post(
        send_url(issue), {"topics": [topics[0].pk], "when": "nu", "revisie": shown, "bevestigd": "ja"}
    )

    assert response.status_code == 200
    assert "andere versie gepubliceerd" in response.content.decode()
    assert not Campaign.objects.exists()


def test_an_unpublished_issue_cannot_be_sent(manager_client, newsletter_index, topics, subscribers):
    draft = NewsletterIssuePageFactory(parent=newsletter_index, live=False)

    html = manager_client.get(send_url(draft)).content.decode()

    assert "niet gepubliceerd" in html
    assert 'name="topics"' not in html


def test_the_mailings_listing_is_under_the_newsletter_menu(manager_client, issue, topics, subscribers):
    manager_client.post(
        send_url(issue), {"topics": [topics[0].pk], "when": "nu", "revisie": issue.live_revision_id, "bevestigd": "ja"}
    )

    dashboard = manager_client.get(reverse("wagtailadmin_home")).content.decode()
    listing = manager_client.get(reverse("newsletter_mailings")).content.decode()

    assert "Nieuwsbrief" in dashboard and reverse("newsletter_mailings") in dashboard
    assert "Nieuw jaar, nieuwe oproepen" in listing
    assert "0 van 2" in listing


def test_campaign_screens_neither_list_nor_open_a_newsletter_mailing(manager_client, issue, topics, subscribers):
    manager_client.post(
        send_url(issue), {"topics": [topics[0].pk], "when": "nu", "revisie": issue.live_revision_id, "bevestigd": "ja"}
    )
    campaign = Campaign.objects.get()

    assert campaign.name not in manager_client.get(reverse("campaigns:index")).content.decode()
    for name in ("campaigns:overview", "campaigns:edit", "campaigns:preview", "campaigns:delete"):
        assert manager_client.get(reverse(name, args=[campaign.pk])).status_code == 404
    assert manager_client.get(reverse("campaigns_answers_csv", args=[campaign.pk])).status_code == 404
    assert manager_client.get(reverse("campaigns_results", args=[campaign.pk])).status_code == 200


def test_a_mailing_under_way_can_be_paused_and_cancelled_by_who_may_send(manager_client, issue, topics, subscribers):
    manager_client.post(
        send_url(issue), {"topics": [topics[0].pk], "when": "nu", "revisie": issue.live_revision_id, "bevestigd": "ja"}
    )
    campaign = Campaign.objects.get()
    progress = manager_client.get(reverse("campaigns_progress", args=[campaign.pk])).content.decode()
    pause = reverse("newsletter_mailing_control", args=[campaign.pk, "pauzeren"])
    assert pause in progress

    editor = Client()
    editor.force_login(make_user("editor"))
    assert editor.post(pause).status_code == 403
    assert manager_client.get(pause).status_code == 200
    assert manager_client.post(pause)["Location"] == reverse("campaigns_progress", args=[campaign.pk])
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.PAUSED

    manager_client.post(reverse("newsletter_mailing_control", args=[campaign.pk, "annuleren"]))

    assert set(Delivery.objects.filter(message__campaign=campaign).values_list("status", flat=True)) == {"skipped"}
    assert manager_client.get(reverse("newsletter_mailing_control", args=[campaign.pk, "weg"])).status_code == 404


def test_an_issue_that_fails_the_pre_send_check_cannot_be_confirmed(manager_client, newsletter_index, topics, subscribers):
    failing = NewsletterIssuePageFactory(
        parent=newsletter_index,
        subject="Met een kapotte link",
        body=[("call_to_action", {"text": "Lees verder", "page": None, "url": "http://testserver/bestaat-niet/"})],
    )
    revision = publish(failing)
    chosen = {"topics": [topics[0].pk], "when": "nu", "revisie": revision.pk}

    confirm = manager_client.post(send_url(failing), chosen).content.decode()
    refused = manager_client.post(send_url(failing), {**chosen, "bevestigd": "ja"}).content.decode()

    assert "Niet geslaagd" in confirm
    assert 'name="bevestigd"' not in confirm
    assert "controle vóór verzending is niet geslaagd" in refused
    assert not Campaign.objects.exists()
