"""The subscriber's pages in Chromium: sign-up (and its errors), the compact form, confirm, preferences, unsubscribe.

Each state passes axe-core at desktop and phone width and does not scroll sideways at 320 px.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from campaigns.models import Campaign, Recipient
from campaigns.tokens import UNSUBSCRIBE, new_nonce, recipient_token, token_hashes
from cms.factories import StandardPageFactory
from newsletter.factories import ConsentTextFactory, SubscriberFactory, TopicFactory
from newsletter.models import ConsentRecord, Subscriber
from newsletter.services.subscriptions import sign_up
from newsletter.tokens import confirmation_token, preferences_token

from .conftest import DESKTOP, PHONE, assert_no_axe_violations, horizontal_overflow, save_screenshots

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def newsletter_site(site_tree):
    home, _, _ = site_tree
    privacy = StandardPageFactory(parent=home, title="Privacyverklaring", slug="privacy")
    topics = [
        TopicFactory(name="Algemene nieuwsbrief", slug="algemeen", sort_order=1),
        TopicFactory(name="Zorg en welzijn", slug="zorg-en-welzijn", sort_order=2),
        TopicFactory(name="Netwerken palliatieve zorg", slug="netwerken", sort_order=3),
    ]
    ConsentTextFactory(privacy_page=privacy)
    return {"home": home, "topics": topics}


def check(page, name):
    """axe at desktop and phone width, no sideways scrolling at 320 px, screenshots for a human."""
    for viewport in (DESKTOP, PHONE):
        page.set_viewport_size(viewport)
        assert_no_axe_violations(page)
    page.set_viewport_size(DESKTOP)
    assert horizontal_overflow(page, 320) <= 0
    save_screenshots(page, name)


def click(page, name):
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name=name).click()
    return navigation.value


def test_sign_up_page_its_error_states_and_the_answer(page, newsletter_site):
    page.goto("/nieuwsbrief/aanmelden/")
    check(page, "newsletter-signup")
    assert page.get_by_role("link", name="privacyverklaring").get_attribute("href") == "/privacy/"

    assert click(page, "Aanmelden").status == 200
    assert page.get_by_role("alert").get_by_text("Er ging iets mis").is_visible()
    assert page.get_by_text("Vul uw e-mailadres in.").first.is_visible()
    check(page, "newsletter-signup-errors")

    page.get_by_label(re.compile(r"^E-mailadres")).fill("josé@example.org")
    page.get_by_label("Naam", exact=True).fill("Sanne Bakker")
    page.get_by_label("Zorg en welzijn", exact=True).check()
    click(page, "Aanmelden")
    assert page.get_by_text("letters met accenten").first.is_visible()
    assert page.get_by_label("Naam", exact=True).input_value() == "Sanne Bakker"
    assert page.get_by_label("Zorg en welzijn", exact=True).is_checked()
    check(page, "newsletter-signup-bad-address")

    page.get_by_label(re.compile(r"^E-mailadres")).fill("sanne@example.org")
    page.get_by_label(re.compile(r"^Ja, ik wil de nieuwsbrief")).check()
    click(page, "Aanmelden")
    assert page.get_by_role("heading", level=1).inner_text() == "Kijk in uw mailbox"
    check(page, "newsletter-check-mailbox")
    assert ConsentRecord.objects.get().topic_names == ["Zorg en welzijn"]


def test_compact_form_on_the_home_page(page, newsletter_site):
    page.goto("/")
    form = page.locator(".newsletter-signup")
    assert form.get_by_role("heading", name="Nieuwsbrief").is_visible()
    check(page, "newsletter-compact-home")

    form.get_by_label(re.compile(r"^Uw e-mailadres")).fill("jan@example")
    form.get_by_label("Algemene nieuwsbrief", exact=True).check()
    click(page, "Aanmelden voor de nieuwsbrief")
    assert page.get_by_role("heading", level=1).inner_text() == "Aanmelden voor de nieuwsbrief"
    assert page.get_by_label(re.compile(r"^E-mailadres")).input_value() == "jan@example"
    assert page.get_by_label("Algemene nieuwsbrief", exact=True).is_checked()
    check(page, "newsletter-compact-errors")

    page.get_by_label(re.compile(r"^E-mailadres")).fill("jan@example.org")
    page.get_by_label(re.compile(r"^Ja, ik wil de nieuwsbrief")).check()
    click(page, "Aanmelden")
    assert page.get_by_role("heading", level=1).inner_text() == "Kijk in uw mailbox"
    record = ConsentRecord.objects.get()
    assert (record.source, record.page_id) == (ConsentRecord.Source.COMPACT_FORM, newsletter_site["home"].pk)


def test_confirm_page_before_and_after_and_an_expired_link(page, newsletter_site):
    topics = newsletter_site["topics"]
    record = sign_up("sanne@example.org", topics=topics[:2], source=ConsentRecord.Source.SIGNUP_PAGE)

    page.goto(f"/nieuwsbrief/bevestigen/{confirmation_token(record)}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Aanmelding bevestigen"
    check(page, "newsletter-confirm")
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING

    click(page, "Aanmelding bevestigen")
    assert page.get_by_role("heading", level=1).inner_text() == "Uw aanmelding is bevestigd"
    assert page.get_by_role("link", name="uw persoonlijke voorkeurenpagina").is_visible()
    check(page, "newsletter-confirmed")
    assert Subscriber.objects.get().status == Subscriber.Status.CONFIRMED

    expired = sign_up("jan@example.org", topics=topics[:1], source=ConsentRecord.Source.SIGNUP_PAGE)
    ConsentRecord.objects.filter(pk=expired.pk).update(
        expires_at=timezone.now() - timedelta(hours=1), confirmation_sent_at=timezone.now() - timedelta(days=8)
    )
    page.goto(f"/nieuwsbrief/bevestigen/{confirmation_token(expired)}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Deze bevestigingslink is verlopen"
    check(page, "newsletter-confirm-expired")
    click(page, "Stuur mij een nieuwe link")
    assert page.get_by_role("heading", level=1).inner_text() == "Kijk in uw mailbox"
    check(page, "newsletter-confirm-renewed")

    page.goto("/nieuwsbrief/bevestigen/1-onbekend-en-niet-geldig-xxxxxxxx/")
    assert page.get_by_role("heading", level=1).inner_text() == "Deze link werkt niet"
    check(page, "newsletter-link-unknown")


def test_preference_page_saves_topics_and_unsubscribes_from_everything(page, newsletter_site):
    topics = newsletter_site["topics"]
    subscriber = SubscriberFactory(email="sanne@example.org", name="Sanne", topics=topics[:1])

    page.goto(f"/nieuwsbrief/voorkeuren/{preferences_token(subscriber)}/")
    assert page.get_by_label("Naam", exact=True).input_value() == "Sanne"
    assert page.get_by_label("Algemene nieuwsbrief", exact=True).is_checked()
    check(page, "newsletter-preferences")

    page.get_by_label("Naam", exact=True).fill("Sanne Bakker")
    page.get_by_label("Algemene nieuwsbrief", exact=True).uncheck()
    page.get_by_label("Netwerken palliatieve zorg", exact=True).check()
    click(page, "Opslaan")
    assert page.get_by_role("status").get_by_text("Uw voorkeuren zijn opgeslagen").is_visible()
    assert page.get_by_label("Netwerken palliatieve zorg", exact=True).is_checked()
    check(page, "newsletter-preferences-saved")
    subscriber.refresh_from_db()
    assert subscriber.name == "Sanne Bakker" and list(subscriber.topics.all()) == [topics[2]]

    click(page, "Afmelden voor alles")
    assert page.get_by_role("heading", level=1).inner_text() == "U bent afgemeld"
    check(page, "newsletter-preferences-unsubscribed")
    assert Subscriber.objects.get().status == Subscriber.Status.UNSUBSCRIBED

    page.goto("/nieuwsbrief/voorkeuren/voorbeeld/")
    check(page, "newsletter-preferences-sample")


def test_unsubscribe_page_asks_then_unsubscribes(page, newsletter_site):
    subscriber = SubscriberFactory(email="sanne@example.org", topics=newsletter_site["topics"])
    mailing = Campaign.objects.create(
        kind=Campaign.Kind.NEWSLETTER, name="Nieuwsbrief mei", invitation_subject="Nieuwsbrief mei", invitation_body="-"
    )
    nonce = new_nonce()
    recipient = Recipient.objects.create(
        campaign=mailing, subscriber=subscriber, email=subscriber.email, name="", token_nonce=nonce,
        **token_hashes(mailing.pk, subscriber.email, nonce),
    )

    page.goto(f"/nieuwsbrief/afmelden/{recipient_token(recipient, UNSUBSCRIBE)}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Afmelden voor de nieuwsbrief"
    check(page, "newsletter-unsubscribe")
    assert Subscriber.objects.get().status == Subscriber.Status.CONFIRMED

    response = click(page, "Ja, meld mij af")
    assert response.status == 200
    assert page.get_by_role("heading", level=1).inner_text() == "U bent afgemeld"
    check(page, "newsletter-unsubscribed")
    assert Subscriber.objects.get().status == Subscriber.Status.UNSUBSCRIBED

    page.goto("/nieuwsbrief/afmelden/voorbeeld/")
    check(page, "newsletter-unsubscribe-sample")
