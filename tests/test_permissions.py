"""Who gets into the Wagtail admin, and what an editor (redacteur) may do there."""

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data, querydict_from_html, rich_text, streamfield

from cms.models import ArticlePage


@pytest.fixture
def editor(db):
    user = User.objects.create_user("redacteur", "redacteur@example.org", "geheim-wachtwoord")
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def test_anonymous_visitor_is_sent_to_the_login_page(client):
    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_admin_speaks_dutch(client, db):
    content = client.get("/admin/login/").content.decode()

    assert 'lang="nl"' in content
    assert "Inloggen" in content


def test_editor_reaches_the_admin(client, editor):
    client.force_login(editor)

    assert client.get("/admin/").status_code == 200


def test_editor_creates_an_article_draft(client, editor, site_tree):
    _, articles, _ = site_tree
    client.force_login(editor)
    add_url = reverse("wagtailadmin_pages:add", args=["cms", "articlepage", articles.pk])
    form = client.get(add_url)
    assert form.status_code == 200
    data = querydict_from_html(form.content.decode(), form_id="page-edit-form")
    fields = nested_form_data(
        {
            "title": "Samen in gesprek met de gemeente",
            "slug": "samen-in-gesprek",
            "intro": "Hoe een netwerk palliatieve zorg de Wmo-consulenten bereikte.",
            "tags": "sociaal domein, Wmo",
            "body": streamfield([("paragraph", rich_text("<p>Eerst de persona's, dan het gesprek.</p>"))]),
        }
    )
    for name, value in fields.items():
        data[name] = value

    response = client.post(add_url, data)

    assert response.status_code == 302, response.context["form"].errors if response.context else response
    article = ArticlePage.objects.get(slug="samen-in-gesprek")
    assert not article.live
    assert article.owner == editor
    assert article.get_parent().pk == articles.pk
    assert {tag.name for tag in article.tags.all()} == {"sociaal domein", "Wmo"}
    assert client.get(article.url).status_code == 404
