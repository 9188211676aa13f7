"""Contacts in the admin: list with search and filters, CSV/XLSX export of the filtered list, CSV import."""

from django.contrib import admin
from django.db.models import Prefetch
from django.http import HttpResponse
from django.urls import re_path, reverse
from taggit.models import Tag
from wagtail_modeladmin.options import ModelAdmin

from campaigns.models import Contact, ContactTag
from campaigns.services.contact_export import contacts_csv, contacts_xlsx

from .imports import ContactImportConfirmView, ContactImportPreviewView, ContactImportUploadView
from .history import CheckedHistoryView
from .listing import ListingView

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


class ContactIndexView(ListingView):
    """The contact list; its export links download the filtered list through ``contact_export``."""

    def as_spreadsheet(self, queryset, spreadsheet_format):
        content_type, render = EXPORT_TYPES[spreadsheet_format]
        response = HttpResponse(render(queryset.order_by("name", "pk")), content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="contacten.{spreadsheet_format}"'
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["user_can_import"] = self.model_admin.user_can_import(self.request.user)
        context["import_url"] = reverse(self.url_helper.get_action_url_name("import"))
        return context


class ContactAdmin(ModelAdmin):
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

    def user_can_import(self, user):
        helper = self.permission_helper
        return helper.user_can_create(user) and helper.user_has_specific_permission(user, helper.get_perm_codename("change"))

    def get_admin_urls_for_registration(self):
        views = {
            "import": ("import", ContactImportUploadView),
            "import_preview": ("import/preview", ContactImportPreviewView),
            "import_confirm": ("import/confirm", ContactImportConfirmView),
        }
        return (
            *super().get_admin_urls_for_registration(),
            *(
                re_path(
                    rf"^{self.url_helper.base_url_path}/{path}/$",
                    view_class.as_view(model_admin=self),
                    name=self.url_helper.get_action_url_name(action),
                )
                for action, (path, view_class) in views.items()
            ),
        )
