"""Articles and the article index, with themes (tags) and a theme listing."""

import datetime
from collections import defaultdict, namedtuple

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Max
from django.shortcuts import get_object_or_404
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import Tag, TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Orderable, PageManager, Site
from wagtail.search import index

from cms import page_cache
from cms.blocks import BodyBlock
from cms.pagination import paginate

from .base import BasePage, PersonaLink, PublicPageQuerySet, SpecificChildRouteMixin, linked_personas

RelatedLink = namedtuple("RelatedLink", "url title summary")


class ArticlePageQuerySet(PublicPageQuerySet):
    def for_listing(self):
        """Everything a listing card shows, in a fixed number of queries."""
        return (
            self.select_related("listing_image")
            .prefetch_related("listing_image__renditions", "tags")
            .order_by("-date", "-pk")
        )


class ArticleTag(TaggedItemBase):
    content_object = ParentalKey("cms.ArticlePage", related_name="tagged_items", on_delete=models.CASCADE)


class ArticlePersonaLink(PersonaLink):
    page = ParentalKey("cms.ArticlePage", related_name="persona_links", on_delete=models.CASCADE)


class ArticleRelatedPage(Orderable):
    page = ParentalKey("cms.ArticlePage", related_name="related_page_links", on_delete=models.CASCADE)
    related_page = models.ForeignKey(
        "wagtailcore.Page", verbose_name="pagina", on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("related_page")]

    class Meta(Orderable.Meta):
        verbose_name = "gerelateerde pagina"
        verbose_name_plural = "gerelateerde pagina's"


class ArticlePage(BasePage):
    date = models.DateField("datum", default=datetime.date.today)
    listing_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name="afbeelding",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Getoond boven het artikel en in overzichten.",
    )
    body = StreamField(BodyBlock(), verbose_name="inhoud")
    tags = ClusterTaggableManager(
        through=ArticleTag, blank=True, verbose_name="thema's", help_text="Bijvoorbeeld: sociaal domein, mantelzorg"
    )
    contact_person = models.ForeignKey(
        "cms.ContactPerson",
        verbose_name="contactpersoon",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = PageManager.from_queryset(ArticlePageQuerySet)()

    content_panels = BasePage.content_panels + [
        MultiFieldPanel([FieldPanel("date"), FieldPanel("tags"), FieldPanel("listing_image")], heading="Over dit artikel"),
        FieldPanel("body"),
        FieldPanel("contact_person"),
        InlinePanel("persona_links", label="Persona's om te downloaden"),
        InlinePanel("related_page_links", label="Gerelateerde pagina's"),
    ]
    search_fields = BasePage.search_fields + [
        index.SearchField("body"),
        index.RelatedFields("tags", [index.SearchField("name")]),
        index.FilterField("date"),
    ]
    parent_page_types = ["cms.ArticleIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = "artikel"
        verbose_name_plural = "artikelen"

    def save(self, *args, **kwargs):
        """Index again once the tags are stored.

        The search index is updated from ``post_save``, which fires before
        modelcluster writes the tags, so themes would otherwise not be found
        until the next save.
        """
        result = super().save(*args, **kwargs)
        index.insert_or_update_object(self)
        return result

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["personas"] = linked_personas(self)
        if getattr(request, "is_preview", False):
            context["related_pages"] = self.related_links(request)
        else:
            site = Site.find_for_request(request)
            key = ("related-links", self.pk, site.pk if site else None)
            context["related_pages"] = page_cache.per_generation(key, lambda: self.related_links(request))
        return context

    def related_links(self, request):
        """What "Lees ook" shows of each related page: plain values, kept per generation (``get_context``)."""
        return [
            RelatedLink(url, page.title, page.summary)
            for page in self.related_pages()
            if (url := page.get_url(request))
        ]

    def related_pages(self):
        """The live, public related pages in the editor's order: one query for the links, one per page type."""
        private = page_cache.restricted_paths()
        linked = [
            link.related_page
            for link in self.related_page_links.select_related("related_page")
            if link.related_page.live and not link.related_page.path.startswith(private)
        ]
        by_type = defaultdict(list)
        for page in linked:
            by_type[page.content_type_id].append(page.pk)
        specific = {}
        for content_type_id, ids in by_type.items():
            model = ContentType.objects.get_for_id(content_type_id).model_class()
            specific.update(model.objects.in_bulk(ids))
        return [specific[page.pk] for page in linked if page.pk in specific]


class ArticleIndexPage(RoutablePageMixin, SpecificChildRouteMixin, BasePage):
    """Lists articles, newest first; ``thema/<slug>/`` lists one theme."""

    subpage_types = ["cms.ArticlePage"]
    child_route_related = ("listing_image", "contact_person")
    max_count = 1
    page_size = 12

    class Meta:
        verbose_name = "artikeloverzicht"

    def child_route_model(self, slug):
        return ArticlePage

    def articles(self):
        return ArticlePage.objects.child_of(self).live().public().for_listing()

    def themes(self):
        return Tag.objects.filter(cms_articletag_items__content_object__live=True).distinct().order_by("name")

    def get_sitemap_urls(self, request=None):
        """The index itself and a listing per theme that has a published article."""
        articles = ArticlePage.objects.child_of(self).live().public()
        themes = (
            Tag.objects.filter(cms_articletag_items__content_object__in=articles)
            .annotate(lastmod=Max("cms_articletag_items__content_object__last_published_at"))
            .order_by("name")
        )
        base_url = self.get_full_url(request)
        return super().get_sitemap_urls(request) + [
            {"location": base_url + self.reverse_subpage("theme", kwargs={"slug": theme.slug}), "lastmod": theme.lastmod}
            for theme in themes
        ]

    def listing_context(self, request, articles):
        page_obj = paginate(request, articles, self.page_size)
        return {"articles": page_obj.object_list, "page_obj": page_obj, "themes": self.themes()}

    @path("")
    def index_route(self, request):
        return self.render(request, context_overrides=self.listing_context(request, self.articles()))

    @path("thema/<slug:slug>/", name="theme")
    def theme_route(self, request, slug):
        theme = get_object_or_404(Tag, slug=slug)
        return self.render(
            request,
            template="cms/article_theme_page.html",
            context_overrides={"theme": theme, **self.listing_context(request, self.articles().filter(tags=theme))},
        )
