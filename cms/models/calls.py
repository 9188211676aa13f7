"""Calls for input: a page with a response form built in the page editor."""

from django.db import models
from django.template.response import TemplateResponse
from django.utils import dateformat, timezone, translation
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.forms.models import AbstractForm, AbstractFormField, AbstractFormSubmission
from wagtail.contrib.forms.panels import FormSubmissionsPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import PageManager
from wagtail.search import index

from cms.blocks import BodyBlock
from cms.forms import CallFormBuilder

from .base import BasePage, KnownRestrictionsMixin, PersonaLink, PublicPageQuerySet, SpecificChildRouteMixin, linked_personas


class CallForInputQuerySet(PublicPageQuerySet):
    def open(self):
        now = timezone.now()
        return self.filter(models.Q(deadline__isnull=True) | models.Q(deadline__gt=now))


class CallFormField(AbstractFormField):
    page = ParentalKey("cms.CallForInputPage", related_name="form_fields", on_delete=models.CASCADE)


class CallPersonaLink(PersonaLink):
    page = ParentalKey("cms.CallForInputPage", related_name="persona_links", on_delete=models.CASCADE)


class CallResponse(AbstractFormSubmission):
    """One answer to a call. ``form_data`` holds the editor-defined fields."""

    publication_consent = models.BooleanField("mag gepubliceerd worden als goed voorbeeld", default=False)
    content_hash = models.CharField(max_length=64, db_index=True, editable=False)
    notified_at = models.DateTimeField("contactpersoon ingelicht op", null=True, blank=True)
    # Set when the author changed the answer through their personal link; the contact person hears of it again.
    changed_at = models.DateTimeField("gewijzigd op", null=True, blank=True)
    # Why the mail server refused the notice for good (e.g. the contact person's address no longer exists);
    # such a notice is not tried again until the answer changes.
    notification_error = models.CharField("melding niet afgeleverd", max_length=500, blank=True, editable=False)

    class Meta:
        verbose_name = "reactie"
        verbose_name_plural = "reacties"
        indexes = [models.Index(fields=["notified_at", "submit_time"], name="callresponse_notify_idx")]

    def __str__(self):
        # Wagtail's default prints form_data, personal details and all, wherever an answer is named.
        with translation.override("nl"):
            day = dateformat.format(timezone.localtime(self.submit_time), "j F Y")
        call = self.page.title if self.page_id else "een oproep"
        return f"Reactie van {day} op ‘{call}’"

    def get_data(self):
        return {**super().get_data(), "publication_consent": "ja" if self.publication_consent else "nee"}


class CallForInputPage(KnownRestrictionsMixin, AbstractForm):
    """An open call ("Oproep ...") to networks, municipalities and welfare organisations.

    Until the deadline anyone may answer through the form; afterwards the page
    says the call is closed and the form accepts nothing.
    """

    intro = models.TextField("inleiding", help_text="Eén of twee zinnen; ook gebruikt in overzichten.")
    body = StreamField(BodyBlock(), verbose_name="inhoud", blank=True)
    deadline = models.DateTimeField("sluitingsdatum", null=True, blank=True, help_text="Leeg: de oproep blijft open.")
    form_intro = RichTextField("tekst boven het formulier", blank=True, features=["bold", "italic", "link"])
    thank_you_text = RichTextField(
        "bedanktekst", features=["bold", "italic", "link"], default="<p>Hartelijk dank voor uw reactie.</p>"
    )
    contact_person = models.ForeignKey(
        "cms.ContactPerson",
        verbose_name="contactpersoon",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    notify_contact_person = models.BooleanField(
        "contactpersoon mailen bij een nieuwe reactie", default=True
    )

    objects = PageManager.from_queryset(CallForInputQuerySet)()
    form_builder = CallFormBuilder

    content_panels = AbstractForm.content_panels + [
        FormSubmissionsPanel(),
        FieldPanel("intro"),
        FieldPanel("deadline"),
        FieldPanel("body"),
        InlinePanel("persona_links", label="Persona's om te downloaden"),
        MultiFieldPanel(
            [FieldPanel("form_intro"), InlinePanel("form_fields", label="Formuliervelden"), FieldPanel("thank_you_text")],
            heading="Reactieformulier",
        ),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("contact_person"), FieldPanel("notify_contact_person")])],
            heading="Contact",
        ),
    ]
    search_fields = AbstractForm.search_fields + [
        index.SearchField("intro"),
        index.SearchField("body"),
        index.FilterField("deadline"),
    ]
    parent_page_types = ["cms.CallIndexPage"]
    subpage_types = []
    template = "cms/call_for_input_page.html"
    landing_page_template = "cms/call_for_input_page_landing.html"

    class Meta:
        verbose_name = "oproep"
        verbose_name_plural = "oproepen"

    @property
    def summary(self):
        return self.intro

    @property
    def is_open(self):
        return self.deadline is None or timezone.now() < self.deadline

    def get_submission_class(self):
        return CallResponse

    def get_submissions_list_view_class(self):
        from cms.submissions import CallSubmissionsListView

        return CallSubmissionsListView

    def get_data_fields(self):
        """Columns of the submissions list and its CSV/XLSX export in the admin."""
        return super().get_data_fields() + [("publication_consent", "Mag gepubliceerd worden")]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["personas"] = linked_personas(self)
        return context

    def process_form_submission(self, form):
        from cms.services.responses import store_response

        return store_response(self, form)

    def serve(self, request, *args, **kwargs):
        from cms.services.responses import serve_call

        return serve_call(self, request)

    def render_closed(self, request):
        """The call without its form; a late post gets back what it held, so nothing typed is lost."""
        from cms.services.responses import posted_answers

        context = self.get_context(request)
        if request.method == "POST":
            context["unsent_answers"] = posted_answers(self, request.POST)
        return TemplateResponse(request, self.get_template(request), context, status=410 if request.method == "POST" else 200)


class CallIndexPage(SpecificChildRouteMixin, BasePage):
    """Lists the open calls (nearest deadline first), then the closed ones."""

    subpage_types = ["cms.CallForInputPage"]
    child_route_related = ("contact_person",)
    max_count = 1

    class Meta:
        verbose_name = "oproepenoverzicht"

    def child_route_model(self, slug):
        return CallForInputPage

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        calls = CallForInputPage.objects.child_of(self).live().public()
        context["open_calls"] = calls.open().order_by("deadline")
        context["closed_calls"] = calls.exclude(pk__in=calls.open().values("pk")).order_by("-deadline")
        return context
