"""Documents are downloads that run nothing, and markup disguised as a document is refused at the upload."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.documents.models import Document

from cms.factories import DocumentFactory, PersonaFactory, make_pdf

from .roles import make_user

pytestmark = pytest.mark.django_db

REFUSAL = "Dit bestand bevat HTML, SVG of XML, hoe het ook heet."
DISGUISED = {
    "html": b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>",
    "html-after-bom-and-blank-lines": b"\xef\xbb\xbf\n\n  <HTML><script>alert(1)</script>",
    "svg": b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    "xml": b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
}


def assert_download_that_runs_nothing(response):
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_pdf_document_is_served_as_an_attachment_that_runs_nothing(client, site_tree):
    document = DocumentFactory(title="Werkboek samenwerking")

    response = client.get(document.url)

    assert_download_that_runs_nothing(response)
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_a_persona_download_ends_in_an_attachment_that_runs_nothing(client, site_tree):
    persona = PersonaFactory(name="Anneke")

    response = client.get(f"/personas/{persona.pk}/download/", follow=True)

    assert response.redirect_chain
    assert_download_that_runs_nothing(response)


@pytest.fixture
def editor_client(client, site_tree):
    client.force_login(make_user("editor"))
    return client


@pytest.mark.parametrize("kind", DISGUISED)
def test_editor_cannot_upload_markup_named_as_a_pdf(editor_client, kind):
    upload = SimpleUploadedFile("werkboek.pdf", DISGUISED[kind], content_type="application/pdf")

    response = editor_client.post("/admin/documents/add/", {"title": "Werkboek", "file": upload, "collection": 1})

    assert response.status_code == 200
    assert REFUSAL in response.content.decode()
    assert not Document.objects.exists()


def test_the_multiple_uploader_refuses_markup_named_as_a_text_file_too(editor_client):
    upload = SimpleUploadedFile("lijst.txt", DISGUISED["svg"], content_type="text/plain")

    response = editor_client.post("/admin/documents/multiple/add/", {"files[]": upload, "collection": 1})

    assert response.json()["success"] is False
    assert REFUSAL in response.json()["error_message"]
    assert not Document.objects.exists()


def test_editor_uploads_a_real_pdf(editor_client):
    upload = SimpleUploadedFile("werkboek.pdf", make_pdf("Werkboek"), content_type="application/pdf")

    response = editor_client.post("/admin/documents/add/", {"title": "Werkboek", "file": upload, "collection": 1})

    assert response.status_code == 302
    assert Document.objects.get().title == "Werkboek"
