"""The site of a page request comes from a memo per process (cms.site_memo), and a change to the sites shows at once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from cms.factories import ArticlePageFactory

pytestmark = pytest.mark.django_db


def site_queries(client, path, **extra):
    client.get(path, **extra)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, **extra)
    return response, [query["sql"] for query in queries if '"wagtailcore_site"' in query["sql"]]


def test_a_page_request_finds_its_site_without_a_query(client, site_tree):
    _, articles, _ = site_tree
    article = ArticlePageFactory(parent=articles, title="Respijtzorg in de wijk")

    response, queries = site_queries(client, article.url)

    assert response.status_code == 200 and "Respijtzorg in de wijk" in response.text
    assert queries == []


def test_a_new_root_page_is_served_at_once(client, site_tree):
    home, articles, _ = site_tree
    assert client.get("/").context["page"] == home

    site = Site.objects.get(is_default_site=True)
    site.root_page = articles
    site.save()

    assert client.get("/").context["page"] == articles


def test_a_new_site_for_another_hostname_is_found_at_once(client, site_tree):
    home, articles, _ = site_tree
    assert client.get("/", HTTP_HOST="andere.example.org").context["page"] == home  # the default site

    Site.objects.create(hostname="andere.example.org", port=80, root_page=articles, site_name="Ander")

    assert client.get("/", HTTP_HOST="andere.example.org").context["page"] == articles
    assert client.get("/").context["page"] == home


def test_links_follow_a_section_that_became_a_site_of_its_own_at_once(client, site_tree):
    _, articles, calls = site_tree
    other_host = {"HTTP_HOST": "andere.example.org"}
    assert 'href="/artikelen/"' in client.get("/", **other_host).text  # the default site, for now

    Site.objects.create(hostname="andere.example.org", port=80, root_page=articles, site_name="Ander")

    page = client.get("/", **other_host).text
    assert f'href="{calls.full_url}"' in page  # another site's section: its full address
    assert "/artikelen/" not in page  # the section is this site's home now: "/"
