"""Confirming a sign-up: one mail through a real worker, a GET that confirms nobody, a POST that does, proof kept."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.utils import timezone

from campaigns.models import Suppression
from campaigns.services.suppression import suppress
from newsletter import links
from newsletter.factories import SubscriberFactory
from newsletter.models import ConsentRecord, Subscriber
from newsletter.services import confirmation_mail
from newsletter.services.subscriptions import confirm, sign_up
from newsletter.tokens import confirmation_token

LINK = re.compile(r"http://testserver(/nieuwsbrief/bevestigen/[^/\s\"]+/)")


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    cache.clear()


def signed_up(topics, email="sanne@example.org", **kwargs):
    return sign_up(email, name="Sanne", topics=topics, source=ConsentRecord.Source.SIGNUP_PAGE, ip_address="192.0.2.1", **kwargs)


def main_content(response):
    return response.content.decode().split("<main", 1)[1].split("</main>", 1)[0]


def path(record):
    return f"/nieuwsbrief/bevestigen/{confirmation_token(record)}/"


@pytest.mark.services
def test_sign_up_mails_one_confirmation_through_a_real_worker_and_only_the_post_confirms(
    celery_worker, smtp_sink, client, topics, consent_text
):
    cache.clear()
    answer = client.post(
        "/nieuwsbrief/aanmelden/",
        {"email": "Sanne@Example.org", "name": "Sanne", "topics": [topics[0].pk, topics[2].pk], "consent": "on"},
    )
    assert "Kijk in uw mailbox" in answer.content.decode()

    message = smtp_sink.wait_for(1)[0]
    assert message["To"] == "sanne@example.org"
    assert message["Subject"] == "Bevestig uw aanmelding voor de nieuwsbrief van Zorg en Welzijn"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert '<html lang="nl">' in html
    for part in (text, html):
        assert "Algemene nieuwsbrief" in part and "Netwerken palliatieve zorg" in part
        assert f"versie {consent_text.version}" in part
        assert "geldig tot" in part
    assert consent_text.text in text
    link = LINK.search(text).group(1)
    assert link in html

    page = client.get(link)
    assert page.status_code == 200
    assert "Aanmelding bevestigen" in page.content.decode()
    subscriber = Subscriber.objects.get()
    assert subscriber.status == Subscriber.Status.PENDING
    assert ConsentRecord.objects.get().confirmed_at is None

    done = client.post(link, REMOTE_ADDR="198.51.100.7")
    assert done.status_code == 200
    assert "Uw aanmelding is bevestigd" in done.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED
    assert set(subscriber.topics.all()) == {topics[0], topics[2]}
    record = ConsentRecord.objects.get()
    assert record.confirmed_ip_address == "198.51.100.7"
    assert len(smtp_sink.messages) == 1, celery_worker.log()


def test_the_consent_record_holds_everything_a_regulator_asks(client, site_tree, topics, consent_text):
    home, _, _ = site_tree
    client.post(
        "/nieuwsbrief/aanmelden/",
        {"email": "jan@example.org", "topics": [topics[1].pk], "consent": "on", "source": "compact_form", "page_id": home.pk},
        REMOTE_ADDR="203.0.113.5",
    )
    record = ConsentRecord.objects.get()
    client.post(path(record), REMOTE_ADDR="203.0.113.9")

    record.refresh_from_db()
    assert record.requested_at <= record.confirmed_at <= timezone.now()
    assert (record.source, record.page.pk) == (ConsentRecord.Source.COMPACT_FORM, home.pk)
    assert record.page_url.endswith(home.url)
    assert record.ip_address == "203.0.113.5"
    assert (record.consent_text.version, record.consent_text.text) == (consent_text.version, consent_text.text)
    assert record.privacy_statement_version == consent_text.privacy_statement_version
    assert record.topic_names == ["Zorg en welzijn"] and list(record.topics.all()) == [topics[1]]
    assert record.confirmed_ip_address == "203.0.113.9"


def test_the_page_behind_the_link_shows_one_button_and_is_private(client, topics, consent_text):
    record = signed_up(topics[:1])

    page = client.get(path(record))

    main = main_content(page)
    assert main.count("<button") == 1
    assert "Algemene nieuwsbrief" in main
    assert page["Cache-Control"] == "private, no-store"
    assert page["Referrer-Policy"] == "same-origin"


def test_confirming_twice_changes_nothing_and_shows_the_preference_link(client, topics, consent_text):
    record = signed_up(topics[:2])
    client.post(path(record), REMOTE_ADDR="192.0.2.50")
    first = ConsentRecord.objects.get().confirmed_at

    again = client.post(path(record), REMOTE_ADDR="192.0.2.99")

    assert again.status_code == 200
    html = again.content.decode()
    assert "Zorg en welzijn" in html
    assert links.preferences_link(record.subscriber) in html
    record.refresh_from_db()
    assert (record.confirmed_at, record.confirmed_ip_address) == (first, "192.0.2.50")


def test_a_second_sign_up_with_more_topics_adds_them_on_confirmation(topics, consent_text):
    confirm(signed_up(topics[:1]), "192.0.2.1")
    second = signed_up(topics)

    confirm(second, "192.0.2.2")

    subscriber = Subscriber.objects.get()
    assert set(subscriber.topics.all()) == set(topics)
    assert subscriber.consents.count() == 2


def test_an_expired_link_offers_a_new_one_within_the_mail_limits(client, topics, consent_text):
    record = signed_up(topics[:1])
    ConsentRecord.objects.filter(pk=record.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1), confirmation_sent_at=timezone.now() - timedelta(days=8)
    )
    old = path(record)

    page = client.get(old)
    assert "Deze bevestigingslink is verlopen" in page.content.decode()
    assert "Stuur mij een nieuwe link" in page.content.decode()
    assert client.get(old).status_code == 200

    renewed = client.post(old)
    assert "Kijk in uw mailbox" in renewed.content.decode()
    record.refresh_from_db()
    assert record.expires_at > timezone.now() + timedelta(days=6)
    assert record.confirmation_mails == 2
    assert client.get(old).status_code == 404, "the old link is retired"
    assert record.confirmed_at is None

    ConsentRecord.objects.filter(pk=record.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    too_soon = client.post(path(record))
    assert "Nog even geduld" in too_soon.content.decode()
    record.refresh_from_db()
    assert record.confirmation_mails == 2


@pytest.mark.parametrize(
    "token",
    ["onbekend", "1-" + "A" * 43, "99999999999999999999-" + "A" * 43, "²-" + "A" * 43, "1-" + "A" * 500, "voorbeeld"],
)
def test_unknown_or_tampered_links_get_the_dutch_404(client, topics, consent_text, token):
    record = signed_up(topics[:1])

    for method in (client.get, client.post):
        page = method(f"/nieuwsbrief/bevestigen/{token}/")
        assert page.status_code == 404
        assert "Deze link werkt niet" in page.content.decode()
    assert ConsentRecord.objects.get(pk=record.pk).confirmed_at is None


def test_a_tampered_real_token_confirms_nobody(client, topics, consent_text):
    record = signed_up(topics[:1])
    token = confirmation_token(record)
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")

    assert client.post(f"/nieuwsbrief/bevestigen/{tampered}/").status_code == 404
    other = f"/nieuwsbrief/voorkeuren/{token}/"
    assert client.get(other).status_code == 404, "a confirmation link is no preference link"
    assert ConsentRecord.objects.get().confirmed_at is None


def test_confirming_lifts_ones_own_unsubscribe_but_never_a_bounce_or_complaint(topics, consent_text):
    suppress("terug@example.org", Suppression.Scope.NEWSLETTER, Suppression.Reason.UNSUBSCRIBED)
    suppress("klacht@example.org", Suppression.Scope.ALL, Suppression.Reason.COMPLAINT)
    suppress("bounce@example.org", Suppression.Scope.NEWSLETTER, Suppression.Reason.HARD_BOUNCE)

    for email in ("terug@example.org", "klacht@example.org", "bounce@example.org"):
        confirm(signed_up(topics[:1], email=email), "192.0.2.1")

    assert sorted(Suppression.objects.values_list("email", flat=True)) == ["bounce@example.org", "klacht@example.org"]


def test_a_confirmation_mail_names_the_consent_text_topics_and_expiry(topics, consent_text):
    record = signed_up(topics[1:2])

    message = confirmation_mail.build(record)

    assert message.to == ["sanne@example.org"]
    assert links.confirmation_link(record) in message.body
    assert "Zorg en welzijn" in message.body
    assert consent_text.text in message.body
    html = message.alternatives[0][0]
    assert '<html lang="nl">' in html
    assert links.confirmation_link(record) in html


def test_a_subscriber_asking_again_for_topics_they_have_gets_their_preference_link(topics, consent_text):
    subscriber = SubscriberFactory(email="sanne@example.org", topics=topics[:2])
    record = signed_up(topics[:1])

    assert confirmation_mail.send(record.pk) is True

    message = mail.outbox[0]
    assert message.subject == "U bent al aangemeld voor de nieuwsbrief van Zorg en Welzijn"
    assert links.preferences_link(subscriber) in message.body
    assert "/nieuwsbrief/bevestigen/" not in message.body


def test_text_typed_by_the_visitor_is_escaped_in_the_mail(topics, consent_text):
    record = sign_up(
        "sanne@example.org", name="<b>Sanne</b>", topics=topics[:1], source=ConsentRecord.Source.SIGNUP_PAGE
    )

    message = confirmation_mail.build(record)

    assert "&lt;b&gt;Sanne&lt;/b&gt;" in message.alternatives[0][0]
    assert "Beste <b>Sanne</b>," in message.body


def test_a_refusal_by_the_mail_server_suppresses_the_address_as_a_hard_bounce(topics, consent_text, mail_to_refusing_sink):
    mail_to_refusing_sink.refused.add("sanne@example.org")
    record = signed_up(topics[:1])

    assert confirmation_mail.send(record.pk) is False

    entry = Suppression.objects.get()
    assert (entry.scope, entry.reason) == (Suppression.Scope.ALL, Suppression.Reason.HARD_BOUNCE)
    assert entry.event["smtp"]["sanne@example.org"]["code"] >= 500
    assert confirmation_mail.send(record.pk) is False, "a bounced address is not tried again"


def test_a_temporary_refusal_is_raised_for_the_task_to_retry(topics, consent_text, mail_to_refusing_sink):
    import smtplib

    mail_to_refusing_sink.temporarily_refused.add("sanne@example.org")
    record = signed_up(topics[:1])

    with pytest.raises(smtplib.SMTPRecipientsRefused):
        confirmation_mail.send(record.pk)
    assert not Suppression.objects.exists()
