"""Admin screen "Persoonsgegevens": export everything about one address as JSON, or erase it after a confirm step.

Only for superusers and the people who may see contact details. The address
travels in POST bodies only, never in a URL: URLs end up in server logs and
browser histories. The export's file name does not contain it either.
"""

import json

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse, reverse_lazy
from django.utils import timezone
from django.views.decorators.http import require_http_methods
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from campaigns.models import normalise_email
from campaigns.permissions import may_see_contact_details
from newsletter.services.personal_data import ERASE_ACTION, erase_address, erasure_preview, export_address

TEMPLATE = "newsletter/admin/personal_data/{}.html"


def may_handle_personal_data(user):
    return user.is_active and (user.is_superuser or may_see_contact_details(user))


class AddressForm(forms.Form):
    email = forms.EmailField(
        label="E-mailadres",
        max_length=254,
        error_messages={"required": "Vul een e-mailadres in.", "invalid": "Vul een geldig e-mailadres in."},
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )

    def clean_email(self):
        return normalise_email(self.cleaned_data["email"])


@require_http_methods(["GET", "POST"])
def personal_data(request):
    """GET: the address form. POST ``action``: ``export`` (download), ``preview`` (confirm step) or ``erase``."""
    if not may_handle_personal_data(request.user):
        raise PermissionDenied
    if request.method == "GET":
        return render_form(request, AddressForm())
    form = AddressForm(request.POST)
    if not form.is_valid():
        return render_form(request, form)
    email = form.cleaned_data["email"]
    action = request.POST.get("action")
    if action == "export":
        return export_response(email)
    if action == "preview":
        return TemplateResponse(
            request,
            TEMPLATE.format("confirm"),
            {"email": email, "summary": erasure_preview(email), "form_url": reverse("newsletter_personal_data")},
        )
    if action == "erase":
        summary = erase_address(email, request.user)
        messages.success(request, erased_message(summary))
        return redirect("newsletter_personal_data")
    return render_form(request, form)


def render_form(request, form):
    return TemplateResponse(request, TEMPLATE.format("form"), {"form": form}, status=200 if not form.errors else 400)


def export_response(email):
    body = json.dumps(export_address(email), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="persoonsgegevens-{timezone.localdate():%Y-%m-%d}.json"'
    response["Cache-Control"] = "no-store"
    return response


def erased_message(summary):
    if not summary.anything:
        return "Over dit adres was niets bewaard. Het adres staat nu als versleutelde code op de blokkeerlijst."
    return (
        "De gegevens zijn gewist: "
        f"{summary.subscribers} abonnee met {summary.consent_records} toestemmingen, {summary.contacts} contact; "
        f"{summary.recipients} ontvangers, {summary.tracking_events} trackinggebeurtenissen en {summary.responses} "
        "reacties geanonimiseerd. Het adres staat alleen nog als versleutelde code op de blokkeerlijst."
    )


class PersonalDataMenuItem(MenuItem):
    def is_shown(self, request):
        return may_handle_personal_data(request.user)


@hooks.register("register_admin_urls")
def register_personal_data_url():
    return [path("nieuwsbrief/persoonsgegevens/", personal_data, name="newsletter_personal_data")]


@hooks.register("register_newsletter_menu_item")
def personal_data_menu_item():
    return PersonalDataMenuItem(
        "Persoonsgegevens", reverse_lazy("newsletter_personal_data"), icon_name="lock", name="persoonsgegevens", order=900
    )


@hooks.register("register_log_actions")
def register_erasure_log_action(actions):
    actions.register_action(ERASE_ACTION, "Persoonsgegevens gewist", "Persoonsgegevens van een e-mailadres gewist")
