"""The page cache: anonymous visitors share cached public pages, which publishing refreshes at once.

The cache is switched on here (``PAGE_CACHE_SECONDS``) with a local-memory cache
of its own; ``X-Page-Cache`` says whether an answer came from it.
"""

import time
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.utils import timezone

from campaigns.factories import CampaignFactory, ContactFactory
from campaigns.models import Recipient
from campaigns.services.launch import launch
from campaigns.tokens import recipient_token
from cms.factories import ArticlePageFactory, CallForInputPageFactory, ContactPersonFactory, paragraph
from cms.models import CallResponse
from cms.themes import THEME_COOKIE

ANSWERS = {
    "naam": "Sanne Bakker",
    "e_mailadres": "sanne@example.org",
    "organisatie": "Netwerk Palliatieve Zorg Rivierenland",
    "soort_organisatie": "Netwerk palliatieve zorg",
    "beschrijving_van_het_initiatief": "Wijkteams en vrijwilligers bezoeken samen mantelzorgers thuis.",
}


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 600
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "page-cache-tests"},
    }
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def article(site_tree):
    _, articles, _ = site_tree
    return ArticlePageFactory(
        parent=articles,
        title="Mantelzorgers in beeld bij het wijkteam",
        body=[paragraph("<p>Het wijkteam bespreekt de draagkracht van mantelzorgers.</p>")],
    )


@pytest.fixture
def call(site_tree):
    _, _, calls = site_tree
    return CallForInputPageFactory(
        parent=calls, title="Oproep nieuwe initiatieven", contact_person=ContactPersonFactory(name="Anouk de Vries")
    )


def visit(url, **cookies):
    """A first-time visitor: a client of its own, with only the given cookies."""
    client = Client()
    for name, value in cookies.items():
        client.cookies[name] = value
    return client.get(url)


def test_an_anonymous_visitor_gets_the_page_from_the_cache_with_its_security_headers(article):
    first, second = visit(article.url), visit(article.url)

    assert (first.status_code, first["X-Page-Cache"]) == (200, "miss")
    assert (second.status_code, second["X-Page-Cache"]) == (200, "hit")
    assert second.content == first.content
    assert "Mantelzorgers in beeld bij het wijkteam" in second.content.decode()
    for response in (first, second):
        assert not response.cookies
        assert "default-src 'self'" in response["Content-Security-Policy"]
        assert response["X-Frame-Options"] == "DENY"
        assert "camera=()" in response["Permissions-Policy"]


def test_every_public_page_type_is_served_without_a_cookie_and_cached(article, call, site_tree):
    home, articles, calls = site_tree
    for url in [home.url, articles.url, calls.url, article.url, call.url, "/zoeken/?q=wijkteam", "/feed/", "/feed/atom/"]:
        first = visit(url)
        assert first.status_code == 200, url
        assert not first.cookies, url
        assert b"csrfmiddlewaretoken" not in first.content, url
        assert visit(url)["X-Page-Cache"] == "hit", url


def test_a_published_change_shows_on_the_next_visit_and_an_unpublished_page_is_gone(article, site_tree):
    _, articles, _ = site_tree
    visit(article.url), visit(articles.url), visit("/feed/")

    article.title = "Mantelzorgers en het wijkteam: een tweede blik"
    article.save_revision().publish()

    for url in (article.url, articles.url, "/feed/"):
        response = visit(url)
        assert response["X-Page-Cache"] == "miss"
        assert "een tweede blik" in response.content.decode()

    article.unpublish()
    assert visit(article.url).status_code == 404
    assert "een tweede blik" not in visit(articles.url).content.decode()


def test_a_moved_or_deleted_page_is_not_served_from_the_cache(article):
    url = article.url
    visit(url)

    article.delete()

    assert visit(url).status_code == 404


def test_a_changed_contact_person_shows_on_the_cached_call_page(call):
    visit(call.url)

    contact = call.contact_person
    contact.name = "Anouk Jansen"
    contact.save()

    assert "Anouk Jansen" in visit(call.url).content.decode()


def test_a_logged_in_editor_never_gets_a_cached_page_and_never_fills_the_cache(article, admin_client):
    visit(article.url)
    assert visit(article.url)["X-Page-Cache"] == "hit"

    editor_view = admin_client.get(article.url)
    assert editor_view.status_code == 200 and "X-Page-Cache" not in editor_view

    article.title = "Alleen de redactie ziet dit"
    article.save_revision()  # a draft: the live page is unchanged
    admin_client.get(article.url)
    from cms import page_cache

    page_cache.purge()
    assert "X-Page-Cache" not in admin_client.get(article.url)
    assert visit(article.url)["X-Page-Cache"] == "miss"


def test_the_colour_theme_gets_its_own_cached_copy(article):
    assert 'class="theme-apparaat"' in visit(article.url).content.decode()

    dark = visit(article.url, **{THEME_COOKIE: "donker"})

    assert dark["X-Page-Cache"] == "miss"
    assert 'class="theme-donker"' in dark.content.decode()
    assert 'class="theme-donker"' in visit(article.url, **{THEME_COOKIE: "donker"}).content.decode()
    assert 'class="theme-apparaat"' in visit(article.url).content.decode()


def test_a_personal_link_page_is_never_cached(call):
    campaign = CampaignFactory(call_page=call)
    ContactFactory(name="Femke de Boer", email="femke@example.org")
    launch(campaign)
    url = f"/reageren/{recipient_token(Recipient.objects.get())}/"

    for _ in range(2):
        response = visit(url)
        assert response.status_code == 200 and "X-Page-Cache" not in response
    assert "Femke" not in visit(call.url).content.decode()


def test_a_post_with_errors_is_not_cached_and_the_call_page_stays_clean(call):
    client = Client()
    answer = client.post(call.url, {"naam": "Sanne Bakker"})
    assert answer.status_code == 200 and "X-Page-Cache" not in answer
    assert "Sanne Bakker" in answer.content.decode()

    page = visit(call.url)
    assert "Sanne Bakker" not in page.content.decode()
    assert visit(call.url)["X-Page-Cache"] == "hit"


def test_an_open_call_closes_on_time_on_its_cached_page(site_tree):
    _, _, calls = site_tree
    call = CallForInputPageFactory(parent=calls, deadline=timezone.now() + timedelta(seconds=2))
    assert b'id="reageren"' in visit(call.url).content
    assert visit(call.url)["X-Page-Cache"] == "hit"

    time.sleep(2.5)

    closed = visit(call.url)
    assert b"Deze oproep is gesloten" in closed.content


def test_the_search_form_and_pagination_are_cached_per_query(article):
    visit("/zoeken/?q=wijkteam")

    other = visit("/zoeken/?q=draagkracht")

    assert other["X-Page-Cache"] == "miss"
    assert "Mantelzorgers in beeld" in other.content.decode()


# The call's form without a CSRF cookie: a post from the site itself is accepted, one from elsewhere is not.


def test_an_anonymous_answer_from_the_cached_call_page_is_stored(call):
    page = BeautifulSoup(visit(call.url).content, "html.parser")
    form = page.find("form", attrs={"method": "post", "action": lambda action: action and "#reageren" in action})
    assert form.find(attrs={"name": "csrfmiddlewaretoken"}) is None

    client = Client(enforce_csrf_checks=True)
    response = client.post(call.url, ANSWERS, HTTP_ORIGIN="http://testserver", HTTP_SEC_FETCH_SITE="same-origin")

    assert response.status_code == 200
    assert "Hartelijk dank" in response.content.decode()
    assert CallResponse.objects.filter(page=call).count() == 1


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_ORIGIN": "https://evil.example.org"},
        {"HTTP_SEC_FETCH_SITE": "cross-site", "HTTP_ORIGIN": "http://testserver"},
        {"HTTP_REFERER": "https://evil.example.org/form.html"},
        {"HTTP_ORIGIN": "null"},
        {},
    ],
    ids=["other-origin", "cross-site-fetch", "other-referer", "opaque-origin", "no-origin-at-all"],
)
def test_a_post_from_another_site_is_refused_with_the_dutch_page(call, headers):
    client = Client(enforce_csrf_checks=True)

    response = client.post(call.url, ANSWERS, **headers)

    assert response.status_code == 403
    assert "Uw gegevens zijn niet verstuurd" in response.content.decode()
    assert not CallResponse.objects.exists()


def test_a_post_whose_referer_is_the_site_is_accepted_without_an_origin(call):
    client = Client(enforce_csrf_checks=True)

    response = client.post(call.url, ANSWERS, HTTP_REFERER=f"http://testserver{call.url}")

    assert response.status_code == 200 and CallResponse.objects.count() == 1


def test_a_logged_in_editor_keeps_the_token_check(call, admin_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)

    page = BeautifulSoup(client.get(call.url).content, "html.parser")
    token = page.find(attrs={"name": "csrfmiddlewaretoken"})
    assert token is not None

    refused = client.post(call.url, ANSWERS, HTTP_ORIGIN="http://testserver")
    assert refused.status_code == 403
    accepted = client.post(call.url, {**ANSWERS, "csrfmiddlewaretoken": token["value"]}, HTTP_ORIGIN="http://testserver")
    assert accepted.status_code == 200 and CallResponse.objects.count() == 1


def test_the_colour_picker_works_from_a_cached_page_without_a_cookie(article):
    client = Client(enforce_csrf_checks=True)

    response = client.post("/kleuren/", {"kleuren": "donker", "next": article.url}, HTTP_ORIGIN="http://testserver")

    assert response.status_code == 302 and response.cookies[THEME_COOKIE].value == "donker"
