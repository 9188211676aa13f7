"""What search engines and social media read from the public site: the sitemap and the share tags."""

import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.core.files.storage import default_storage
from PIL import Image

from cms.factories import ArticlePageFactory, CallForInputPageFactory, ImageFactory


@pytest.fixture(autouse=True)
def no_cached_renditions():
    """Wagtail caches renditions by image id, which a rolled-back test database hands out again."""
    cache.clear()


def test_sitemap_lists_the_theme_pages_that_have_a_published_article(client, site_tree):
    _, index, _ = site_tree
    ArticlePageFactory(parent=index, title="Mantelzorg in de wijk", tags=["mantelzorg", "sociaal domein"])
    draft = ArticlePageFactory(parent=index, title="Nog niet af", live=False)
    draft.tags.add("rouw")
    draft.save()

    content = client.get("/sitemap.xml").content.decode()

    assert "<loc>http://testserver/artikelen/thema/mantelzorg/</loc>" in content
    assert "<loc>http://testserver/artikelen/thema/sociaal-domein/</loc>" in content
    assert "/thema/rouw/" not in content
    assert client.get("/artikelen/thema/mantelzorg/").status_code == 200


def share_tags(client, page):
    soup = BeautifulSoup(client.get(page.url).content, "html.parser")
    tags = {}
    for meta in soup.head.find_all("meta"):
        key = meta.get("property") or meta.get("name")
        if key and key.startswith(("og:", "twitter:", "article:")):
            tags[key] = meta["content"]
    return tags


def test_article_carries_share_tags_with_its_image_as_absolute_url(client, site_tree):
    _, index, _ = site_tree
    article = ArticlePageFactory(
        parent=index,
        title='Zorg & welzijn: "samen" <aan tafel>',
        intro="Hoe een wijkteam en een netwerk elkaar vonden.",
        listing_image=ImageFactory(),
    )

    tags = share_tags(client, article)

    assert tags["og:type"] == "article"
    assert tags["og:title"] == tags["twitter:title"] == 'Zorg & welzijn: "samen" <aan tafel>'
    assert tags["og:description"] == "Hoe een wijkteam en een netwerk elkaar vonden."
    assert tags["og:url"] == f"http://testserver{article.url}"
    assert tags["og:locale"] == "nl_NL"
    assert tags["twitter:card"] == "summary_large_image"
    assert tags["og:image"] == tags["twitter:image"]
    assert tags["og:image"].startswith("http://testserver/media/images/")
    width, height = int(tags["og:image:width"]), int(tags["og:image:height"])
    assert width == 1200 and abs(width / height - 1.91) < 0.01  # the large card's shape
    with default_storage.open(tags["og:image"].removeprefix("http://testserver/media/")) as file, Image.open(file) as shared:
        assert shared.size == (width, height)


ALT_TEXT = "Twee mantelzorgers aan de keukentafel"


def test_call_shares_the_first_image_of_its_body_with_its_alt_text(client, site_tree):
    image = ImageFactory()
    call = CallForInputPageFactory(
        parent=site_tree[2],
        title="Oproep: respijtzorg in de wijk",
        body=[("image", {"image": {"image": image, "alt_text": ALT_TEXT, "decorative": False}, "caption": ""})],
    )

    tags = share_tags(client, call)

    assert tags["og:type"] == "website"
    assert tags["og:title"] == "Oproep: respijtzorg in de wijk"
    assert tags["og:description"] == call.intro
    assert tags["og:image"].startswith("http://testserver/media/images/")
    assert tags["og:image:alt"] == tags["twitter:image:alt"] == ALT_TEXT


def test_page_without_image_shares_a_small_card(client, site_tree):
    call = CallForInputPageFactory(parent=site_tree[2])

    tags = share_tags(client, call)

    assert tags["twitter:card"] == "summary"
    assert "og:image" not in tags
    assert tags["og:title"] == call.title
