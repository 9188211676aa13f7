"""The persona downloads are rendered once per generation ({% kept_fragment %}): what an editor changes shows
at once, a preview shows its draft, and a page's own personas never show on another page."""

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cms.factories import ArticlePageFactory, CallForInputPageFactory, ContactPersonFactory, PersonaFactory
from cms.models import ArticlePersonaLink, CallPersonaLink

pytestmark = pytest.mark.django_db


def persona_names(response):
    section = BeautifulSoup(response.content, "html.parser").find("section", class_="personas")
    return [name.strong.get_text(strip=True) for name in section.find_all(class_="persona__name")] if section else []


@pytest.fixture
def call(site_tree):
    _, _, calls = site_tree
    page = CallForInputPageFactory(parent=calls, title="Oproep: goede voorbeelden", contact_person=ContactPersonFactory())
    page.persona_links = [CallPersonaLink(persona=PersonaFactory(name="Ans"))]
    page.save_revision().publish()
    return page


def test_a_renamed_persona_shows_at_once(client, call):
    assert persona_names(client.get(call.url)) == ["Ans"]

    persona = call.persona_links.get().persona
    persona.name = "Ans de Vries"
    persona.save()

    assert persona_names(client.get(call.url)) == ["Ans de Vries"]


def test_a_persona_the_editor_links_and_publishes_shows_at_once(client, call):
    client.get(call.url)

    call.persona_links.add(CallPersonaLink(persona=PersonaFactory(name="Karim")))
    call.save_revision().publish()

    assert persona_names(client.get(call.url)) == ["Ans", "Karim"]


def test_the_preview_shows_the_drafts_personas_and_the_live_page_keeps_its_own(client, call):
    client.get(call.url)

    draft = type(call).objects.get(pk=call.pk)
    draft.persona_links.add(CallPersonaLink(persona=PersonaFactory(name="Karim")))

    assert persona_names(draft.make_preview_request()) == ["Ans", "Karim"]
    assert persona_names(client.get(call.url)) == ["Ans"]


def test_each_page_shows_its_own_personas_and_a_kept_list_costs_no_query(client, call, site_tree):
    _, articles, _ = site_tree
    article = ArticlePageFactory(parent=articles, title="Mantelzorg in de wijk")
    article.persona_links = [ArticlePersonaLink(persona=PersonaFactory(name="Joost"))]
    article.save_revision().publish()

    for _ in range(2):  # the first view stores each download's file size: a new generation
        assert persona_names(client.get(call.url)) == ["Ans"]
        assert persona_names(client.get(article.url)) == ["Joost"]
    with CaptureQueriesContext(connection) as queries:
        assert persona_names(client.get(call.url)) == ["Ans"]
    assert not [query for query in queries if "cms_persona" in query["sql"]]


def test_the_home_page_shows_a_new_persona_at_once(client, call):
    assert persona_names(client.get("/")) == ["Ans"]

    PersonaFactory(name="Karim")

    assert sorted(persona_names(client.get("/"))) == ["Ans", "Karim"]
