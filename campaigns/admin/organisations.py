"""Organisations (networks, municipalities, welfare organisations) in the admin, with their CSV import."""

from django.contrib import admin
from django.db.models import Count
from wagtail_modeladmin.options import ModelAdmin

from campaigns.models import Organisation
from campaigns.services import organisation_import

from .history import CheckedHistoryView
from .imports import Importer, ImportingModelAdmin, counted


def organisations_imported(result):
    return f"Import voltooid: {counted(result.created, 'organisatie', 'organisaties')} aangemaakt, {result.updated} bijgewerkt."


ORGANISATION_IMPORT = Importer(
    name="organisations",
    noun=("organisatie", "organisaties"),
    matched_by="naam",
    columns=("Naam", "Soort", "Regio"),
    help_text=(
        "Verplichte kolom: naam. Verder: soort (verplicht voor een nieuwe organisatie, bijvoorbeeld Gemeente) "
        "en regio (een provincie of Landelijk)."
    ),
    read=organisation_import.read_file,
    plan=lambda data, user: organisation_import.plan_import(data),
    apply=lambda data, fingerprint, user: organisation_import.apply_import(data, fingerprint),
    done=organisations_imported,
)


class OrganisationAdmin(ImportingModelAdmin, ModelAdmin):
    model = Organisation
    menu_label = "Organisaties"
    menu_icon = "home"
    list_display = ("name", "kind", "region", "contact_count")
    list_filter = ("kind", "region")
    search_fields = ("name",)
    list_per_page = 50
    history_view_class = CheckedHistoryView
    importer = ORGANISATION_IMPORT

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(number_of_contacts=Count("contacts"))

    @admin.display(description="contacten", ordering="number_of_contacts")
    def contact_count(self, organisation):
        return organisation.number_of_contacts
