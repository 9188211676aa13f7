"""Pieces every page family shares."""

from django.db import models
from django.db.models import Q
from django.http import Http404
from django.utils.functional import SimpleLazyObject
from wagtail.admin.panels import FieldPanel
from wagtail.models import Orderable, Page, PageViewRestriction
from wagtail.query import PageQuerySet
from wagtail.search import index

from cms import page_cache


class PublicPageQuerySet(PageQuerySet):
    """``public()`` from the private sections known to this generation (``cms.page_cache``), not a query per call."""

    def private_q(self):
        q = Q()
        for path in page_cache.restricted_paths():
            q |= Q(path__startswith=path)
        return q if q else Q(pk__in=[])


def pages():
    """All pages, with the cheap ``public()``."""
    return PublicPageQuerySet(model=Page)


class KnownRestrictionsMixin:
    """A page outside every private section has no view restriction to look up (and never cost a query)."""

    def get_view_restrictions(self):
        if self.alias_of_id is None and not any(self.path.startswith(path) for path in page_cache.restricted_paths()):
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()


class SpecificChildRouteMixin:
    """Finds a child page in one query of its model, with ``child_route_related`` joined, not a page then its row.

    The page class names that model in ``child_route_model(slug)`` (None: unknown). A
    child of another type, or an unknown slug, goes Wagtail's way.
    """

    child_route_related = ()

    def route(self, request, path_components):
        model = self.child_route_model(path_components[0]) if path_components else None
        if model is None:
            return super().route(request, path_components)
        try:
            child = model.objects.child_of(self).select_related(*self.child_route_related).get(slug=path_components[0])
        except model.DoesNotExist:
            return super().route(request, path_components)
        child._cached_parent_obj = self
        return child.route(request, path_components[1:])


class BasePage(KnownRestrictionsMixin, Page):
    """Abstract base of our content pages: an intro that doubles as the search snippet."""

    intro = models.TextField("inleiding", blank=True, help_text="Eén of twee zinnen; ook gebruikt in overzichten.")

    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro")]

    class Meta:
        abstract = True

    @property
    def summary(self):
        return self.intro or self.search_description


def linked_personas(page):
    """The personas linked to ``page``, looked up only when a template shows them (a kept fragment does not)."""
    links = page.persona_links.select_related("persona__document", "persona__image")
    return SimpleLazyObject(lambda: [link.persona for link in links])


class PersonaLink(Orderable):
    """A persona shown as a download on a page; concrete subclasses add the ParentalKey."""

    persona = models.ForeignKey("cms.Persona", verbose_name="persona", on_delete=models.CASCADE, related_name="+")

    panels = [FieldPanel("persona")]

    class Meta(Orderable.Meta):
        abstract = True
        verbose_name = "persona"
        verbose_name_plural = "persona's"
