"""The "Controleren en testen" screen of an issue: who may open it, what it shows, the re-check and the test mail."""

import pytest
from django.core.cache import cache
from django.template.defaultfilters import date
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import PageLogEntry
from wagtail.rich_text import RichText

from cms.factories import ArticlePageFactory
from newsletter.factories import NewsletterIssuePageFactory
from newsletter.links import sample_unsubscribe_link
from tests.security.roles import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_check_reports():
    """The pre-send check caches its report per revision id, and every new test database repeats those ids."""
    cache.clear()


@pytest.fixture
def article(site_tree):
    _, articles, _ = site_tree
    return ArticlePageFactory(parent=articles, title="Samen de wijk in")


@pytest.fixture
def issue(newsletter_index, topics, article):
    page = NewsletterIssuePageFactory(
        parent=newsletter_index,
        title="Nieuwsbrief januari",
        subject="Nieuw jaar <b>nieuwe</b> oproepen",
        preheader="Drie oproepen en een persona",
        body=[
            ("text", RichText("<p>De tekst van januari.</p>")),
            ("call_to_action", {"text": "Lees het artikel", "page": article, "url": ""}),
        ],
    )
    page.save_revision().publish()
    page.refresh_from_db()
    return page


@pytest.fixture
def editor(client):
    user = make_user("editor")
    client.force_login(user)
    return user


def check_url(issue):
    return reverse("newsletter_check", args=[issue.pk])


def test_an_editor_sees_the_subject_the_revision_the_mail_and_the_report(client, editor, issue):
    response = client.get(check_url(issue))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Controleren en testen" in html
    assert "Nieuw jaar &lt;b&gt;nieuwe&lt;/b&gt; oproepen" in html and "<b>nieuwe</b>" not in html
    assert "Drie oproepen en een persona" in html
    with translation.override("nl"):
        assert f"opgeslagen op {date(timezone.localtime(issue.live_revision.created_at), 'j F Y H:i')}" in html
    assert "de gepubliceerde versie" in html
    assert 'title="De mail op een telefoon" sandbox src="?html=1" width="375"' in html
    assert 'title="De mail op een computer" sandbox src="?html=1" width="700"' in html
    assert "allow-scripts" not in html
    assert "De tekst van januari." in html.split('id="check-plain-text">')[1]
    assert "Geslaagd:</strong> deze versie voldoet" in html
    results = html.split('id="check-results">')[1].split("Opnieuw controleren")[0]
    assert results.count("<strong>Geslaagd:</strong>") == 7 and "Niet geslaagd" not in results
    assert "Opnieuw controleren" in html and "Testmail naar mij sturen" in html


def test_the_screen_says_which_revision_and_that_a_newer_draft_is_not_published(client, editor, issue):
    issue.subject = "Een nieuwer concept"
    issue.save_revision(user=editor)

    html = client.get(check_url(issue)).content.decode()

    assert "Een nieuwer concept" in html
    assert "een concept; de gepubliceerde versie is ouder" in html
    assert "door editor" in html


def test_an_issue_without_a_saved_revision_asks_to_save_it_first(client, editor, newsletter_index):
    unsaved = NewsletterIssuePageFactory(parent=newsletter_index, live=False)

    html = client.get(check_url(unsaved)).content.decode()

    assert "Sla hem eerst op" in html
    assert "Testmail naar mij sturen" not in html
    assert client.get(check_url(unsaved), {"html": "1"}).status_code == 404


def test_whoever_may_not_edit_the_issue_is_refused(client, issue, mailoutbox):
    client.force_login(make_user("manager_without_pages"))

    refusal = client.get(check_url(issue))
    assert refusal.status_code == 403
    assert "U mag deze nieuwsbrief niet bewerken" in refusal.content.decode()
    assert client.get(check_url(issue), {"html": "1"}).status_code == 403
    assert client.post(reverse("newsletter_test_send", args=[issue.pk])).status_code == 403
    assert client.post(reverse("newsletter_recheck", args=[issue.pk])).status_code == 403
    assert not mailoutbox


def test_the_mail_html_for_the_iframes_answers_under_the_mails_own_policy(client, editor, issue):
    response = client.get(check_url(issue), {"html": "1"})

    policy = response["Content-Security-Policy"]
    assert response.status_code == 200
    assert '<html lang="nl"' in response.content.decode()
    assert "Beste lezer," in response.content.decode()
    assert "default-src 'none'" in policy and "style-src 'unsafe-inline'" in policy
    assert "script-src" not in policy
    assert "frame-ancestors 'self'" in policy
    assert response["X-Frame-Options"] == "SAMEORIGIN"


def test_the_check_screen_itself_runs_under_the_strict_admin_policy(client, editor, issue):
    policy = client.get(check_url(issue))["Content-Security-Policy"]

    assert "'unsafe-inline'" not in policy


def test_opnieuw_controleren_runs_the_check_again(client, editor, issue, article):
    assert "Geslaagd:</strong> deze versie voldoet" in client.get(check_url(issue)).content.decode()
    article.unpublish()
    assert "Geslaagd:</strong> deze versie voldoet" in client.get(check_url(issue)).content.decode()  # cached

    response = client.post(reverse("newsletter_recheck", args=[issue.pk]), follow=True)

    html = response.content.decode()
    assert "De controle is opnieuw uitgevoerd." in html
    assert "Niet geslaagd:</strong> los de problemen" in html
    assert "niet gepubliceerd" in html.split('id="check-results">')[1]


def test_the_test_mail_goes_to_the_editor_only_as_a_subscriber_gets_it(client, editor, issue, mailoutbox):
    response = client.post(reverse("newsletter_test_send", args=[issue.pk]), follow=True)

    assert "Testmail verstuurd naar editor@example.org." in response.content.decode()
    [mail] = mailoutbox
    assert mail.to == ["editor@example.org"]
    assert mail.recipients() == ["editor@example.org"]
    assert mail.subject == "[TEST] Nieuw jaar <b>nieuwe</b> oproepen"
    assert mail.extra_headers["List-Unsubscribe"] == f"<{sample_unsubscribe_link()}>"
    assert mail.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "Beste lezer," in mail.body
    assert "Lees het artikel" in mail.alternatives[0][0]

    entry = PageLogEntry.objects.get(page=issue, action="newsletter.test_send")
    assert entry.user == editor
    assert entry.data == {"revision_id": issue.live_revision_id}
    assert "editor@example.org" not in str(entry.data)
    history = client.get(reverse("wagtailadmin_pages:history", args=[issue.pk])).content.decode()
    assert "Testmail van de nieuwsbrief verstuurd" in history


def test_without_an_address_on_the_account_nothing_is_sent(client, editor, issue, mailoutbox):
    editor.email = ""
    editor.save()

    response = client.post(reverse("newsletter_test_send", args=[issue.pk]), follow=True)

    assert "Uw account heeft geen e-mailadres" in response.content.decode()
    assert not mailoutbox
    assert not PageLogEntry.objects.filter(action="newsletter.test_send").exists()


def test_versturen_is_offered_only_to_who_may_send_mailings(client, editor, issue):
    send_url = reverse("newsletter_send", args=[issue.pk])
    assert send_url not in client.get(check_url(issue)).content.decode()

    client.force_login(make_user("campaign_manager", username="beheerder2"))
    assert f'href="{send_url}"' in client.get(check_url(issue)).content.decode()


def test_controleren_en_testen_is_among_an_issues_actions_for_editors(client, editor, issue):
    edit_page = client.get(reverse("wagtailadmin_pages:edit", args=[issue.pk])).content.decode()

    assert check_url(issue) in edit_page
    assert "Controleren en testen" in edit_page
