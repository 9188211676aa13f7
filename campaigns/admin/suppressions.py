"""Blocked addresses in the admin: list, search, block an address by hand, lift a block."""

from django import forms
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail_modeladmin.helpers import PermissionHelper
from wagtail_modeladmin.options import ModelAdmin
from wagtail_modeladmin.views import CreateView

from campaigns.models import Suppression, normalise_email

from .history import CheckedHistoryView
from .listing import ListingView


class SuppressionForm(WagtailAdminModelForm):
    class Meta:
        model = Suppression
        fields = ["email", "scope", "detail"]

    def clean_email(self):
        return normalise_email(self.cleaned_data["email"])

    def clean(self):
        cleaned = super().clean()
        email, scope = cleaned.get("email"), cleaned.get("scope")
        if email and scope and Suppression.objects.filter(scope=scope).for_addresses([email]).exists():
            raise forms.ValidationError(f"{email} is al geblokkeerd voor {Suppression.Scope(scope).label.lower()}.")
        return cleaned


class ManualSuppressionCreateView(CreateView):
    """Blocking by hand always records the reason "manual"."""

    def get_instance(self):
        return Suppression(reason=Suppression.Reason.MANUAL)


class SuppressionPermissionHelper(PermissionHelper):
    """A block is added or lifted, never edited: a changed address would unblock the old one unseen."""

    def user_can_edit_obj(self, user, obj):
        return False


class SuppressionAdmin(ModelAdmin):
    model = Suppression
    menu_label = "Geblokkeerde adressen"
    menu_icon = "cross"
    list_display = ("email", "scope", "reason", "detail", "created_at")
    list_filter = ("reason", "scope")
    search_fields = ("email", "detail")
    ordering = ("-created_at",)
    list_per_page = 50
    index_view_class = ListingView
    history_view_class = CheckedHistoryView
    create_view_class = ManualSuppressionCreateView
    permission_helper_class = SuppressionPermissionHelper
    edit_handler = ObjectList(
        [FieldPanel("email"), FieldPanel("scope"), FieldPanel("detail")], base_form_class=SuppressionForm
    )
