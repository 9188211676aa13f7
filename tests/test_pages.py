"""What a visitor sees on the public pages, feeds, sitemap and search."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from cms.factories import ArticlePageFactory, CallForInputPageFactory, PersonaFactory, paragraph
from cms import views
from cms.models import Persona


@pytest.fixture
def articles(site_tree):
    _, index, _ = site_tree
    return [
        ArticlePageFactory(
            parent=index,
            title="Mantelzorgers in beeld bij het wijkteam",
            tags=["mantelzorg"],
            body=[paragraph("<p>Het wijkteam bespreekt de draagkracht van mantelzorgers.</p>")],
        ),
        ArticlePageFactory(
            parent=index,
            title="Gemeenten en netwerken palliatieve zorg",
            tags=["sociaal domein"],
            body=[paragraph("<p>Wmo-consulenten leren de persona's kennen.</p>")],
        ),
    ]


def test_persona_download_is_counted_and_hands_over_the_document(client, db):
    persona = PersonaFactory()

    for _ in range(2):
        response = client.get(f"/personas/{persona.pk}/download/")
        assert response.status_code == 302
        assert response["Location"] == persona.document.url

    assert Persona.objects.get(pk=persona.pk).download_count == 2
    # Link checkers and mail scanners ask with HEAD: they get an answer, and no download is counted.
    assert client.head(f"/personas/{persona.pk}/download/").status_code == 302
    assert Persona.objects.get(pk=persona.pk).download_count == 2


@pytest.mark.parametrize("url", ["/feed/", "/feed/atom/"])
def test_feeds_carry_the_article_titles(client, articles, url):
    response = client.get(url)

    assert response.status_code == 200
    for article in articles:
        assert article.title in response.content.decode()


def test_sitemap_lists_articles_and_calls(client, articles, site_tree):
    call = CallForInputPageFactory(parent=site_tree[2])

    content = client.get("/sitemap.xml").content.decode()

    for page in [*articles, call]:
        assert page.url in content


def test_favicon_ico_leads_to_the_icon(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 301 and response["Location"].endswith("favicon.svg")


def test_robots_txt_points_at_the_sitemap(client):
    response = client.get("/robots.txt")
    assert client.head("/robots.txt").status_code == 200

    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in response.content.decode()


@pytest.mark.parametrize("query", ["draagkracht", '"draagkracht', "draagkracht!? (mantelzorg"])
def test_search_finds_an_article_by_a_word_in_its_body(client, articles, query):
    soup = BeautifulSoup(client.get("/zoeken/", {"q": query}).content, "html.parser")

    titles = [link.get_text() for link in soup.select(".search-result__title a")]
    assert titles == ["Mantelzorgers in beeld bij het wijkteam"]


def test_search_finds_an_article_by_a_theme_added_in_the_editor(client, site_tree):
    _, index, _ = site_tree
    article = ArticlePageFactory(parent=index, title="Een gesprek aan de keukentafel")
    article.tags.add("geestelijke verzorging")
    article.save_revision().publish()

    soup = BeautifulSoup(client.get("/zoeken/", {"q": "verzorging"}).content, "html.parser")

    assert [link.get_text() for link in soup.select(".search-result__title a")] == ["Een gesprek aan de keukentafel"]


def test_theme_listing_lists_only_that_themes_articles(client, articles):
    content = client.get("/artikelen/thema/mantelzorg/").content.decode()

    assert "Mantelzorgers in beeld bij het wijkteam" in content
    assert "Gemeenten en netwerken palliatieve zorg" not in content


def test_unknown_theme_is_not_found(client, articles):
    assert client.get("/artikelen/thema/bestaat-niet/").status_code == 404


def test_unpublished_article_is_not_shown_to_visitors(client, articles):
    article = articles[0]
    url = article.url
    article.unpublish()

    assert client.get(url).status_code == 404
    assert article.title not in client.get("/artikelen/").content.decode()


def test_closed_call_shows_that_it_is_closed_and_no_form(client, site_tree):
    call = CallForInputPageFactory(parent=site_tree[2], deadline=timezone.now() - timedelta(days=1))

    response = client.get(call.url)

    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assert "Deze oproep is gesloten" in soup.get_text()
    assert soup.find("input", attrs={"name": "naam"}) is None


def test_open_call_shows_the_form(client, site_tree):
    call = CallForInputPageFactory(parent=site_tree[2])

    soup = BeautifulSoup(client.get(call.url).content, "html.parser")

    assert soup.find("input", attrs={"name": "naam"}) is not None
    assert soup.find("button", string="Verstuur reactie") is not None


@pytest.mark.parametrize(
    "view, status, heading",
    [
        (lambda request: views.permission_denied(request, PermissionDenied()), 403, "U heeft geen toegang tot deze pagina"),
        (views.server_error, 500, "Er ging iets mis"),
    ],
)
def test_error_pages_are_dutch(rf, db, view, status, heading):
    request = rf.post("/", "naam=x", content_type="application/x-www-form-urlencoded; charset=utf-16")
    response = view(request)
    if hasattr(response, "render"):
        response.render()

    assert response.status_code == status
    assert '<html lang="nl"' in response.content.decode()
    assert heading in response.content.decode()
