"""Blocked addresses in the admin: list, search, inspect the raw report, block by hand, lift a block with a note.

Every entry shows why it exists (reason, scope, the mailing that caused it,
the ESP's or mail server's own report), so a campaign manager can tell a
false positive from a real bounce or complaint before lifting it.
"""

import json

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.shortcuts import redirect
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.log_actions import LogFormatter, log
from wagtail_modeladmin.helpers import PermissionHelper
from wagtail_modeladmin.options import ModelAdmin
from wagtail_modeladmin.views import CreateView, DeleteView, InspectView

from campaigns.log_filters import mask_addresses
from campaigns.models import Suppression, normalise_email

from .history import CheckedHistoryView
from .listing import ListingView

LIFTED = "campaigns.suppression_lifted"
ERASED_ADDRESS = "gewist adres"


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


class SuppressionInspectView(InspectView):
    """The raw event, pretty-printed as escaped text, under the entry's fields."""

    def get_dict_for_field(self, field_name):
        found = super().get_dict_for_field(field_name)
        if field_name == "event":
            found["value"] = json.dumps(self.instance.event, indent=2, ensure_ascii=False, sort_keys=True)
            found["preformatted"] = True
        return found


class LiftForm(forms.Form):
    note = forms.CharField(
        label="Waarom wordt de blokkade opgeheven?",
        help_text="Komt in het logboek, zonder het e-mailadres. Bijvoorbeeld: ‘Bounce door storing bij de ontvanger, "
        "adres werkt weer volgens telefonisch contact.’",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_note(self):
        return self.cleaned_data["note"].strip()


class LiftSuppressionView(DeleteView):
    """Lifting a block needs a note; the audit log keeps the note, the reason and the scope, never the address.

    An erased address survives only as a hash on the list: the log entry of
    a lifted block must not bring it back, so even an address typed into the
    note is masked.
    """

    def get_meta_title(self):
        return "Blokkade opheffen"

    def get_form(self):
        return LiftForm(self.request.POST if self.request.method == "POST" else None)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", self.get_form())
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        block = self.instance
        address = block.email or ERASED_ADDRESS
        with transaction.atomic():
            log(
                instance=block,
                action=LIFTED,
                title=lifted_title(block),
                data={
                    "note": mask_addresses(form.cleaned_data["note"]),
                    "reason": block.reason,
                    "scope": block.scope,
                    "campaign": block.campaign_id,
                },
            )
            block.delete()
        messages.success(request, f"De blokkade van {address} is opgeheven.")
        return redirect(self.index_url)

    def get_template_names(self):
        return ["campaigns/admin/suppressions/lift.html"]


def lifted_title(block):
    return f"Blokkade {block.pk}: {block.get_reason_display()}, {block.get_scope_display().lower()}"


class LiftedFormatter(LogFormatter):
    label = "Blokkade opgeheven"

    def format_message(self, log_entry):
        return f"Blokkade opgeheven: {log_entry.data.get('note', '')}"


@hooks.register("register_log_actions")
def register_lifted_action(actions):
    actions.register_action(LIFTED)(LiftedFormatter)


class SuppressionPermissionHelper(PermissionHelper):
    """A block is added or lifted, never edited: a changed address would unblock the old one unseen."""

    def user_can_edit_obj(self, user, obj):
        return False


class SuppressionAdmin(ModelAdmin):
    model = Suppression
    menu_label = "Geblokkeerde adressen"
    menu_icon = "cross"
    list_display = ("address", "reason", "scope", "caused_by", "created_at")
    list_filter = ("reason", "scope")
    list_select_related = ("campaign",)
    search_fields = ("email", "detail")
    ordering = ("-created_at",)
    list_per_page = 50
    index_view_class = ListingView
    history_view_class = CheckedHistoryView
    create_view_class = ManualSuppressionCreateView
    delete_view_class = LiftSuppressionView
    inspect_view_enabled = True
    inspect_view_class = SuppressionInspectView
    inspect_view_fields = ("email", "reason", "scope", "detail", "campaign", "created_at", "event")
    inspect_template_name = "campaigns/admin/suppressions/inspect.html"
    permission_helper_class = SuppressionPermissionHelper
    edit_handler = ObjectList(
        [FieldPanel("email"), FieldPanel("scope"), FieldPanel("detail")], base_form_class=SuppressionForm
    )

    @admin.display(description="e-mailadres")
    def address(self, obj):
        return obj.email or format_html("<em>{}</em>", ERASED_ADDRESS)

    @admin.display(description="veroorzaakt door")
    def caused_by(self, obj):
        return obj.campaign.name if obj.campaign else "—"
