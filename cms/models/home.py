"""The home page and plain content pages (such as the accessibility statement)."""

from django.utils import timezone
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.search import index

from cms import page_cache
from cms.blocks import BodyBlock

from .base import BasePage, SpecificChildRouteMixin

# (generation, home page id) -> {slug: page class} of the home page's children, in this process.
_children = {}


class HomePage(SpecificChildRouteMixin, BasePage):
    """Open calls first (nearest deadline on top), then the latest articles and the personas."""

    max_count = 1
    subpage_types = [
        "cms.ArticleIndexPage",
        "cms.CallIndexPage",
        "cms.ExampleIndexPage",
        "cms.StandardPage",
        "newsletter.NewsletterIndexPage",
    ]

    class Meta:
        verbose_name = "startpagina"

    def child_route_model(self, slug):
        """The class of the child page at ``slug``, from a map of the children kept per generation."""
        try:
            key = (page_cache.generation(), self.pk)
        except page_cache.CACHE_ERRORS:
            return None
        if key not in _children:
            _children.clear()
            _children[key] = {
                child.slug: child.specific_class for child in self.get_children().select_related("content_type")
            }
        return _children[key].get(slug)

    def get_context(self, request, *args, **kwargs):
        from .articles import ArticlePage
        from .calls import CallForInputPage
        from .snippets import Persona

        context = super().get_context(request, *args, **kwargs)
        context["open_calls"] = CallForInputPage.objects.open().live().public().order_by("deadline")[:3]
        context["latest_articles"] = ArticlePage.objects.live().public().for_listing()[:4]
        context["personas"] = Persona.objects.select_related("document", "image")
        context["now"] = timezone.now()
        return context


class StandardPage(BasePage):
    body = StreamField(BodyBlock(), verbose_name="inhoud", blank=True)

    content_panels = BasePage.content_panels + [FieldPanel("body")]
    search_fields = BasePage.search_fields + [index.SearchField("body")]
    subpage_types = ["cms.StandardPage"]

    class Meta:
        verbose_name = "standaardpagina"
