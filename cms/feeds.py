"""RSS and Atom feeds of the latest articles."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed

from cms.models import ArticlePage


class ArticleFeed(Feed):
    title = "Zorg en Welzijn: artikelen"
    description = "De nieuwste artikelen over de verbinding tussen palliatieve zorg en het sociaal domein."
    link = "/"
    language = "nl"

    def get_object(self, request, *args, **kwargs):
        return request

    def items(self, request):
        """The latest articles, each with its URL found through the request's one copy of the site root paths."""
        articles = list(ArticlePage.objects.live().public().for_listing()[:20])
        for article in articles:
            article.feed_link = article.get_url(request)
        return articles

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.intro

    def item_link(self, item):
        return item.feed_link

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at

    def item_categories(self, item):
        return [tag.name for tag in item.tags.all()]

    def feed_url(self):
        return f"{settings.SITE_URL}{self.feed_path}"

    feed_path = "/feed/"


class ArticleAtomFeed(ArticleFeed):
    feed_type = Atom1Feed
    subtitle = ArticleFeed.description
    feed_path = "/feed/atom/"
