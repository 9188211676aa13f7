"""Answering a call through the public form, including everything that can go wrong."""

from datetime import timedelta
from urllib.parse import urlencode

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.core.cache import cache
from django.test import Client, override_settings
from django.utils import timezone

from cms.factories import (
    ArticlePageFactory,
    CallForInputPageFactory,
    ContactPersonFactory,
    PersonaFactory,
)
from cms.models import CallResponse

ANSWERS = {
    "naam": "Sanne Bakker",
    "e_mailadres": "sanne@example.org",
    "organisatie": "Gemeente Tielburg",
    "soort_organisatie": "Gemeente",
    "beschrijving_van_het_initiatief": "Het wijkteam en het netwerk palliatieve zorg ondersteunen samen mantelzorgers.",
}
# Django says "Dit veld is verplicht."; wagtail.admin, earlier in INSTALLED_APPS, translates it so.
REQUIRED = "Dit is een verplicht veld."


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    """The rate limit counts posts per IP in the cache; every test starts with none."""
    cache.clear()


@pytest.fixture
def call(site_tree):
    _, _, calls = site_tree
    return CallForInputPageFactory(
        parent=calls, title="Oproep: goede voorbeelden uit de wijk", contact_person=ContactPersonFactory()
    )


def html(response):
    return BeautifulSoup(response.content, "html.parser")


def post_raw(client, url, body, content_type="application/x-www-form-urlencoded"):
    return client.generic("POST", url, body, content_type=content_type)


def test_valid_answer_is_stored_once_with_consent_and_answers(client, call):
    page = client.post(call.url, {**ANSWERS, "publication_consent": "on", "website": ""})

    assert page.status_code == 200
    assert "Hartelijk dank voor uw reactie" in page.content.decode()
    response = CallResponse.objects.get()
    assert response.page_id == call.pk
    assert response.publication_consent is True
    assert {key: response.form_data[key] for key in ANSWERS} == ANSWERS
    assert "website" not in response.form_data
    assert "publication_consent" not in response.form_data


def test_answer_without_consent_is_stored_as_not_for_publication(client, call):
    client.post(call.url, ANSWERS)

    assert CallResponse.objects.get().publication_consent is False


def test_invalid_answer_shows_dutch_errors_at_the_fields_and_keeps_what_was_typed(client, call):
    page = client.post(call.url, {**ANSWERS, "naam": "", "e_mailadres": "sanne-at-example"})

    assert page.status_code == 200
    assert not CallResponse.objects.exists()
    soup = html(page)
    name_input = soup.find("input", attrs={"name": "naam"})
    assert "naam-error" in name_input["aria-describedby"].split()
    assert name_input["aria-invalid"] == "true"
    assert REQUIRED in soup.find(id="naam-error").get_text()
    email_input = soup.find("input", attrs={"name": "e_mailadres"})
    assert "e_mailadres-error" in email_input["aria-describedby"].split()
    assert "Voer een geldig e-mailadres in." in soup.find(id="e_mailadres-error").get_text()
    assert soup.find("input", attrs={"name": "organisatie"})["value"] == ANSWERS["organisatie"]
    assert soup.find("textarea", attrs={"name": "beschrijving_van_het_initiatief"}).get_text().strip() == (
        ANSWERS["beschrijving_van_het_initiatief"]
    )
    assert soup.title.get_text().startswith("Fout: ")


def test_answer_after_the_deadline_is_refused_with_the_closed_message(client, call):
    call.deadline = timezone.now() - timedelta(minutes=1)
    call.save_revision().publish()

    page = client.post(call.url, {**ANSWERS, "publication_consent": "on"})

    assert 400 <= page.status_code < 500
    assert "Deze oproep is gesloten" in page.content.decode()
    assert not CallResponse.objects.exists()
    unsent = html(page).find(class_="unsent-answers").get_text()
    assert "Uw reactie is niet verstuurd" in unsent
    assert ANSWERS["beschrijving_van_het_initiatief"] in unsent and ANSWERS["organisatie"] in unsent
    assert "Mijn reactie mag als goed voorbeeld op de website worden gepubliceerd" in unsent


def test_a_form_posted_in_an_encoding_django_cannot_read_gets_a_dutch_400(call):
    client = Client(enforce_csrf_checks=True)
    client.get(call.url)

    page = client.post(
        call.url, "naam=x", content_type="application/x-www-form-urlencoded; charset=utf-16", HTTP_ORIGIN="http://testserver"
    )

    assert page.status_code == 400
    assert '<html lang="nl"' in page.content.decode()
    assert "Dit verzoek kunnen we niet verwerken" in page.content.decode()
    assert not CallResponse.objects.exists()


def test_filled_honeypot_stores_nothing_and_says_why(client, call):
    page = client.post(call.url, {**ANSWERS, "website": "https://spam.example.org"})

    assert page.status_code == 200
    assert not CallResponse.objects.exists()
    assert "Laat dit veld leeg; het is bedoeld om spam te herkennen." in html(page).find(id="website-error").get_text()


def test_same_answer_posted_twice_is_stored_once(client, call):
    first = client.post(call.url, ANSWERS)
    second = client.post(call.url, ANSWERS)

    assert first.status_code == second.status_code == 200
    assert CallResponse.objects.count() == 1


# "/h" rather than "/m": a minute window could roll over between the posts and let the fourth one through.
@override_settings(FORM_RATE_LIMIT="3/h")
def test_too_many_posts_are_refused_and_keep_the_typed_answer(client, call):
    for number in range(3):
        assert client.post(call.url, {**ANSWERS, "naam": f"Persoon {number}"}).status_code == 200

    page = client.post(call.url, {**ANSWERS, "naam": "Persoon 4"})

    assert page.status_code == 429
    assert "U heeft in korte tijd veel reacties verstuurd" in page.content.decode()
    assert html(page).find("input", attrs={"name": "naam"})["value"] == "Persoon 4"
    assert CallResponse.objects.count() == 3


def test_oversized_post_is_refused(client, call):
    body = urlencode({**ANSWERS, "beschrijving_van_het_initiatief": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)})

    assert post_raw(client, call.url, body).status_code == 400
    assert not CallResponse.objects.exists()


def test_post_with_too_many_fields_is_refused(client, call):
    extra = {f"veld{number}": "x" for number in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}

    assert post_raw(client, call.url, urlencode({**ANSWERS, **extra})).status_code == 400
    assert not CallResponse.objects.exists()


@pytest.mark.parametrize("charset", ["", "; charset=utf-8", "; charset=onbekend"])
def test_broken_encoding_never_breaks_the_page(client, call, charset):
    body = urlencode(ANSWERS).encode() + b"&naam=%FF%FE%C3&organisatie=\xff\xfe\xc3\x28"

    page = post_raw(client, call.url, body, content_type="application/x-www-form-urlencoded" + charset)

    assert page.status_code < 500
    assert CallResponse.objects.count() <= 1


def test_unknown_fields_are_ignored(client, call):
    page = client.post(call.url, {**ANSWERS, "is_staff": "1", "page_id": "1", "content_hash": "abc"})

    assert page.status_code == 200
    response = CallResponse.objects.get()
    assert set(response.form_data) <= set(ANSWERS) | {"startdatum"}
    assert response.content_hash != "abc"


def test_post_from_elsewhere_gets_a_dutch_explanation(call):
    """Without a session the check is the browser's Origin (cms.csrf); a post naming none is refused."""
    page = Client(enforce_csrf_checks=True).post(call.url, ANSWERS)

    assert page.status_code == 403
    assert "Het formulier is verlopen" in page.content.decode()
    assert not CallResponse.objects.exists()


@pytest.fixture
def content(site_tree):
    _, articles, calls = site_tree
    article = ArticlePageFactory(parent=articles, tags=["mantelzorg"])
    call = CallForInputPageFactory(parent=calls)
    return article, call, PersonaFactory()


ODD_QUERY = "mantelzorg & | ! ( ) : * \" ' \\ <script>alert(1)</script> %00 \x00 ÿ 🌷" + "zorg " * 200


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/?pagina=abc",
        "/artikelen/",
        "/artikelen/?pagina=abc",
        "/artikelen/?pagina=999",
        "/artikelen/thema/mantelzorg/",
        "/artikelen/thema/bestaat-niet/",
        "/oproepen/",
        "/zoeken/",
        "/zoeken/?" + urlencode({"q": ODD_QUERY, "pagina": "abc"}),
        "/zoeken/?q=zorg&pagina=999",
        "/zoeken/?pagina=999",
        "/zoeken/?q=%FF%FE",
        "/personas/999/download/",
        "/feed/",
        "/feed/atom/",
        "/sitemap.xml",
        "/robots.txt",
        "/bestaat-niet/",
    ],
)
def test_public_urls_never_answer_500(client, content, url):
    assert client.get(url).status_code in {200, 404}


def test_article_call_and_persona_pages_answer(client, content):
    article, call, persona = content

    assert client.get(article.url).status_code == 200
    assert client.get(call.url).status_code == 200
    assert client.get(f"/personas/{persona.pk}/download/").status_code == 302
