"""The mail of an issue: escaped, absolute, accessible, small, per-recipient links, rendered once for many."""

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.test import RequestFactory
from django.test.signals import template_rendered
from wagtail.rich_text import RichText

from cms import factories
from newsletter.factories import NewsletterIssuePageFactory
from newsletter.services import rendering


def links(number):
    return rendering.MailLinks(
        web_version=f"{settings.SITE_URL}/nieuwsbrief/nummer/",
        preferences=f"{settings.SITE_URL}/nieuwsbrief/voorkeuren/token-{number}/",
        unsubscribe=f"{settings.SITE_URL}/nieuwsbrief/afmelden/token-{number}/",
    )


@pytest.fixture
def full_issue(site_tree, newsletter_index):
    """An issue with every kind of block, editors' text that looks like HTML, and a few images."""
    _, articles, calls = site_tree
    article = factories.ArticlePageFactory(
        parent=articles, title="Wijkteams & netwerken", listing_image=factories.ImageFactory(title="Gesprek")
    )
    call = factories.CallForInputPageFactory(parent=calls, title="Oproep: voorbeelden <uit de regio>")
    persona = factories.PersonaFactory(name="Piet en Ria", image=factories.ImageFactory(title="Piet en Ria"))
    text = (
        "<h2>Nieuws uit de regio</h2>"
        f'<p>Lees het <a linktype="page" id="{article.pk}">artikel</a> of <a href="https://example.org/gids">de gids</a>.</p>'
        "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"
        "<ul><li>Eerste punt</li><li>Tweede punt</li></ul>"
    )
    body = [("text", RichText(text))]
    for number in range(6):
        body += [
            ("image", {"image": factories.ImageFactory(), "alt_text": f'Foto {number} "><script>x</script>', "caption": "Een gesprek."}),
            ("page_teaser", {"page": article}),
            ("page_teaser", {"page": call}),
            ("persona_teaser", {"persona": persona}),
            ("call_to_action", {"text": "Naar de oproepen", "page": calls, "url": ""}),
            ("text", RichText(text)),
        ]
    return NewsletterIssuePageFactory(
        parent=newsletter_index,
        title="Nieuwsbrief <december>",
        subject="Nieuws & oproepen",
        preheader="Twee nieuwe oproepen",
        intro="Een inleiding met <b>tekens</b>.",
        body=body,
    )


def mail(issue, number=1, name="Anna de Vries", topics=()):
    return rendering.build_email(
        rendering.prepare(issue), to_email=f"lezer{number}@example.org", to_name=name, links=links(number), topics=topics
    )


def html_of(message):
    return message.alternatives[0][0]


def test_editor_text_is_escaped(full_issue):
    message = mail(full_issue, name="Jan <b>de Boer</b>")
    html = html_of(message)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Nieuwsbrief &lt;december&gt;" in html
    assert "Oproep: voorbeelden &lt;uit de regio&gt;" in html
    assert "Beste Jan &lt;b&gt;de Boer&lt;/b&gt;," in html
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find("b") is None
    assert 'Foto 0 "><script>x</script>' in [img["alt"] for img in soup.find_all("img")]
    assert "Beste Jan <b>de Boer</b>," in message.body


def test_every_url_is_absolute_and_every_image_has_its_alt_text(full_issue):
    soup = BeautifulSoup(html_of(mail(full_issue)), "html.parser")
    urls = [a["href"] for a in soup.find_all("a")] + [img["src"] for img in soup.find_all("img")]
    assert len(urls) > 40
    assert all(url.startswith((settings.SITE_URL + "/", "https://")) for url in urls), urls
    images = soup.find_all("img")
    assert len(images) == 6 + 6 + 6  # body images, article teasers, personas
    assert all(img["alt"].strip() and img.get("width") and img.get("height") for img in images)
    assert all("/media/images/" in img["src"] for img in images)


def test_the_mail_is_dutch_table_layout_with_a_hidden_preheader_under_100_kb(full_issue):
    html = html_of(mail(full_issue))
    soup = BeautifulSoup(html, "html.parser")
    assert soup.html["lang"] == "nl"
    assert all(table["role"] == "presentation" for table in soup.find_all("table"))
    assert "display:none" in soup.body.div["style"] and soup.body.div.get_text() == "Twee nieuwe oproepen"
    assert len(html.encode()) < 100 * 1024
    assert "Reageren kan tot " in html and " uur" in html


def test_each_recipient_gets_their_own_links_and_both_unsubscribe_headers(full_issue):
    first, second = mail(full_issue, 1), mail(full_issue, 2)
    for number, message in ((1, first), (2, second)):
        unsubscribe = links(number).unsubscribe
        assert message.extra_headers["List-Unsubscribe"] == f"<{unsubscribe}>"
        assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert unsubscribe in html_of(message) and unsubscribe in message.body
        assert links(number).preferences in html_of(message) and links(number).preferences in message.body
        sent = message.message()
        assert sent["List-Unsubscribe"] == f"<{unsubscribe}>"
        assert sent["From"] == "Zorg en Welzijn <noreply@example.org>"
        assert sent["Subject"] == "Nieuws & oproepen"
    assert links(1).unsubscribe not in html_of(second)
    assert settings.NEWSLETTER_SENDER_IDENTITY in html_of(first) and settings.NEWSLETTER_SENDER_IDENTITY in first.body


def test_list_id_names_the_first_topic(full_issue, topics):
    message = mail(full_issue, topics=topics[1:])
    assert message.message()["List-Id"] == "Zorg en welzijn <zorg-en-welzijn.newsletter.example.org>"
    assert "List-Id" not in mail(full_issue).extra_headers


def test_a_line_break_in_a_name_is_refused_in_dutch(full_issue):
    with pytest.raises(ValueError, match="mag geen regeleinde bevatten"):
        mail(full_issue, name="Anna\nBcc: iedereen@example.org")


def test_no_tracking_unless_turned_on(full_issue, settings):
    assert mail(full_issue).track_clicks is False
    settings.CAMPAIGNS_TRACK_OPENS_AND_CLICKS = True
    message = mail(full_issue)
    assert message.track_opens is True and message.track_clicks is True


def test_the_blocks_are_rendered_once_for_many_recipients(full_issue):
    rendered = []

    def count(sender, template, **kwargs):
        rendered.append(template.name)

    template_rendered.connect(count)
    try:
        prepared = rendering.prepare(full_issue)
        block_renders = len(rendered)
        contents = [prepared.for_recipient(f"Lezer {number}", links(number)) for number in range(500)]
    finally:
        template_rendered.disconnect(count)
    assert block_renders >= len(full_issue.body) and rendered.count("mail/newsletter_issue.html") == 1
    assert len(rendered) == block_renders
    assert len({content.html for content in contents}) == 500
    assert "Beste Lezer 499," in contents[-1].html


def test_a_worker_keeps_the_prepared_mail_of_a_revision(full_issue):
    revision = full_issue.save_revision()
    first = rendering.prepared_revision(revision.pk)
    full_issue.subject = "Een later onderwerp"
    full_issue.save_revision()
    assert rendering.prepared_revision(revision.pk) is first
    assert first.subject == "Nieuws & oproepen"


def test_the_mail_preview_shows_the_mail_with_sample_links(full_issue, rf: RequestFactory):
    response = full_issue.serve_preview(rf.get("/"), "mail")
    html = response.content.decode()
    assert html.startswith("<!DOCTYPE html>") and 'lang="nl"' in html
    assert f'href="{rendering.sample_links(full_issue).unsubscribe}"' in html
    assert "'unsafe-inline'" in response._csp_config["style-src"]
    assert "Webversie" in dict(full_issue.preview_modes).values()


def test_the_web_version_and_the_archive(full_issue, newsletter_index, client):
    full_issue.save_revision().publish()
    page = client.get(full_issue.url)
    html = page.content.decode()
    assert page.status_code == 200 and '<html lang="nl"' in html
    assert "Nieuwsbrief &lt;december&gt;" in html and "<script>" not in html
    assert "Reageren kan tot" in html and "Download persona Piet en Ria" in html
    assert 'alt="Foto 0 &quot;&gt;&lt;script&gt;x&lt;/script&gt;"' in html
    archive = client.get(newsletter_index.url).content.decode()
    assert full_issue.url in archive and 'href="/nieuwsbrief/aanmelden/"' in archive
