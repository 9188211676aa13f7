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

    def items(self):
        return ArticlePage.objects.live().public().for_listing()[:20]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.intro

    def item_link(self, item):
        return item.get_url()

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
