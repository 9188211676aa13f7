"""Who gets into the Wagtail admin, and what an editor (redacteur) may do there."""

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils.form_data import inline_formset, nested_form_data, querydict_from_html, rich_text, streamfield

from cms.models import ArticleIndexPage, ArticlePage, CallForInputPage, CallIndexPage
from tests.seeded_demo import seeded, seeded_once  # noqa: F401 (fixtures)

DEMO_EDITORS = ["redacteur", "campagnebeheerder"]


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


def page_form(client, add_url, fields, action=None):
    """The page editor's form as the browser would post it: what the add view rendered, ``fields`` filled in."""
    form = client.get(add_url)
    assert form.status_code == 200
    data = querydict_from_html(form.content.decode(), form_id="page-edit-form")
    for name, value in nested_form_data(fields).items():
        data[name] = value
    if action:
        data[action] = action
    return data


ARTICLE_FIELDS = {
    "title": "Samen in gesprek met de gemeente",
    "slug": "samen-in-gesprek",
    "intro": "Hoe een netwerk palliatieve zorg de Wmo-consulenten bereikte.",
    "tags": "sociaal domein, Wmo",
    "body": streamfield([("paragraph", rich_text("<p>Eerst de persona's, dan het gesprek.</p>"))]),
}


def test_editor_creates_an_article_draft(client, editor, site_tree):
    _, articles, _ = site_tree
    client.force_login(editor)
    add_url = reverse("wagtailadmin_pages:add", args=["cms", "articlepage", articles.pk])

    response = client.post(add_url, page_form(client, add_url, ARTICLE_FIELDS))

    assert response.status_code == 302, response.context["form"].errors if response.context else response
    article = ArticlePage.objects.get(slug="samen-in-gesprek")
    assert not article.live
    assert article.owner == editor
    assert article.get_parent().pk == articles.pk
    assert {tag.name for tag in article.tags.all()} == {"sociaal domein", "Wmo"}
    assert client.get(article.url).status_code == 404


@pytest.mark.parametrize("username", DEMO_EDITORS)
def test_demo_editor_is_offered_publishing_and_no_english_workflow(client, seeded, username):
    client.force_login(User.objects.get(username=username))
    articles = ArticleIndexPage.objects.get()

    editor = client.get(reverse("wagtailadmin_pages:add", args=["cms", "articlepage", articles.pk])).content.decode()

    assert "Publiceren" in editor
    assert "Moderators" not in editor and "approval" not in editor


@pytest.mark.parametrize("username", DEMO_EDITORS)
def test_demo_editor_publishes_an_article(client, seeded, username):
    user = User.objects.get(username=username)
    client.force_login(user)
    add_url = reverse("wagtailadmin_pages:add", args=["cms", "articlepage", ArticleIndexPage.objects.get().pk])

    response = client.post(add_url, page_form(client, add_url, ARTICLE_FIELDS, action="action-publish"))

    assert response.status_code == 302, response.context["form"].errors if response.context else response
    article = ArticlePage.objects.get(slug="samen-in-gesprek")
    assert article.live and not article.has_unpublished_changes
    assert article.owner == user
    client.logout()
    public = client.get(article.url)
    assert public.status_code == 200
    assert "Samen in gesprek met de gemeente" in public.text


@pytest.mark.parametrize("username", DEMO_EDITORS)
def test_demo_editor_publishes_a_call_with_its_form(client, seeded, username):
    client.force_login(User.objects.get(username=username))
    add_url = reverse("wagtailadmin_pages:add", args=["cms", "callforinputpage", CallIndexPage.objects.get().pk])
    deadline = timezone.localtime() + timezone.timedelta(days=30)
    fields = {
        "title": "Oproep: vrijwilligers aan het sterfbed",
        "slug": "oproep-vrijwilligers",
        "intro": "Hoe zetten welzijnsorganisaties vrijwilligers in de palliatieve zorg in?",
        "deadline": deadline.strftime("%Y-%m-%d %H:%M"),
        "body": streamfield([("paragraph", rich_text("<p>Vertel ons over uw vrijwilligers.</p>"))]),
        "form_fields": inline_formset(
            [
                {"label": "Organisatie", "field_type": "singleline", "required": "on"},
                {"label": "Wat doen uw vrijwilligers?", "field_type": "multiline", "required": "on"},
            ]
        ),
    }

    response = client.post(add_url, page_form(client, add_url, fields, action="action-publish"))

    assert response.status_code == 302, response.context["form"].errors if response.context else response
    call = CallForInputPage.objects.get(slug="oproep-vrijwilligers")
    assert call.live and call.is_open
    client.logout()
    public = client.get(call.url)
    assert public.status_code == 200
    assert "Wat doen uw vrijwilligers?" in public.text
