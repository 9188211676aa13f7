"""Organisations (networks, municipalities, welfare organisations) in the admin."""

from django.contrib import admin
from django.db.models import Count
from wagtail_modeladmin.options import ModelAdmin

from campaigns.models import Organisation

from .history import CheckedHistoryView
from .listing import ListingView


class OrganisationAdmin(ModelAdmin):
    model = Organisation
    menu_label = "Organisaties"
    menu_icon = "home"
    list_display = ("name", "kind", "region", "contact_count")
    list_filter = ("kind", "region")
    search_fields = ("name",)
    list_per_page = 50
    index_view_class = ListingView
    history_view_class = CheckedHistoryView

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(number_of_contacts=Count("contacts"))

    @admin.display(description="contacten", ordering="number_of_contacts")
    def contact_count(self, organisation):
        return organisation.number_of_contacts
