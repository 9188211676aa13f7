"""Subscribers in the admin (wagtail-modeladmin), and the topics and consent texts they sign up with (snippets).

Subscribers are personal data: they are for the people who manage contacts
(``campaigns.permissions.may_see_contact_details``), never for editors.
Nobody edits a subscriber here: addresses come in through a sign-up or an
import (both double opt-in), and leave through the preference page, the
suppression list or an erasure ("Persoonsgegevens").

Topics and consent texts are for editors. A consent text is never edited or
deleted once it exists: every sign-up points to the version it showed, as
proof. A changed text is a new version, which the forms show from then on.
"""

from dataclasses import dataclass

from django.contrib import admin
from django.http import HttpResponse
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, HelpPanel
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import CreateView, SnippetViewSet
from wagtail_modeladmin.helpers import PermissionHelper
from wagtail_modeladmin.options import ModelAdmin
from wagtail_modeladmin.views import InspectView

from campaigns.admin.history import CheckedHistoryView
from campaigns.admin.imports import Importer, ImportingListingView, ImportingModelAdmin
from campaigns.permissions import may_see_contact_details
from newsletter.models import ConsentText, Subscriber, Topic
from newsletter.services import subscriber_import
from newsletter.services.subscriber_export import subscribers_csv, subscribers_xlsx


@dataclass(frozen=True)
class SubscriberImporter(Importer):
    def templates(self, step):
        return [f"newsletter/admin/subscribers/import_{step}.html", f"campaigns/admin/imports/{step}.html"]


def subscribers_imported(result):
    total = result.created + result.updated
    return (
        f"Import voltooid: {result.created} nieuwe en {result.updated} bekende adressen aangemeld. "
        f"{'Ze krijgen' if total != 1 else 'Het adres krijgt'} een bevestigingsmail; pas na bevestigen ontvangen "
        "ze de nieuwsbrief."
    )


SUBSCRIBER_IMPORT = SubscriberImporter(
    name="subscribers",
    noun=("adres", "adressen"),
    matched_by="e-mailadres",
    columns=("E-mail", "Naam", "Onderwerpen", "Toestemming"),
    help_text=(
        "Verplichte kolommen: e-mail, toestemming (waar en wanneer de persoon toestemming gaf, bijvoorbeeld "
        "'Inschrijflijst congres 12-03-2026'). Optioneel: naam, onderwerpen (namen of korte namen, gescheiden door "
        "; , of |)."
    ),
    read=subscriber_import.read_file,
    plan=lambda data, user: subscriber_import.plan_import(data),
    apply=subscriber_import.apply_import,
    done=subscribers_imported,
)

EXPORT_TYPES = {
    "csv": ("text/csv; charset=utf-8", subscribers_csv),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", subscribers_xlsx),
}


def may_import_subscribers(user):
    """Importing adds people to a list: the right to add and change contacts."""
    return user.has_perm("campaigns.add_contact") and user.has_perm("campaigns.change_contact")


class SubscriberPermissionHelper(PermissionHelper):
    """Who may see contact details may see subscribers; nobody creates, edits or deletes one here."""

    def user_has_any_permissions(self, user):
        return may_see_contact_details(user)

    def user_can_list(self, user):
        return may_see_contact_details(user)

    def user_can_inspect_obj(self, user, obj):
        return may_see_contact_details(user)

    def user_can_create(self, user):
        return False

    def user_can_edit_obj(self, user, obj):
        return False

    def user_can_delete_obj(self, user, obj):
        return False


class TopicFilter(admin.SimpleListFilter):
    title = "onderwerp"
    parameter_name = "onderwerp"

    def lookups(self, request, model_admin):
        return [(topic.slug, topic.name) for topic in Topic.objects.all()]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(topics__slug=self.value())
        return queryset


class SubscriberIndexView(ImportingListingView):
    """The list; its export links download the filtered list with the proof of consent."""

    def as_spreadsheet(self, queryset, spreadsheet_format):
        content_type, render = EXPORT_TYPES[spreadsheet_format]
        response = HttpResponse(render(queryset.order_by("email").distinct()), content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="abonnees.{spreadsheet_format}"'
        return response


class SubscriberInspectView(InspectView):
    """One subscriber with every sign-up in full: the proof of consent a regulator asks for."""

    def get_page_subtitle(self):
        return self.instance.email

    def get_context_data(self, **kwargs):
        records = self.instance.consents.select_related("consent_text", "page", "imported_by").prefetch_related("topics")
        return super().get_context_data(
            subscriber=self.instance,
            topics=list(self.instance.topics.all()),
            records=records.order_by("-requested_at", "-pk"),
            **kwargs,
        )


class SubscriberAdmin(ImportingModelAdmin, ModelAdmin):
    model = Subscriber
    menu_label = "Abonnees"
    menu_icon = "user"
    add_to_admin_menu = False
    list_display = ("email", "name", "status", "topic_list", "created_at", "confirmed_at")
    list_filter = ("status", TopicFilter)
    search_fields = ("email", "name")
    list_export = ("email", "name", "status")
    list_per_page = 50
    ordering = ("email",)
    inspect_view_enabled = True
    inspect_view_class = SubscriberInspectView
    inspect_template_name = "newsletter/admin/subscribers/inspect.html"
    index_view_class = SubscriberIndexView
    index_template_name = "newsletter/admin/subscribers/index.html"
    history_view_class = CheckedHistoryView
    permission_helper_class = SubscriberPermissionHelper
    importer = SUBSCRIBER_IMPORT

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("topics")

    def user_can_import(self, user):
        return may_see_contact_details(user) and may_import_subscribers(user)

    @admin.display(description="onderwerpen")
    def topic_list(self, subscriber):
        return ", ".join(topic.name for topic in subscriber.topics.all())


subscriber_admin = SubscriberAdmin()
subscriber_admin.register_with_wagtail()


@hooks.register("register_newsletter_menu_item")
def subscribers_menu_item():
    return subscriber_admin.get_menu_item()


class TopicViewSet(SnippetViewSet):
    model = Topic
    icon = "tag"
    menu_label = "Onderwerpen"
    list_display = ["name", "slug", "active", "sort_order"]
    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description"), FieldPanel("sort_order"), FieldPanel("active")]


class ConsentTextPermissionPolicy(ModelPermissionPolicy):
    """Consent texts are added and viewed, never changed or deleted: records point to them as proof."""

    FIXED = {"change", "delete"}

    def user_has_permission(self, user, action):
        return action not in self.FIXED and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([action for action in actions if action not in self.FIXED])


class ConsentTextCreateView(CreateView):
    def get_initial_form_instance(self):
        return ConsentText(created_by=self.request.user)


CONSENT_TEXT_HELP = (
    "<p>Een vastgestelde toestemmingstekst kan niet meer worden gewijzigd of verwijderd: elke aanmelding verwijst naar "
    "de versie die de bezoeker zag, als bewijs van toestemming. Wilt u de tekst veranderen, maak dan een nieuwe "
    "versie; de formulieren tonen vanaf dan de nieuwste versie.</p>"
)


class ConsentTextViewSet(SnippetViewSet):
    model = ConsentText
    icon = "doc-full"
    menu_label = "Toestemmingsteksten"
    list_display = ["__str__", "privacy_statement_version", "created_by"]
    inspect_view_enabled = True
    inspect_view_fields = ["version", "text", "privacy_statement_version", "privacy_page", "created_at", "created_by"]
    add_view_class = ConsentTextCreateView
    panels = [
        HelpPanel(content=CONSENT_TEXT_HELP),
        FieldPanel("text"),
        FieldPanel("privacy_statement_version"),
        FieldPanel("privacy_page"),
    ]


register_permission_policy(ConsentText, ConsentTextPermissionPolicy(ConsentText))
register_snippet(TopicViewSet)
register_snippet(ConsentTextViewSet)


@hooks.register("register_newsletter_menu_item")
def topics_menu_item():
    return Topic.snippet_viewset.get_menu_item()


@hooks.register("register_newsletter_menu_item")
def consent_texts_menu_item():
    return ConsentText.snippet_viewset.get_menu_item()

