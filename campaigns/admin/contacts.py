"""Contacts in the admin: list with search and filters, CSV/XLSX export of the filtered list, CSV import."""

from django.contrib import admin
from django.db.models import Prefetch
from django.http import HttpResponse
from taggit.models import Tag
from wagtail_modeladmin.options import ModelAdmin

from campaigns.models import Contact, ContactTag
from campaigns.services import contact_import
from campaigns.services.contact_export import contacts_csv, contacts_xlsx

from .history import CheckedHistoryView
from .imports import Importer, ImportingListingView, ImportingModelAdmin, counted

def may_create_organisations(user):
    return user.has_perm("campaigns.add_organisation")


def contacts_imported(result):
    message = f"Import voltooid: {result.created} contacten aangemaakt, {result.updated} bijgewerkt."
    if result.organisations:
        message += f" {counted(result.organisations, 'nieuwe organisatie', 'nieuwe organisaties')} aangemaakt."
    return message


CONTACT_IMPORT = Importer(
    name="contacts",
    noun=("contact", "contacten"),
    matched_by="e-mailadres",
    columns=("Naam", "E-mail", "Organisatie"),
    help_text=(
        "Verplichte kolommen: naam, e-mail. Optioneel: organisatie, soort organisatie en regio (voor een nieuwe "
        "organisatie), functie, actief (ja/nee), labels (gescheiden door komma's), taal (nl/en)."
    ),
    read=contact_import.read_file,
    plan=lambda data, user: contact_import.plan_import(data, may_create_organisations(user)),
    apply=lambda data, fingerprint, user: contact_import.apply_import(data, fingerprint, may_create_organisations(user)),
    done=contacts_imported,
)

EXPORT_TYPES = {
    "csv": ("text/csv; charset=utf-8", contacts_csv),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", contacts_xlsx),
}


class TagFilter(admin.SimpleListFilter):
    title = "labels"
    parameter_name = "label"

    def lookups(self, request, model_admin):
        names = Tag.objects.filter(campaigns_contacttag_items__isnull=False).distinct().order_by("name")
        return [(tag.slug, tag.name) for tag in names]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(tags__slug=self.value())
        return queryset


class ContactIndexView(ImportingListingView):
    """The contact list; its export links download the filtered list through ``contact_export``."""

    def as_spreadsheet(self, queryset, spreadsheet_format):
        content_type, render = EXPORT_TYPES[spreadsheet_format]
        response = HttpResponse(render(queryset.order_by("name", "pk")), content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="contacten.{spreadsheet_format}"'
        return response


class ContactAdmin(ImportingModelAdmin, ModelAdmin):
    model = Contact
    menu_label = "Personen"
    menu_icon = "user"
    list_display = ("name", "email", "organisation", "organisation_kind", "organisation_region", "active", "tag_list")
    list_filter = ("organisation__kind", "organisation__region", "active", TagFilter)
    search_fields = ("name", "email", "organisation__name")
    list_select_related = ("organisation",)
    list_export = ("name", "email", "organisation")
    list_per_page = 50
    index_view_class = ContactIndexView
    history_view_class = CheckedHistoryView
    index_template_name = "campaigns/admin/contacts/index.html"
    importer = CONTACT_IMPORT

    def get_queryset(self, request):
        tags = Prefetch("tagged_items", queryset=ContactTag.objects.select_related("tag"))
        return super().get_queryset(request).prefetch_related(tags)

    @admin.display(description="soort", ordering="organisation__kind")
    def organisation_kind(self, contact):
        return contact.organisation.get_kind_display() if contact.organisation else ""

    @admin.display(description="provincie of regio", ordering="organisation__region")
    def organisation_region(self, contact):
        return contact.organisation.get_region_display() if contact.organisation else ""

    @admin.display(description="labels")
    def tag_list(self, contact):
        return ", ".join(sorted((item.tag.name for item in contact.tagged_items.all()), key=str.lower))
