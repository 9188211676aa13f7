"""What search engines and social media read from the public site: the sitemap and the share tags."""

from cms.factories import ArticlePageFactory


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
