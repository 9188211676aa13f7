"""Editors' and subscribers' text reaches the mails only escaped, and no ``javascript:`` link reaches an href."""

import re

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from wagtail.rich_text import RichText

from cms import factories
from newsletter.factories import ConsentTextFactory, NewsletterIssuePageFactory, SubscriberFactory, TopicFactory
from newsletter.models import ConsentRecord
from newsletter.services import confirmation_mail, rendering
from newsletter.services.subscriptions import sign_up

SCRIPT = "<script>alert(1)</script>"
ATTRIBUTE = '"onmouseover=alert(1) x="'
JAVASCRIPT = "javascript:alert(1)"
HOSTILE = f"Kop {SCRIPT} {ATTRIBUTE} {JAVASCRIPT}"


def hostile(label):
    return f"{label} {HOSTILE}"


@pytest.fixture
def hostile_issue(site_tree, newsletter_index):
    _, articles, calls = site_tree
    article = factories.ArticlePageFactory(
        parent=articles,
        title=hostile("Artikel"),
        intro=hostile("Inleiding artikel"),
        listing_image=factories.ImageFactory(description=hostile("Beschrijving")),
    )
    call = factories.CallForInputPageFactory(parent=calls, title=hostile("Oproep"), intro=hostile("Inleiding oproep"))
    persona = factories.PersonaFactory(
        name=hostile("Persona"), condition=hostile("Aandoening"), summary=hostile("Samenvatting"), image=factories.ImageFactory(title=hostile("Afbeeldingstitel"))
    )
    text = (
        f"<p>{hostile('Alinea').replace('<', '&lt;')}</p>"
        f'<p><a href="{JAVASCRIPT}">klik</a> <a href="JaVa&#x09;Script:alert(2)">ook</a> '
        f'<a href="https://example.org/gids" onmouseover="alert(3)">veilig</a></p>'
        f"<script>alert(4)</script><p>Einde</p>"
    )
    return NewsletterIssuePageFactory(
        parent=newsletter_index,
        title=hostile("Titel"),
        subject=hostile("Onderwerp"),
        preheader=hostile("Voorkop"),
        intro=hostile("Inleiding"),
        body=[
            ("text", RichText(text)),
            ("image", {"image": factories.ImageFactory(), "alt_text": hostile("Alt"), "caption": hostile("Onderschrift")}),
            ("page_teaser", {"page": article}),
            ("page_teaser", {"page": call}),
            ("persona_teaser", {"persona": persona}),
            ("call_to_action", {"text": hostile("Knop"), "page": None, "url": "https://example.org/oproep"}),
            ("call_to_action", {"text": "Gevaarlijke knop", "page": None, "url": JAVASCRIPT}),
        ],
    )


def html_part(message):
    return next(content for content, mimetype in message.alternatives if mimetype == "text/html")


def assert_only_escaped(html):
    """No script element, no event handler attribute, no link or source with a javascript: URL."""
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find("script") is None
    assert "<script" not in html.lower()
    assert ATTRIBUTE not in html
    for element in soup.find_all(True):
        assert not [name for name in element.attrs if name.lower().startswith("on")], element
        for name in ("href", "src"):
            url = re.sub(r"[\x00-\x20]+", "", element.get(name, "")).lower()
            assert not url.startswith("javascript:"), element


def test_the_issue_mail_escapes_every_editor_text_and_drops_javascript_links(hostile_issue):
    message = rendering.build_email(
        rendering.prepare(hostile_issue),
        to_email="lezer@example.org",
        to_name=hostile("Lezer"),
        links=rendering.sample_links(hostile_issue),
        topics=[TopicFactory(name="Algemeen")],
    )
    html = html_part(message)

    assert_only_escaped(html)
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt; &quot;onmouseover=alert(1) x=&quot;"
    for label in [
        "Titel", "Onderwerp", "Voorkop", "Inleiding", "Alinea", "Alt", "Onderschrift", "Artikel", "Inleiding artikel",
        "Oproep", "Inleiding oproep", "Persona", "Samenvatting", "Knop", "Beste Lezer", "Beschrijving", "Afbeeldingstitel",
    ]:
        assert f"{label} Kop {escaped}" in html, label
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find("a", string="veilig")["href"] == "https://example.org/gids"
    assert soup.find("a", string="klik") is None and "klik" in soup.get_text()
    assert soup.find("a", string="ook") is None and "ook" in soup.get_text()
    assert "Gevaarlijke knop" not in html
    assert "alert(4)" not in html
    # The plain-text part writes a link's address after its text, but never an unsafe one.
    assert "klik ook veilig (https://example.org/gids)" in message.body


@pytest.mark.django_db
@pytest.mark.parametrize("already", [False, True], ids=["new", "already-subscribed"])
def test_the_confirmation_mail_escapes_the_name_the_topics_and_the_consent_text(already):
    topic = TopicFactory(name=hostile("Onderwerp"))
    if already:
        SubscriberFactory(email="lezer@example.org", name=hostile("Naam"), topics=[topic])
    record = sign_up(
        "lezer@example.org",
        name=hostile("Naam"),
        topics=[topic],
        source=ConsentRecord.Source.SIGNUP_PAGE,
        consent_text=ConsentTextFactory(text=hostile("Toestemming")),
        send=False,
    )

    html = html_part(confirmation_mail.build(record))

    assert_only_escaped(html)
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt; &quot;onmouseover=alert(1) x=&quot;"
    assert f"Beste Naam Kop {escaped}" in html
    assert f"Onderwerp Kop {escaped}" in html
    assert (f"Toestemming Kop {escaped}" in html) is not already
    assert settings.SITE_URL in html
