"""Progress and results of a campaign: the figures, the admin pages, retrying failed mails, the dashboard."""

import re
import uuid
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from campaigns.models import Campaign, Delivery, Recipient, Suppression
from campaigns.models.suppression import address_hash
from campaigns.services.results import campaign_progress, campaign_results

from . import ledger

S = Delivery.Status
MAILBOX_UNKNOWN = "550 5.1.1 mailbox unknown"


@pytest.fixture
def known_ledger(campaign):
    """Six recipients, an invitation to all and a reminder to the three who did not answer."""
    invitation = ledger.start(campaign)
    people = {
        "anna": ledger.recipient(campaign, "Anna", "netwerk", "utrecht", answered=True, consent=True),
        "bram": ledger.recipient(campaign, "Bram", "netwerk", "utrecht", answered=True),
        "cor": ledger.recipient(campaign, "Cor", "netwerk", "utrecht"),
        "dirk": ledger.recipient(campaign, "Dirk", "gemeente", "gelderland", answered=True),
        "eva": ledger.recipient(campaign, "Eva", "gemeente", "gelderland"),
        "fien": ledger.recipient(campaign, "Fien", "welzijn", ""),
    }
    for name, status in [
        ("anna", S.DELIVERED),
        ("bram", S.OPENED),
        ("cor", S.BOUNCED),
        ("dirk", S.SENT),
        ("eva", S.FAILED),
        ("fien", S.SKIPPED),
    ]:
        ledger.deliver(invitation, people[name], status, error=MAILBOX_UNKNOWN if status == S.FAILED else "")
    reminder = ledger.reminder(campaign)
    ledger.deliver(reminder, people["cor"], S.QUEUED)
    ledger.deliver(reminder, people["eva"], S.FAILED, error=MAILBOX_UNKNOWN)
    ledger.deliver(reminder, people["fien"], S.SENT)
    return people


def test_results_count_every_outcome(campaign, known_ledger):
    results = campaign_results(campaign)

    assert (results.recipients, results.answered, results.response_rate, results.blocked) == (6, 3, 50.0, 0)
    assert (results.sent, results.delivered, results.bounced, results.failed, results.skipped) == (5, 2, 1, 2, 1)
    assert [(m.label, m.total, m.sent, m.failed, m.pending) for m in results.messages] == [
        ("Uitnodiging", 6, 4, 1, 0),
        ("Herinnering 1", 3, 1, 1, 1),
    ]
    assert [(g.label, g.recipients, g.answered, g.rate) for g in results.by_kind] == [
        ("Netwerk palliatieve zorg", 3, 2, 66.7),
        ("Gemeente", 2, 1, 50.0),
        ("Welzijnsorganisatie", 1, 0, 0.0),
    ]
    assert [(g.label, g.recipients, g.answered) for g in results.by_region] == [
        ("Utrecht", 3, 2),
        ("Gelderland", 2, 1),
        ("Onbekend", 1, 0),
    ]
    assert results.failure_reasons == [{"error": MAILBOX_UNKNOWN, "count": 2}]


def test_progress_follows_the_running_mailing(campaign, known_ledger):
    progress = campaign_progress(campaign)

    assert [message.sequence for message in progress.messages] == [1]
    assert (progress.total, progress.sent, progress.failed, progress.pending) == (3, 1, 1, 1)
    assert not progress.done


def test_progress_rate_and_time_left_come_from_recent_sends(campaign):
    invitation = ledger.start(campaign)
    now = timezone.now()
    for seconds_ago in (120, 90, 60, 30):
        ledger.deliver(invitation, ledger.recipient(campaign, "Verstuurd"), S.SENT, sent_at=now - timedelta(seconds=seconds_ago))
    ledger.deliver(invitation, ledger.recipient(campaign, "Lang geleden"), S.SENT, sent_at=now - timedelta(hours=1))
    for _ in range(5):
        ledger.deliver(invitation, ledger.recipient(campaign, "Wacht"), S.QUEUED)

    progress = campaign_progress(campaign, now=now)

    assert (progress.total, progress.sent, progress.pending) == (10, 5, 5)
    assert progress.per_minute == 2.0
    assert progress.seconds_left == 150


def test_once_done_the_rate_is_the_average_of_the_mailing_and_no_time_is_left(admin_client, campaign):
    invitation = ledger.start(campaign)
    now = timezone.now()
    for minutes_ago in (70, 50, 30, 10):  # long ago for the recent rate: a faded rate would be "unknown"
        ledger.deliver(invitation, ledger.recipient(campaign, "Verstuurd"), S.SENT, sent_at=now - timedelta(minutes=minutes_ago))

    progress = campaign_progress(campaign, now=now)

    assert (progress.pending, progress.per_minute, progress.seconds_left) == (0, 0.1, 0)
    html = admin_client.get(reverse("campaigns_progress", args=[campaign.pk])).content.decode()
    assert "<dt>Tijd nog nodig</dt><dd>klaar</dd>" in html


def sent_rows(message, sent_at_list, status=S.SENT):
    """One recipient and delivery per entry of ``sent_at_list`` (None: still queued), in two queries."""
    campaign = message.campaign
    recipients = Recipient.objects.bulk_create(
        Recipient(
            campaign=campaign,
            email=f"r{number}@example.org",
            name=f"Ontvanger {number}",
            token_nonce=uuid.uuid4().hex,
            token_hash=uuid.uuid4().hex,
            unsubscribe_token_hash=uuid.uuid4().hex,
        )
        for number in range(len(sent_at_list))
    )
    Delivery.objects.bulk_create(
        Delivery(message=message, recipient=recipient, status=status if sent_at else S.QUEUED, sent_at=sent_at)
        for recipient, sent_at in zip(recipients, sent_at_list)
    )


def progress_page(client, campaign):
    html = client.get(reverse("campaigns_progress", args=[campaign.pk])).content.decode()
    figures = html.split('<dl class="campaign-figures">')[1].split("</dl>")[0]
    return dict(re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", figures))


def test_ten_mails_in_seven_seconds_are_not_reported_as_sixty_per_minute(admin_client, campaign):
    invitation = ledger.start(campaign)
    start = timezone.now() - timedelta(seconds=30)
    sent_rows(invitation, [start + timedelta(seconds=7 * number / 9) for number in range(10)])
    campaign.status = Campaign.Status.SENT
    campaign.save(update_fields=["status"])

    progress = campaign_progress(campaign)

    assert (progress.measured_count, progress.measured_seconds, progress.per_minute) == (10, 7.0, 85.7)
    figures = progress_page(admin_client, campaign)
    assert figures["Snelheid"] == "10 mails in 7 seconden, ongeveer 86 per minuut"
    assert figures["Tijd nog nodig"] == "klaar"


def test_while_sending_the_rate_counts_only_the_seconds_since_the_first_send(admin_client, campaign):
    invitation = ledger.start(campaign)
    now = timezone.now()
    sent_rows(invitation, [now - timedelta(seconds=7 - 7 * number / 9) for number in range(10)] + [None] * 20)

    progress = campaign_progress(campaign, now=now)

    assert progress.per_minute == 85.7
    assert progress.seconds_left == 14  # 20 left at 85.7 per minute
    Delivery.objects.filter(sent_at__isnull=False).update(sent_at=F("sent_at") + (timezone.now() - now))
    assert re.fullmatch(r"10 mails in de laatste 7 seconden, ongeveer 8\d per minuut", progress_page(admin_client, campaign)["Snelheid"])


def test_a_large_mailing_at_a_hundred_per_second(admin_client, campaign):
    invitation = ledger.start(campaign)
    now = timezone.now()
    earlier = [now - timedelta(minutes=5) + timedelta(seconds=number / 100) for number in range(3_000)]
    last_minute = [now - timedelta(seconds=60) + timedelta(seconds=number / 100) for number in range(6_000)]
    sent_rows(invitation, earlier + last_minute + [None] * 12_000)

    progress = campaign_progress(campaign, now=now)

    assert (progress.sent, progress.pending, progress.measured_count) == (9_000, 12_000, 6_000)
    assert progress.per_minute == 6_000.0
    assert progress.seconds_left == 120
    # The page measures at its own "now": move the sends along by the time that passed since.
    Delivery.objects.filter(sent_at__isnull=False).update(sent_at=F("sent_at") + (timezone.now() - now))
    figures = progress_page(admin_client, campaign)
    assert re.fullmatch(r"(5\.9\d\d|6\.000) mails in de laatste minuut, ongeveer (5\.9\d\d|6\.000) per minuut", figures["Snelheid"])
    assert figures["Tijd nog nodig"] == "ongeveer 2 minuten"


def test_nothing_sent_in_the_last_minute_while_sending_is_said_instead_of_a_rate(admin_client, campaign):
    invitation = ledger.start(campaign)
    now = timezone.now()
    sent_rows(invitation, [now - timedelta(minutes=3, seconds=number) for number in range(5)] + [None] * 5)

    progress = campaign_progress(campaign, now=now)

    assert progress.stalled and progress.per_minute is None and progress.seconds_left is None
    figures = progress_page(admin_client, campaign)
    assert figures["Snelheid"] == "in de laatste minuut is niets verstuurd"
    assert figures["Tijd nog nodig"] == "nog onbekend"


def test_a_batch_sent_at_once_gives_no_made_up_rate(admin_client, campaign):
    invitation = ledger.start(campaign)
    at_once = timezone.now() - timedelta(minutes=2)
    sent_rows(invitation, [at_once] * 500)

    assert progress_page(admin_client, campaign)["Snelheid"] == "500 mails in minder dan een seconde"


def test_progress_page_shows_bar_and_refreshes_only_while_sending(admin_client, campaign, known_ledger):
    url = reverse("campaigns_progress", args=[campaign.pk])

    html = admin_client.get(url).content.decode()
    assert '<progress id="send-progress" class="campaign-progress" max="3" value="2"' in html
    assert "Verstuurd: 1 van 3" in html
    assert '<meta http-equiv="refresh" content="5">' in html

    assert 'http-equiv="refresh"' not in admin_client.get(url + "?verversen=uit").content.decode()

    Delivery.objects.filter(status=S.QUEUED).update(status=S.SENT, sent_at=timezone.now())
    html = admin_client.get(url).content.decode()
    assert 'http-equiv="refresh"' not in html
    assert "Klaar met versturen" in html


def test_results_page_shows_figures_failures_and_who_has_not_answered(admin_client, campaign, known_ledger):
    html = admin_client.get(reverse("campaigns_results", args=[campaign.pk])).content.decode()

    assert "<dt>Ontvangers</dt><dd>6</dd>" in html
    assert "<dt>Respons</dt><dd>50,0%</dd>" in html
    assert "Netwerk palliatieve zorg" in html and "66,7%" in html
    assert html.count(MAILBOX_UNKNOWN) == 3  # once as a reason, once per failed delivery
    waiting = html.split('id="not-answered"')[1].split("</table>")[0]
    for name in ("Cor", "Eva", "Fien"):
        assert known_ledger[name.lower()].email in waiting
    for name in ("anna", "dirk"):
        assert known_ledger[name].email not in waiting


def test_results_page_says_how_many_sends_were_interrupted_and_may_have_gone_out_twice(admin_client, campaign, known_ledger):
    url = reverse("campaigns_results", args=[campaign.pk])
    assert 'id="interrupted-sends"' not in admin_client.get(url).content.decode()

    Delivery.objects.filter(recipient__in=[known_ledger["anna"], known_ledger["bram"]]).update(reclaimed_at=timezone.now())

    assert campaign_results(campaign).interrupted == 2
    assert "Bij 2 mails werd het versturen onderbroken" in admin_client.get(url).content.decode()


def test_results_page_counts_and_marks_who_unsubscribed(admin_client, campaign, known_ledger):
    Suppression.objects.create(email=known_ledger["eva"].email, scope=Suppression.Scope.CAMPAIGNS, reason="unsubscribed")

    html = admin_client.get(reverse("campaigns_results", args=[campaign.pk])).content.decode()

    assert "<dt>Afgemeld of geblokkeerd</dt><dd>1</dd>" in html
    waiting = html.split('id="not-answered"')[1].split("</table>")[0]
    eva_row = next(row for row in waiting.split("<tr>") if known_ledger["eva"].email in row)
    assert "afgemeld of geblokkeerd" in eva_row
    assert waiting.count("afgemeld of geblokkeerd") == 1


def test_results_page_needs_a_constant_number_of_queries(admin_client, campaign, known_ledger):
    url = reverse("campaigns_results", args=[campaign.pk])
    admin_client.get(url)
    with CaptureQueriesContext(connection) as small:
        admin_client.get(url)

    invitation = campaign.messages.get(sequence=0)
    for number in range(30):
        person = ledger.recipient(campaign, f"Extra {number}", "anders", "zeeland", answered=number % 2 == 0, consent=True)
        ledger.deliver(invitation, person, S.FAILED if number % 3 == 0 else S.DELIVERED, error="timeout")
    with CaptureQueriesContext(connection) as large:
        response = admin_client.get(url)

    assert response.status_code == 200
    assert len(large) == len(small) <= 25


def test_retry_queues_failed_deliveries_again_and_logs_it(admin_client, admin_user, campaign, known_ledger):
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.SENT)

    response = admin_client.post(reverse("campaigns_retry", args=[campaign.pk]), follow=True)

    assert "2 mails staan weer in de wachtrij" in response.content.decode()
    retried = Delivery.objects.filter(recipient=known_ledger["eva"])
    assert {d.status for d in retried} == {S.QUEUED}
    assert all(d.next_attempt_at <= timezone.now() and d.error == "" for d in retried)
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.SENDING
    entry = ModelLogEntry.objects.get(action="campaigns.retry")
    assert (entry.object_id, entry.user, entry.data) == (str(campaign.pk), admin_user, {"deliveries": 2})
    assert entry.label == str(campaign)


def test_retry_of_one_delivery_leaves_the_others_failed(admin_client, campaign, known_ledger):
    first, second = Delivery.objects.filter(status=S.FAILED).order_by("pk")

    admin_client.post(reverse("campaigns_retry", args=[campaign.pk]), {"delivery": first.pk})

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (S.QUEUED, S.FAILED)


def test_retry_is_refused_for_a_cancelled_campaign(admin_client, campaign, known_ledger):
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.CANCELLED)

    response = admin_client.post(reverse("campaigns_retry", args=[campaign.pk]), follow=True)

    assert "Deze campagne is geannuleerd; opnieuw proberen kan niet." in response.content.decode()
    assert Delivery.objects.filter(status=S.FAILED).count() == 2
    assert not ModelLogEntry.objects.filter(action="campaigns.retry").exists()


@pytest.fixture
def editor(django_user_model):
    """May read campaigns, but not send mailings."""
    user = django_user_model.objects.create_user("redacteur", password="x")
    group = Group.objects.create(name="Redacteuren campagnes")
    group.permissions.add(
        Permission.objects.get(codename="access_admin"), Permission.objects.get(codename="view_campaign")
    )
    user.groups.add(group)
    return user


def test_only_who_may_send_mailings_can_retry(client, editor, campaign, known_ledger):
    client.force_login(editor)

    html = client.get(reverse("campaigns_results", args=[campaign.pk])).content.decode()
    assert "Opnieuw proberen" not in html and "Alle mislukte opnieuw proberen" not in html

    client.post(reverse("campaigns_retry", args=[campaign.pk]))
    assert Delivery.objects.filter(status=S.FAILED).count() == 2


def test_progress_and_results_need_campaign_permissions(client, django_user_model, campaign, known_ledger):
    outsider = django_user_model.objects.create_user("buitenstaander", password="x")
    outsider.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(outsider)

    for name in ("campaigns_progress", "campaigns_results", "campaigns_answers_csv"):
        response = client.get(reverse(name, args=[campaign.pk]))
        assert response.status_code == 302 and response.url == reverse("wagtailadmin_home")


def test_dashboard_shows_running_campaigns_and_open_calls(admin_client, campaign, call_page, known_ledger):
    html = admin_client.get(reverse("wagtailadmin_home")).content.decode()

    panel = html.split('id="campaigns-dashboard-section"')[1]
    running = panel.split('id="running-campaigns"')[1].split("</table>")[0]
    assert campaign.name in running and "Bezig met versturen" in running
    assert "5 van 9" in running
    calls = panel.split('id="open-calls"')[1].split("</table>")[0]
    assert call_page.title in calls
    assert "3 van 6 (50,0%)" in calls


def test_dashboard_leaves_out_finished_campaigns(admin_client, campaign, known_ledger):
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.SENT)

    html = admin_client.get(reverse("wagtailadmin_home")).content.decode()

    assert "Er loopt nu geen campagne." in html


def test_dashboard_panel_is_only_for_campaign_staff(client, django_user_model, campaign, known_ledger):
    user = django_user_model.objects.create_user("webredacteur", password="x")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)

    html = client.get(reverse("wagtailadmin_home")).content.decode()

    assert "campaigns-dashboard" not in html and campaign.name not in html


def test_pages_of_a_campaign_that_has_not_started_say_so(admin_client, campaign):
    progress = admin_client.get(reverse("campaigns_progress", args=[campaign.pk])).content.decode()
    results = admin_client.get(reverse("campaigns_results", args=[campaign.pk])).content.decode()

    assert "Er zijn nog geen mails voor deze campagne klaargezet." in progress
    assert 'http-equiv="refresh"' not in progress
    assert "<dt>Ontvangers</dt><dd>0</dd>" in results and "Nog geen reacties." in results


def test_pages_of_an_unknown_campaign_are_not_found(admin_client, db):
    assert admin_client.get(reverse("campaigns_results", args=[999999])).status_code == 404


def test_results_page_counts_and_marks_a_blocked_person_whose_data_was_erased(admin_client, campaign, known_ledger):
    """An erasure keeps only the hash of the address on the suppression list; the person still counts as blocked."""
    eva = known_ledger["eva"]
    Suppression.objects.create(email="", email_hash=address_hash(eva.email), scope=Suppression.Scope.ALL, reason="erased")

    html = admin_client.get(reverse("campaigns_results", args=[campaign.pk])).content.decode()

    assert campaign_results(campaign).blocked == 1
    assert "<dt>Afgemeld of geblokkeerd</dt><dd>1</dd>" in html
    waiting = html.split('id="not-answered"')[1].split("</table>")[0]
    eva_row = next(row for row in waiting.split("<tr>") if eva.email in row)
    assert "afgemeld of geblokkeerd" in eva_row
    assert waiting.count("afgemeld of geblokkeerd") == 1
