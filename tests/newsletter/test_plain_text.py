"""The plain-text part: built from the block values, readable on its own, with every URL written out."""

from django.conf import settings
from wagtail.rich_text import RichText

from cms import factories
from newsletter.factories import NewsletterIssuePageFactory
from newsletter.services import rendering
from newsletter.services.plain_text import rich_text

LINKS = rendering.MailLinks(
    web_version="https://zorgenwelzijn.example/nieuwsbrief/december/",
    preferences="https://zorgenwelzijn.example/nieuwsbrief/voorkeuren/abc/",
    unsubscribe="https://zorgenwelzijn.example/nieuwsbrief/afmelden/def/",
)


def test_headings_are_underlined_and_lists_kept():
    text = rich_text(
        RichText(
            "<h2>Nieuws uit de regio</h2><h3>Utrecht</h3><p>Twee dingen:</p>"
            "<ul><li>Eerste punt</li><li>Tweede punt</li></ul><ol><li>Stap een</li><li>Stap twee</li></ol>"
        )
    )
    assert text == (
        "Nieuws uit de regio\n===================\n\nUtrecht\n-------\n\nTwee dingen:\n\n"
        "- Eerste punt\n- Tweede punt\n\n1. Stap een\n2. Stap twee"
    )


def test_links_are_written_out_and_page_links_made_absolute(site_tree):
    _, articles, _ = site_tree
    article = factories.ArticlePageFactory(parent=articles, slug="wijkteams")
    text = rich_text(
        RichText(
            f'<p>Lees <a linktype="page" id="{article.pk}">het artikel</a> of '
            '<a href="https://example.org/gids">de gids</a> &amp; meer &lt;b&gt;.</p>'
        )
    )
    assert " ".join(text.split()) == (
        f"Lees het artikel ({settings.SITE_URL}/artikelen/wijkteams/) of de gids (https://example.org/gids) & meer <b>."
    )


def test_the_text_part_has_teasers_with_url_and_deadline_and_the_footer(site_tree, newsletter_index):
    _, articles, calls = site_tree
    article = factories.ArticlePageFactory(parent=articles, title="Samenwerken met het wijkteam", slug="samenwerken")
    call = factories.CallForInputPageFactory(parent=calls, title="Oproep: goede voorbeelden", slug="voorbeelden")
    issue = NewsletterIssuePageFactory(
        parent=newsletter_index,
        title="Nieuwsbrief december 2026",
        intro="Het nieuws van december.",
        body=[
            ("text", RichText("<p>Welkom.</p>")),
            ("page_teaser", {"page": article}),
            ("page_teaser", {"page": call}),
            ("call_to_action", {"text": "Alle oproepen", "page": calls, "url": ""}),
            ("image", {"image": factories.ImageFactory(), "alt_text": "Twee mensen in gesprek", "caption": ""}),
        ],
    )
    text = rendering.prepare(issue).for_recipient("Anna", LINKS).text
    assert text.startswith("Nieuwsbrief december 2026\n=========================\n\nBeste Anna,\n\nHet nieuws van december.\n")
    assert "Samenwerken met het wijkteam\n----------------------------\n" in text
    assert f"Lees verder: {settings.SITE_URL}/artikelen/samenwerken/" in text
    assert "Oproep: goede voorbeelden\n" in text
    assert "Reageren kan tot " in text and f"Lees verder: {settings.SITE_URL}/oproepen/voorbeelden/" in text
    assert f"Alle oproepen: {settings.SITE_URL}/oproepen/" in text
    assert "[Afbeelding: Twee mensen in gesprek]" in text
    assert "<" not in text.replace("<b>", "")
    footer = text.split("\n--\n", 1)[1]
    assert f"Bekijk deze nieuwsbrief in uw browser: {LINKS.web_version}" in footer
    assert f"Onderwerpen of naam wijzigen: {LINKS.preferences}" in footer
    assert f"Afmelden: {LINKS.unsubscribe}" in footer
    assert settings.NEWSLETTER_SENDER_IDENTITY in footer
    assert all(len(line) <= 72 or "http" in line for line in text.splitlines())


def test_a_reader_without_a_name_is_greeted_all_the_same(newsletter_index):
    issue = NewsletterIssuePageFactory(parent=newsletter_index)
    assert "\nBeste lezer,\n" in rendering.prepare(issue).for_recipient("", LINKS).text
