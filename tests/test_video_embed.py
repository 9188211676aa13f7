"""A video ("filmpje") whose provider cannot be reached does not block saving the page."""

import socket

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse
from wagtail.embeds.finders import get_finders
from wagtail.test.utils.form_data import nested_form_data, querydict_from_html, rich_text, streamfield

from cms.models import ArticlePage

VIDEO_URL = "https://www.youtube.com/watch?v=zorg-en-welzijn"


def closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def unreachable_video_provider(settings):
    """YouTube links go to an oEmbed endpoint nobody listens on, as when the provider is down."""
    settings.WAGTAILEMBEDS_FINDERS = [
        {
            "class": "wagtail.embeds.finders.oembed",
            "providers": [
                {
                    "endpoint": f"http://127.0.0.1:{closed_port()}/oembed",
                    "urls": [r"^https://www\.youtube\.com/watch.+$"],
                }
            ],
        }
    ]
    get_finders.cache_clear()
    yield
    get_finders.cache_clear()


@pytest.fixture
def editor(client, db):
    user = User.objects.create_user("redacteur", "redacteur@example.org", "geheim-wachtwoord")
    user.groups.add(Group.objects.get(name="Editors"), Group.objects.get(name="Moderators"))
    client.force_login(user)
    return user


def post_article(client, articles, video_url):
    add_url = reverse("wagtailadmin_pages:add", args=["cms", "articlepage", articles.pk])
    data = querydict_from_html(client.get(add_url).content.decode(), form_id="page-edit-form")
    fields = {
        "title": "Een filmpje over de wijk",
        "slug": "filmpje-over-de-wijk",
        "intro": "Hoe een wijkteam en een netwerk samen optrekken.",
        "body": streamfield(
            [
                ("paragraph", rich_text("<p>Kijk mee.</p>")),
                ("video", {"video": video_url, "caption": "Het wijkteam aan het woord"}),
            ]
        ),
    }
    for name, value in nested_form_data(fields).items():
        data[name] = value
    data["action-publish"] = "action-publish"
    return client.post(add_url, data, follow=True)


def test_page_with_unreachable_video_saves_with_a_dutch_warning_and_shows_a_link(
    client, editor, site_tree, unreachable_video_provider
):
    _, articles, _ = site_tree

    response = post_article(client, articles, VIDEO_URL)

    article = ArticlePage.objects.get(slug="filmpje-over-de-wijk")
    assert article.live
    assert f"De video {VIDEO_URL} kon nu niet worden opgehaald bij de aanbieder" in response.content.decode()
    client.logout()
    page = client.get(article.url).content.decode()
    assert f'<a href="{VIDEO_URL}">Bekijk de video</a>' in page
    assert "Het wijkteam aan het woord" in page


def test_link_that_no_video_provider_handles_is_refused_in_dutch(client, editor, site_tree, unreachable_video_provider):
    _, articles, _ = site_tree

    response = post_article(client, articles, "https://example.org/geen-video")

    assert not ArticlePage.objects.filter(slug="filmpje-over-de-wijk").exists()
    assert "Dit is geen link naar een video van een bekende dienst" in response.content.decode()
