"""An article's "Lees ook": kept per process until the next publish, and never from that memo in a preview."""

import pytest

from cms.factories import ArticlePageFactory
from cms.models import ArticleRelatedPage

pytestmark = pytest.mark.django_db


def related_titles(response):
    section = response.text.split('id="related-title"', 1)[1].split("</section>", 1)[0]
    return section


def test_a_related_page_published_under_a_new_title_shows_it_at_once(client, site_tree):
    _, articles, _ = site_tree
    article = ArticlePageFactory(parent=articles, title="Mantelzorg in de wijk")
    related = ArticlePageFactory(parent=articles, title="Respijtzorg: de oude titel")
    ArticleRelatedPage.objects.create(page=article, related_page=related)
    assert "Respijtzorg: de oude titel" in related_titles(client.get(article.url))

    related.title = "Respijtzorg: de nieuwe titel"
    related.save_revision().publish()

    section = related_titles(client.get(article.url))
    assert "Respijtzorg: de nieuwe titel" in section and "de oude titel" not in section


def test_the_preview_shows_the_related_pages_of_the_draft(client, site_tree):
    _, articles, _ = site_tree
    article = ArticlePageFactory(parent=articles, title="Mantelzorg in de wijk")
    ArticleRelatedPage.objects.create(
        page=article, related_page=ArticlePageFactory(parent=articles, title="Al gekoppeld")
    )
    client.get(article.url)  # the live page's related pages are now kept

    draft = type(article).objects.get(pk=article.pk)
    draft.related_page_links.add(ArticleRelatedPage(related_page=ArticlePageFactory(parent=articles, title="Net toegevoegd")))
    response = draft.make_preview_request()

    section = related_titles(response)
    assert "Al gekoppeld" in section and "Net toegevoegd" in section
    assert "Net toegevoegd" not in related_titles(client.get(article.url))
