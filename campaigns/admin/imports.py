"""Admin views for the contact CSV import: upload, preview per row, confirm.

The uploaded file is kept under ``VAR_DIR/contact-imports/`` under a random
name that only the uploader's session knows. The preview shows the plan and
its fingerprint; the confirm imports only if the plan still has that
fingerprint, so what is imported is exactly what was previewed.
"""

import re
import secrets
import time
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from wagtail_modeladmin.views import WMABaseView

from campaigns.services.contact_import import (
    MAX_FILE_BYTES,
    Action,
    ImportChangedError,
    ImportFileError,
    apply_import,
    plan_import,
    read_csv,
)

SESSION_KEY = "campaigns_contact_import"
TOKEN = re.compile(r"^[\w-]{32}$")
STALE_AFTER_SECONDS = 24 * 60 * 60
PREVIEW_ROWS = 500


def upload_dir():
    return Path(settings.VAR_DIR) / "contact-imports"


def stored_file(request):
    """The file this session uploaded last, or None."""
    upload = request.session.get(SESSION_KEY) or {}
    token = upload.get("token", "")
    path = upload_dir() / f"{token}.csv"
    return path if TOKEN.match(token) and path.is_file() else None


def store_upload(request, data, filename):
    folder = upload_dir()
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.csv"):
        if time.time() - old.stat().st_mtime > STALE_AFTER_SECONDS:
            old.unlink(missing_ok=True)
    previous = stored_file(request)
    if previous:
        previous.unlink(missing_ok=True)
    token = secrets.token_urlsafe(24)
    (folder / f"{token}.csv").write_bytes(data)
    request.session[SESSION_KEY] = {"token": token, "filename": filename}


class ContactImportForm(forms.Form):
    file = forms.FileField(
        label="CSV-bestand",
        error_messages={"required": "Kies een CSV-bestand.", "empty": "Het bestand is leeg."},
        help_text=(
            f"Maximaal {MAX_FILE_BYTES // 1024 // 1024} MB. Verplichte kolommen: naam, e-mail. "
            "Optioneel: organisatie, functie, actief (ja/nee), labels (gescheiden door komma's), taal (nl/en). "
            "Scheidingsteken komma of puntkomma; kolomnamen in het Nederlands of Engels."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                f"Het bestand is te groot ({upload.size / 1024 / 1024:.1f} MB); "
                f"het maximum is {MAX_FILE_BYTES // 1024 // 1024} MB."
            )
        data = upload.read()
        try:
            read_csv(data)
        except ImportFileError as error:
            raise forms.ValidationError(str(error)) from error
        return data


class ContactImportMixin:
    page_title = "Contacten importeren"

    def check_action_permitted(self, user):
        return self.model_admin.user_can_import(user)

    def action_url(self, action):
        return reverse(self.url_helper.get_action_url_name(action))


class ContactImportUploadView(ContactImportMixin, WMABaseView):
    template_name = "campaigns/admin/contacts/import_upload.html"

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=ContactImportForm()))

    def post(self, request, *args, **kwargs):
        form = ContactImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        store_upload(request, form.cleaned_data["file"], request.FILES["file"].name)
        return redirect(self.action_url("import_preview"))


class ContactImportPreviewView(ContactImportMixin, WMABaseView):
    template_name = "campaigns/admin/contacts/import_preview.html"

    def get(self, request, *args, **kwargs):
        path = stored_file(request)
        if path is None:
            messages.error(request, "Er is geen bestand om te bekijken (meer). Upload het bestand opnieuw.")
            return redirect(self.action_url("import"))
        plan = plan_import(path.read_bytes())
        refused = [row for row in plan.rows if row.action == Action.REFUSE]
        accepted = [row for row in plan.rows if row.action != Action.REFUSE]
        context = self.get_context_data(
            plan=plan,
            filename=request.session[SESSION_KEY]["filename"],
            counts=plan.counts,
            refused=refused[:PREVIEW_ROWS],
            refused_hidden=max(0, len(refused) - PREVIEW_ROWS),
            accepted=accepted[:PREVIEW_ROWS],
            accepted_hidden=max(0, len(accepted) - PREVIEW_ROWS),
            writes=len(plan.writes),
            new_tags=plan.new_tags(),
            confirm_url=self.action_url("import_confirm"),
            upload_url=self.action_url("import"),
        )
        return self.render_to_response(context)


class ContactImportConfirmView(ContactImportMixin, WMABaseView):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        path = stored_file(request)
        if path is None:
            messages.error(request, "Er is geen bestand om te importeren (meer). Upload het bestand opnieuw.")
            return redirect(self.action_url("import"))
        try:
            result = apply_import(path.read_bytes(), request.POST.get("fingerprint", ""))
        except ImportChangedError as error:
            messages.error(request, str(error))
            return redirect(self.action_url("import_preview"))
        path.unlink(missing_ok=True)
        del request.session[SESSION_KEY]
        messages.success(request, f"Import voltooid: {result.created} contacten aangemaakt, {result.updated} bijgewerkt.")
        return redirect(self.index_url)
