"""The CSV imports of the contact admins (contacts, organisations): upload, preview per row, confirm.

A model admin that mixes in ``ImportingModelAdmin`` and names its ``importer``
gets the three views and the button on its list. The uploaded file is kept
under ``VAR_DIR/csv-imports/`` under a random name that only the uploader's
session knows. The preview shows the plan and its fingerprint; the confirm
imports only if the plan still has that fingerprint, so what is imported is
exactly what was previewed.
"""

import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from django import forms
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import re_path, reverse
from wagtail_modeladmin.views import WMABaseView

from campaigns.services.csv_import import MAX_FILE_BYTES, Action, ImportChangedError, ImportFileError

from .listing import ListingView

TOKEN = re.compile(r"^[\w-]{32}$")
STALE_AFTER_SECONDS = 24 * 60 * 60
PREVIEW_ROWS = 500


@dataclass(frozen=True)
class Importer:
    """One kind of CSV import: its texts and the service functions that read, plan and apply a file.

    ``name`` keys its upload in the session and names its template folder, where
    ``import_upload.html`` and ``import_preview.html`` may extend the shared ones.
    """

    name: str
    noun: tuple  # Dutch singular and plural of what a row is
    matched_by: str  # how a row finds what it updates
    columns: tuple  # preview column headings, matching a row's ``cells``
    help_text: str
    read: Callable  # data -> rows; raises ImportFileError
    plan: Callable  # (data, user) -> plan
    apply: Callable  # (data, fingerprint, user) -> result
    done: Callable  # result -> Dutch message

    @property
    def session_key(self):
        return f"campaigns_{self.name}_import"

    @property
    def title(self):
        return f"{self.noun[1].capitalize()} importeren"

    def templates(self, step):
        return [f"campaigns/admin/{self.name}/import_{step}.html", f"campaigns/admin/imports/{step}.html"]

    def count(self, number):
        return counted(number, *self.noun)


def counted(number, singular, plural):
    return f"{number} {singular if number == 1 else plural}"


def upload_dir():
    return Path(settings.VAR_DIR) / "csv-imports"


def stored_file(request, importer):
    """The file this session uploaded last for ``importer``, or None."""
    upload = request.session.get(importer.session_key) or {}
    token = upload.get("token", "")
    path = upload_dir() / f"{token}.csv"
    return path if TOKEN.match(token) and path.is_file() else None


def store_upload(request, importer, data, filename):
    folder = upload_dir()
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.csv"):
        if time.time() - old.stat().st_mtime > STALE_AFTER_SECONDS:
            old.unlink(missing_ok=True)
    previous = stored_file(request, importer)
    if previous:
        previous.unlink(missing_ok=True)
    token = secrets.token_urlsafe(24)
    (folder / f"{token}.csv").write_bytes(data)
    request.session[importer.session_key] = {"token": token, "filename": filename}


class ImportForm(forms.Form):
    file = forms.FileField(
        label="CSV-bestand", error_messages={"required": "Kies een CSV-bestand.", "empty": "Het bestand is leeg."}
    )

    def __init__(self, importer, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.importer = importer
        self.fields["file"].help_text = (
            f"Maximaal {MAX_FILE_BYTES // 1024 // 1024} MB. {importer.help_text} "
            "Scheidingsteken komma of puntkomma; kolomnamen in het Nederlands of Engels."
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
            self.importer.read(data)
        except ImportFileError as error:
            raise forms.ValidationError(str(error)) from error
        return data


class ImportMixin:
    @property
    def importer(self):
        return self.model_admin.importer

    def get_page_title(self):
        return self.importer.title

    def check_action_permitted(self, user):
        return self.model_admin.user_can_import(user)

    def action_url(self, action):
        return reverse(self.url_helper.get_action_url_name(action))


class ImportUploadView(ImportMixin, WMABaseView):
    def get_template_names(self):
        return self.importer.templates("upload")

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=ImportForm(self.importer)))

    def post(self, request, *args, **kwargs):
        form = ImportForm(self.importer, request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        store_upload(request, self.importer, form.cleaned_data["file"], request.FILES["file"].name)
        return redirect(self.action_url("import_preview"))


class ImportPreviewView(ImportMixin, WMABaseView):
    def get_template_names(self):
        return self.importer.templates("preview")

    def get(self, request, *args, **kwargs):
        path = stored_file(request, self.importer)
        if path is None:
            messages.error(request, "Er is geen bestand om te bekijken (meer). Upload het bestand opnieuw.")
            return redirect(self.action_url("import"))
        plan = self.importer.plan(path.read_bytes(), request.user)
        refused = [row for row in plan.rows if row.action == Action.REFUSE]
        accepted = [row for row in plan.rows if row.action != Action.REFUSE]
        context = self.get_context_data(
            importer=self.importer,
            plan=plan,
            filename=request.session[self.importer.session_key]["filename"],
            counts=plan.counts,
            refused=refused[:PREVIEW_ROWS],
            refused_hidden=max(0, len(refused) - PREVIEW_ROWS),
            accepted=accepted[:PREVIEW_ROWS],
            accepted_hidden=max(0, len(accepted) - PREVIEW_ROWS),
            writes=self.importer.count(len(plan.writes)) if plan.writes else "",
            confirm_url=self.action_url("import_confirm"),
            upload_url=self.action_url("import"),
        )
        return self.render_to_response(context)


class ImportConfirmView(ImportMixin, WMABaseView):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        path = stored_file(request, self.importer)
        if path is None:
            messages.error(request, "Er is geen bestand om te importeren (meer). Upload het bestand opnieuw.")
            return redirect(self.action_url("import"))
        try:
            result = self.importer.apply(path.read_bytes(), request.POST.get("fingerprint", ""), request.user)
        except ImportChangedError as error:
            messages.error(request, str(error))
            return redirect(self.action_url("import_preview"))
        path.unlink(missing_ok=True)
        del request.session[self.importer.session_key]
        messages.success(request, self.importer.done(result))
        return redirect(self.index_url)


class ImportingListingView(ListingView):
    """The list, with an "Importeren" button for who may import."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["user_can_import"] = self.model_admin.user_can_import(self.request.user)
        context["import_url"] = reverse(self.url_helper.get_action_url_name("import"))
        return context


class ImportingModelAdmin:
    """Mixed into a ModelAdmin with an ``importer``: the import views, for users who may add and change its objects."""

    importer = None
    index_view_class = ImportingListingView
    index_template_name = "campaigns/admin/imports/index.html"

    def user_can_import(self, user):
        helper = self.permission_helper
        return helper.user_can_create(user) and helper.user_has_specific_permission(user, helper.get_perm_codename("change"))

    def get_admin_urls_for_registration(self):
        views = {
            "import": ("import", ImportUploadView),
            "import_preview": ("import/preview", ImportPreviewView),
            "import_confirm": ("import/confirm", ImportConfirmView),
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
