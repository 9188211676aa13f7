"""The "Contacten" menu of the Wagtail admin: organisations, contacts and blocked addresses (wagtail-modeladmin)."""

from wagtail_modeladmin.options import ModelAdminGroup

from .contacts import ContactAdmin
from .organisations import OrganisationAdmin
from .suppressions import SuppressionAdmin


class ContactsGroup(ModelAdminGroup):
    menu_label = "Contacten"
    menu_icon = "group"
    menu_order = 250
    items = (ContactAdmin, OrganisationAdmin, SuppressionAdmin)
