"""Production serves uploads: nginx (deploy/nginx.conf.template, as in docker-compose.yml) in front of gunicorn.

Images come straight from the media directory; documents only through Django,
which checks collection privacy; static files through whitenoise.
"""

from pathlib import Path

import pytest
import requests
from bs4 import BeautifulSoup
from django.conf import settings
from django.core.files.base import ContentFile
from wagtail.models import Collection, CollectionViewRestriction

from cms.factories import ArticlePageFactory, DocumentFactory, ImageFactory, build_site_tree

pytestmark = pytest.mark.services


@pytest.fixture
def site(start_production_server, start_nginx):
    """nginx's base URL, in front of gunicorn on production settings and the site tree."""
    build_site_tree()
    gunicorn = start_production_server(TRUSTED_PROXY_COUNT="1")
    return start_nginx(gunicorn.port).url


def media_file(url):
    return Path(settings.MEDIA_ROOT, url.removeprefix(settings.MEDIA_URL))


def test_an_articles_image_is_served_by_nginx(site):
    _, articles, _ = build_site_tree()
    article = ArticlePageFactory(parent=articles, listing_image=ImageFactory(title="Wijkteam"))

    page = requests.get(f"{site}{article.url}", timeout=10)
    assert page.status_code == 200
    rendition_url = BeautifulSoup(page.text, "html.parser").find("figure").img["src"]
    assert rendition_url.startswith("/media/images/")
    image = requests.get(f"{site}{rendition_url}", timeout=10)

    assert image.status_code == 200
    assert image.content == media_file(rendition_url).read_bytes()
    assert image.headers["Content-Type"] == "image/png"
    assert image.headers["X-Content-Type-Options"] == "nosniff"
    assert image.headers["Content-Security-Policy"] == "default-src 'none'"
    assert "gunicorn" not in image.headers.get("Server", "")


def test_a_document_is_served_through_django_as_an_attachment(site):
    document = DocumentFactory(title="Regio's", file=ContentFile(b"regio;netwerken\nUtrecht;3\n", name="regios.csv"))

    served = requests.get(f"{site}{document.url}", timeout=10)

    assert document.url.startswith("/documenten/")
    assert served.status_code == 200
    assert served.content == Path(document.file.path).read_bytes()
    assert served.headers["Content-Security-Policy"].startswith("default-src 'none'")
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert served.headers["Content-Disposition"].startswith("attachment")


def test_files_of_a_private_collection_are_not_reachable_past_django(site):
    private = Collection.get_first_root_node().add_child(name="Intern")
    CollectionViewRestriction.objects.create(collection=private, restriction_type=CollectionViewRestriction.LOGIN)
    document = DocumentFactory(title="Interne notitie", collection=private)

    through_django = requests.get(f"{site}{document.url}", allow_redirects=False, timeout=10)
    direct = requests.get(f"{site}{settings.MEDIA_URL}{document.file.name}", timeout=10)

    assert through_django.status_code == 302 and "/login/" in through_django.headers["Location"]
    assert Path(document.file.path).exists()
    assert direct.status_code == 404


def test_static_files_are_served_behind_nginx(site):
    stylesheet = requests.get(f"{site}/static/css/site.css", timeout=10)

    assert stylesheet.status_code == 200
    assert stylesheet.content == (settings.BASE_DIR / "static" / "css" / "site.css").read_bytes()
    assert stylesheet.headers["Content-Type"].startswith("text/css")
