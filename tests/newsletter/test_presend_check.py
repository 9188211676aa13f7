"""The pre-send check: a good issue passes, and each rule fails on its own when its one thing is wrong."""

import dataclasses

import pytest
from django.conf import settings
from django.core.cache import cache
from wagtail.models import PageViewRestriction, Revision
from wagtail.rich_text import RichText

from cms import factories
from newsletter import links
from newsletter.factories import NewsletterIssuePageFactory
from newsletter.services import presend_check
from newsletter.services.presend_check import Mail

NON_AXE_RULES = presend_check.RULES[:-1]


@pytest.fixture(autouse=True)
def empty_cache():
    """Wagtail caches renditions in the default cache: one from an earlier run names a file of its media folder."""
    cache.clear()


@pytest.fixture
def good_issue(site_tree, newsletter_index, topics):
    _, articles, calls = site_tree
    article = factories.ArticlePageFactory(parent=articles, title="Samenwerken met het wijkteam")
    document = factories.DocumentFactory(title="Werkboek")
    text = (
        "<h2>Nieuws</h2>"
        f'<p>Lees het <a linktype="page" id="{article.pk}">artikel</a>, het '
        f'<a linktype="document" id="{document.pk}">werkboek</a>, '
        '<a href="https://example.org/gids">de gids</a> of mail <a href="mailto:info@example.org">ons</a>.</p>'
    )
    return NewsletterIssuePageFactory(
        parent=newsletter_index,
        subject="Nieuws van december",
        body=[
            ("text", RichText(text)),
            ("image", {"image": factories.ImageFactory(), "alt_text": "Twee mensen in gesprek", "caption": ""}),
            ("page_teaser", {"page": factories.CallForInputPageFactory(parent=calls, notify_contact_person=False)}),
            ("call_to_action", {"text": "Naar de oproepen", "page": calls, "url": ""}),
        ],
    )


@pytest.fixture
def good_mail(good_issue):
    return Mail.from_message(presend_check.sample_message(good_issue.save_revision()))


def failing(mail):
    return [result.rule for result in (rule(mail) for rule in NON_AXE_RULES) if not result.passed]


def replaced(mail, **changes):
    return dataclasses.replace(mail, **changes)


def test_a_good_issue_passes_every_rule_and_the_report_is_cached(good_issue, settings):
    revision = good_issue.save_revision()

    report = presend_check.check_revision(revision)

    assert [(result.rule, result.problems) for result in report.results if not result.passed] == []
    assert report.passed
    assert [result.rule for result in report.results] == ["links", "alt", "lang", "unsubscribe", "size", "plain_text", "axe"]
    size = next(result for result in report.results if result.rule == "size")
    assert size.detail.startswith("Grootte: ") and size.detail.endswith("kB van de 100,0 kB.")
    assert report.as_dict()["results"][0]["label"] == "Alle links zijn absoluut en werken"
    # The second time comes from the cache (axe is not run again); "Opnieuw controleren" runs it all.
    settings.CHROMIUM_PATH = "/nergens/chromium"
    assert presend_check.check_revision(revision).as_dict() == report.as_dict()
    assert not presend_check.check_revision(revision, refresh=True).passed


def test_a_cached_report_is_not_reused_for_other_content_under_the_same_revision_id(good_issue):
    """Another test database, or a restored one, gives the same revision id to other content."""
    revision = good_issue.save_revision()
    assert presend_check.check_revision(revision).passed
    good_issue.body = [("text", RichText(f'<p><a href="{settings.SITE_URL}/bestaat-niet/">Lees meer</a></p>'))]
    other = good_issue.save_revision()
    Revision.objects.filter(pk=revision.pk).update(content=other.content, created_at=other.created_at)

    report = presend_check.check_revision(Revision.objects.get(pk=revision.pk))

    assert not report.passed
    assert [result.rule for result in report.results if not result.passed] == ["links"]


def test_a_link_to_a_page_that_went_offline_fails_the_links_rule_after_a_refresh(good_issue, site_tree):
    _, articles, _ = site_tree
    revision = good_issue.save_revision()
    article = articles.get_children().get(title="Samenwerken met het wijkteam")
    article.unpublish()

    mail = Mail.from_message(presend_check.sample_message(revision))

    assert failing(mail) == ["links"]
    problems = presend_check.check_links(mail).problems
    assert problems == [f"{article.full_url}: deze pagina is niet gepubliceerd"] or problems == [
        f"{article.full_url}: deze pagina bestaat niet of is niet gepubliceerd"
    ]


@pytest.mark.parametrize(
    "href, problem",
    [
        ("/artikelen/", "niet absoluut"),
        ("#inhoud", "niet absoluut"),
        ("", "niet absoluut"),
        ("javascript:alert(1)", "niet absoluut"),
        ("http://example.org/gids", "niet beveiligd"),
        ("{site}/bestaat-niet/", "deze pagina bestaat niet"),
        ("{site}/media/images/weg.png", "dit bestand bestaat niet"),
        ("{site}/documenten/999999/weg.pdf", "bestaat niet (meer)"),
        ("{site}/personas/999999/download/", "bestaat niet (meer)"),
    ],
)
def test_each_bad_link_fails_the_links_rule_alone(good_mail, href, problem):
    href = href.format(site=settings.SITE_URL)
    mail = replaced(good_mail, html=good_mail.html.replace("</body>", f'<a href="{href}">Lees meer</a></body>'))

    assert failing(mail) == ["links"]
    [reported] = presend_check.check_links(mail).problems
    assert problem in reported


def test_a_link_to_a_private_page_fails(good_mail, site_tree):
    home, articles, _ = site_tree
    PageViewRestriction.objects.create(page=articles, restriction_type=PageViewRestriction.LOGIN)
    mail = replaced(good_mail, html=good_mail.html.replace("</body>", f'<a href="{articles.full_url}">x</a></body>'))

    assert "niet openbaar" in " ".join(presend_check.check_links(mail).problems)


def test_the_sample_links_and_the_archive_answer(good_mail):
    for url in (links.sample_unsubscribe_link(), links.sample_preferences_link(), f"{settings.SITE_URL}/nieuwsbrief/"):
        assert presend_check.link_problem(url) == ""


def test_an_image_without_alt_text_fails_only_that_rule(good_mail):
    mail = replaced(good_mail, html=good_mail.html.replace('alt="Twee mensen in gesprek"', 'alt=" "'))
    assert failing(mail) == ["alt"]


@pytest.mark.parametrize("replacement", ['<html lang="en"', "<html"])
def test_a_mail_not_in_dutch_fails_only_the_language_rule(good_mail, replacement):
    assert '<html lang="nl"' in good_mail.html
    mail = replaced(good_mail, html=good_mail.html.replace('<html lang="nl"', replacement, 1))
    assert failing(mail) == ["lang"]


def test_a_missing_unsubscribe_header_fails_the_unsubscribe_rule(good_mail):
    headers = {key: value for key, value in good_mail.headers.items() if key != "List-Unsubscribe-Post"}
    assert failing(replaced(good_mail, headers=headers)) == ["unsubscribe"]

    bare = {**good_mail.headers, "List-Unsubscribe": links.sample_unsubscribe_link()}
    mail = replaced(good_mail, headers=bare)
    assert "unsubscribe" in failing(mail)
    assert "List-Unsubscribe ontbreekt" in presend_check.check_unsubscribe(mail).problems[0]


def test_an_unsubscribe_link_missing_from_the_html_fails_the_unsubscribe_rule(good_mail):
    url = links.sample_unsubscribe_link()
    mail = replaced(good_mail, html=good_mail.html.replace(f'href="{url}"', f'href="{settings.SITE_URL}/nieuwsbrief/"'))
    assert failing(mail) == ["unsubscribe"]
    assert presend_check.check_unsubscribe(mail).problems == ["De opgemaakte mail heeft geen afmeldlink."]


def test_an_unsubscribe_header_over_http_fails_in_production(good_mail, settings):
    settings.SITE_URL = "https://www.zorgenwelzijn.example"
    problems = presend_check.check_unsubscribe(good_mail).problems
    assert "Het adres in List-Unsubscribe begint niet met https://." in problems


def test_a_mail_over_100_kb_fails_only_the_size_rule(good_mail):
    filler = "<p>" + "Een lange nieuwsbrief. " * 5000 + "</p>"
    mail = replaced(good_mail, html=good_mail.html.replace("</body>", f"{filler}</body>"))
    assert failing(mail) == ["size"]
    assert "Gmail knipt" in presend_check.check_size(mail).problems[0]


def test_plain_text_that_is_missing_or_html_fails_only_that_rule(good_mail):
    # No text at all also means no unsubscribe link in the text: both rules say so.
    assert failing(replaced(good_mail, text="")) == ["unsubscribe", "plain_text"]
    assert failing(replaced(good_mail, text=good_mail.html)) == ["plain_text"]
    with_tags = good_mail.text.replace("Nieuws", "<strong>Nieuws</strong>", 1)
    assert failing(replaced(good_mail, text=with_tags)) == ["plain_text"]
    escaped = good_mail.text + "\nTom &amp; Jerry"
    assert presend_check.check_plain_text(replaced(good_mail, text=escaped)).problems == [
        "De platte tekst bevat HTML-tekens: &amp;."
    ]


def test_plain_text_without_the_unsubscribe_link_fails(good_mail):
    text = good_mail.text.replace(links.sample_unsubscribe_link(), "")
    mail = replaced(good_mail, text=text)
    assert set(failing(mail)) == {"plain_text", "unsubscribe"}


def test_axe_finds_a_missing_alt_text_and_too_little_contrast():
    html = (
        '<!doctype html><html lang="nl"><head><title>Nieuwsbrief</title></head><body><main>'
        '<img src="https://example.org/foto.png" width="10" height="10">'
        '<p style="color:#dddddd; background:#ffffff">Lichtgrijze tekst op wit.</p></main></body></html>'
    )
    result = presend_check.check_accessibility(Mail(html=html, text="", headers={}))

    assert not result.passed
    assert any("(image-alt, 1×)" in problem for problem in result.problems)
    assert any("(color-contrast, 1×)" in problem for problem in result.problems)


def test_without_chromium_the_axe_rule_did_not_run_and_fails(good_mail, settings):
    settings.CHROMIUM_PATH = "/nergens/chromium"
    result = presend_check.check_accessibility(good_mail)

    assert not result.passed
    assert result.problems == [
        "Niet uitgevoerd: Chromium is niet gevonden op /nergens/chromium (installeer het pakket chromium of zet CHROMIUM_PATH)."
    ]
